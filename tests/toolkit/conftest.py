from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from p1_fake_api import API_KEY, BASE_URL, ORG, SHOP_URL, FakeAPI

from toolkit import AsyncClient, Client


@pytest.fixture
def api() -> FakeAPI:
    return FakeAPI()


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(api: FakeAPI, sleeps: list[float]) -> Iterator[Client]:
    """A Client on the fake API whose retry sleeps are recorded instead of slept."""
    with Client(
        BASE_URL, ORG, API_KEY, shop_url=SHOP_URL, progress=False, http_transport=httpx.MockTransport(api)
    ) as p1:
        p1._transport.sleep = sleeps.append
        yield p1


@pytest.fixture
def make_async(api: FakeAPI, sleeps: list[float]):
    def build(**options: object) -> AsyncClient:
        p1 = AsyncClient(
            BASE_URL,
            ORG,
            API_KEY,
            shop_url=SHOP_URL,
            progress=False,
            http_transport=httpx.MockTransport(api),
            **options,
        )

        async def record(delay: float) -> None:
            sleeps.append(delay)

        p1._transport.sleep = record
        return p1

    return build
