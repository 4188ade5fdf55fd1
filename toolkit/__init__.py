"""PharmaOne toolkit: a client for every PharmaOne endpoint that hands analysts DataFrames.

from toolkit import Client
with Client.sandbox() as p1:          # or Client.from_env()
    orders = p1.orders.list()
"""

from toolkit import errors
from toolkit.client import AsyncClient, Client
from toolkit.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    InvalidArgumentError,
    OrderRequestOutcomeUnknown,
    PharmaOneError,
)

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncClient",
    "Client",
    "InvalidArgumentError",
    "OrderRequestOutcomeUnknown",
    "PharmaOneError",
    "errors",
]
