"""`Client` and `AsyncClient`: the same namespaces over a sync or an async transport."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, contextmanager
from typing import Any, Self

import httpx

from toolkit import resources, validation
from toolkit._runner import run_async, run_sync
from toolkit._transport import TOKEN_PATH, AsyncTransport, SyncTransport, TransportConfig
from toolkit.errors import InvalidArgumentError
from toolkit.resources._base import Context
from toolkit.settings import load_settings
from toolkit.vocabulary import MAX_CONCURRENT_REQUESTS

#: Keyword arguments of `Client.sandbox()` that configure the client; all others go to the Sandbox.
_CLIENT_OPTIONS = ("timeout", "max_retries", "max_concurrency", "progress")


class _BaseClient:
    """Settings, namespaces and repr shared by Client and AsyncClient."""

    def __init__(
        self,
        base_url: str,
        org_id: str,
        api_key: str,
        shop_url: str | None = None,
        timeout: float = 30.0,
        max_retries: int = 3,
        *,
        max_concurrency: int = MAX_CONCURRENT_REQUESTS,
        progress: bool | None = None,
    ) -> None:
        validation.text("base_url", base_url)
        validation.text("org_id", org_id)
        _require_key(api_key)
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise InvalidArgumentError(f"max_retries {max_retries!r} is not valid: expected 0 or more.")
        validation.positive_int("max_concurrency", max_concurrency)
        self.base_url = _host_root(base_url)
        self.org_id = org_id
        self.shop_url = shop_url.rstrip("/") if shop_url else None
        self._context = Context(self.base_url, org_id, self.shop_url, max_concurrency, progress)
        self._config = TransportConfig(
            org_id=org_id,
            api_key=api_key,
            token_url=self._context.v2(TOKEN_PATH),
            max_retries=max_retries,
            timeout=timeout,
        )
        self.sandbox_server: Any = None  # the running toolkit.sandbox.Sandbox under Client.sandbox()

    def _bind(self, run: Any) -> None:
        ctx = self._context
        self.auth = resources.Auth(ctx, run)
        self.shops = resources.Shops(ctx, run)
        self.orders = resources.Orders(ctx, run)
        self.order_requests = resources.OrderRequests(ctx, run)
        self.prescriptions = resources.Prescriptions(ctx, run)
        self.inventory = resources.Inventory(ctx, run)
        self.products = resources.Products(ctx, run)
        self.reports = resources.Reports(ctx, run)

    @classmethod
    def from_env(cls, **options: Any) -> Self:
        """Connect with P1_BASE_URL, P1_ORG_ID, P1_API_KEY and P1_SHOP_URL (environment or .env file).

        Raises ConfigurationError naming every missing variable. `options` are further client arguments.
        """
        settings = load_settings()
        return cls(
            settings.base_url,
            settings.org_id,
            settings.api_key.get_secret_value(),
            shop_url=settings.shop_url,
            **options,
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, org_id={self.org_id!r}, api_key='***')"


def _host_root(base_url: str) -> str:
    """The Manager's root URL, also when given with the API prefix (…/api/v2/public/orgs/org1)."""
    return base_url.split("/api/v", 1)[0].rstrip("/")


def _require_key(value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidArgumentError("api_key is empty: expected the org's PharmaOne API key (P1_API_KEY).")


def _split_options(options: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    client = {key: options.pop(key) for key in _CLIENT_OPTIONS if key in options}
    return client, options


class Client(_BaseClient):
    """Synchronous PharmaOne client. List calls return DataFrames; pages are fetched on a thread pool."""

    def __init__(self, *args: Any, http_transport: httpx.BaseTransport | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        workers = self._context.max_concurrency
        http = (
            httpx.Client(timeout=self._config.timeout, transport=http_transport) if http_transport else None
        )
        self._transport = SyncTransport(self._config, max_concurrency=workers, http=http)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="p1-pages")
        self._bind(lambda operation: run_sync(operation, self._transport, self._pool))

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._transport.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @classmethod
    @contextmanager
    def sandbox(cls, **options: Any) -> Iterator[Client]:
        """A client on an embedded PharmaOne sandbox (127.0.0.1); both stop on exit.

        Options: client arguments (timeout, max_retries, max_concurrency, progress) and any
        `toolkit.sandbox.Sandbox` option (seed, orders, latency_ms, error_rate, token_ttl...).
        """
        from toolkit.sandbox import Sandbox

        client_options, sandbox_options = _split_options(options)
        with Sandbox(**sandbox_options) as server, _connect(cls, server, client_options) as client:
            yield client


class AsyncClient(_BaseClient):
    """The asyncio client: the same namespaces, every call awaited; pages are fetched as tasks."""

    def __init__(
        self, *args: Any, http_transport: httpx.AsyncBaseTransport | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        http = (
            httpx.AsyncClient(timeout=self._config.timeout, transport=http_transport)
            if http_transport
            else None
        )
        self._transport = AsyncTransport(
            self._config, max_concurrency=self._context.max_concurrency, http=http
        )
        self._limit = asyncio.Semaphore(self._context.max_concurrency)
        self._bind(lambda operation: run_async(operation, self._transport, self._limit))

    async def close(self) -> None:
        await self._transport.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @classmethod
    @asynccontextmanager
    async def sandbox(cls, **options: Any) -> AsyncIterator[AsyncClient]:
        """`async with AsyncClient.sandbox() as p1:` — the async twin of Client.sandbox()."""
        from toolkit.sandbox import Sandbox

        client_options, sandbox_options = _split_options(options)
        with Sandbox(**sandbox_options) as server:
            client = cls(
                server.base_url, server.org_id, server.api_key, shop_url=server.shop_url, **client_options
            )
            client.sandbox_server = server
            async with client:
                yield client


@contextmanager
def _connect(cls: type[Client], server: Any, options: dict[str, Any]) -> Iterator[Client]:
    client = cls(server.base_url, server.org_id, server.api_key, shop_url=server.shop_url, **options)
    client.sandbox_server = server
    with client:
        yield client
