"""Transport behaviour, asserted on the requests the fake API actually received."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from p1_fake_api import API_KEY, example, make_jwt, ok

from toolkit import errors
from toolkit._auth import make_cached_token

SHOPS = example("02_shops.response.json")
ITEMS = [{"name": "Cannabis flos", "quantity": 5}]


def failing_then(answers: list[httpx.Response | Exception], final: httpx.Response):
    """A handler that gives each scripted answer once (raising exceptions), then `final` forever."""
    lock = threading.Lock()

    def handler(request: httpx.Request) -> httpx.Response:
        with lock:
            answer = answers.pop(0) if answers else final
        if isinstance(answer, Exception):
            raise answer
        return answer

    return handler


def test_the_key_is_exchanged_once_and_the_jwt_sent_as_bearer(client, api):
    api.route("GET", "/shops", SHOPS)
    client.shops.list()
    client.shops.list()
    [exchange] = api.token_requests()
    assert exchange.method == "POST" and exchange.headers["apikey"] == API_KEY
    assert exchange.url.path == "/api/v2/public/orgs/org1/auth/token"
    for sent in api.sent("GET", "/shops"):
        assert sent.headers["authorization"] == f"Bearer {api.tokens[0]}"
        assert "apikey" not in sent.headers


class Clock:
    """Stands in for the `time` module inside toolkit._auth, so tokens can age without waiting."""

    def __init__(self) -> None:
        self.offset = 0.0

    def monotonic(self) -> float:
        return time.monotonic() + self.offset

    def time(self) -> float:
        return time.time() + self.offset


def test_a_token_close_to_expiry_is_refreshed_before_use(client, api, monkeypatch):
    clock = Clock()
    monkeypatch.setattr("toolkit._auth.time", clock)
    api.route("GET", "/shops", SHOPS)
    client.shops.list()
    clock.offset = 3000  # 10 minutes left of the hour: still used
    client.shops.list()
    assert len(api.token_requests()) == 1
    clock.offset = 3560  # 40 s left: inside the refresh margin, so a new token first
    client.shops.list()
    assert len(api.token_requests()) == 2
    first, second, third = (r.headers["authorization"] for r in api.sent("GET", "/shops"))
    assert first == second != third


def test_expiry_comes_from_the_jwt_exp_claim_when_shorter_than_expires_in():
    token = make_cached_token(make_jwt(exp_in=100), expires_in=3600)
    assert token.expires_at - time.monotonic() == pytest.approx(100, abs=2)
    assert token.refresh_at < token.expires_at
    assert make_cached_token("not-a-jwt", 3600).expires_at - time.monotonic() == pytest.approx(3600, abs=2)


def test_a_401_refreshes_the_token_once_and_resends(client, api):
    calls = []

    def shops(request: httpx.Request) -> httpx.Response:
        calls.append(request.headers["authorization"])
        if len(calls) == 1:
            return ok({"error": "invalid_token", "message": "Token expired"}, 401)
        return ok(SHOPS)

    api.route("GET", "/shops", shops)
    frame = client.shops.list()
    assert len(frame) == 4
    assert len(api.token_requests()) == 2 and calls[0] != calls[1]


def test_a_second_401_is_raised_not_looped(client, api):
    api.route("GET", "/shops", lambda _r: ok({"error": "invalid_token", "message": "Token expired"}, 401))
    with pytest.raises(errors.AuthenticationError, match="even after a fresh exchange"):
        client.shops.list()
    assert len(api.sent("GET", "/shops")) == 2 and len(api.token_requests()) == 2


def test_twenty_threads_cause_one_exchange(client, api):
    api.token_delay = 0.05
    api.route("GET", "/shops", SHOPS)
    with ThreadPoolExecutor(20) as pool:
        frames = list(pool.map(lambda _i: client.shops.list(), range(20)))
    assert all(len(frame) == 4 for frame in frames)
    assert len(api.token_requests()) == 1 and len(api.sent("GET", "/shops")) == 20


def test_twenty_threads_refused_at_once_still_cause_one_refresh(client, api):
    api.route("GET", "/shops", SHOPS)
    client.shops.list()
    first = api.tokens[0]
    api.route(
        "GET",
        "/shops",
        lambda r: ok(SHOPS) if r.headers["authorization"] != f"Bearer {first}" else ok({}, 401),
    )
    api.token_delay = 0.05
    with ThreadPoolExecutor(20) as pool:
        list(pool.map(lambda _i: client.shops.list(), range(20)))
    assert len(api.token_requests()) == 2


def test_twenty_tasks_cause_one_exchange(make_async, api):
    api.token_delay = 0.05
    api.route("GET", "/shops", SHOPS)

    async def main():
        async with make_async() as p1:
            return await asyncio.gather(*(p1.shops.list() for _ in range(20)))

    frames = asyncio.run(main())
    assert all(len(frame) == 4 for frame in frames)
    assert len(api.token_requests()) == 1 and len(api.sent("GET", "/shops")) == 20


@pytest.mark.parametrize("failure", [503, 502, httpx.ConnectError("refused"), httpx.ReadTimeout("slow")])
def test_reads_are_retried_with_backoff(client, api, sleeps, failure):
    first = ok({"error": "internal_error"}, failure) if isinstance(failure, int) else failure
    api.route("GET", "/shops", failing_then([first, first], ok(SHOPS)))
    assert len(client.shops.list()) == 4
    assert len(api.sent("GET", "/shops")) == 3
    assert len(sleeps) == 2 and 0 < sleeps[0] <= 0.5 and 0 < sleeps[1] <= 1.0  # 0.5 s, then 1 s, with jitter


def test_retry_after_is_honoured(client, api, sleeps):
    limited = ok({"error": "rate_limited", "message": "slow down"}, 429, {"Retry-After": "7"})
    api.route("GET", "/shops", failing_then([limited], ok(SHOPS)))
    client.shops.list()
    assert len(sleeps) == 1 and 7 <= sleeps[0] <= 7.7


def test_retry_after_on_a_503_is_honoured_too(client, api, sleeps):
    busy = ok({"error": "internal_error", "message": "maintenance"}, 503, {"Retry-After": "3"})
    api.route("GET", "/shops", failing_then([busy], ok(SHOPS)))
    client.shops.list()
    assert len(sleeps) == 1 and 3 <= sleeps[0] <= 3.3


def test_retries_give_up_with_a_readable_error(client, api, sleeps):
    api.route("GET", "/shops", lambda _r: ok({"error": "internal_error", "message": "boom"}, 500))
    with pytest.raises(errors.InternalServerError) as caught:
        client.shops.list()
    assert len(api.sent("GET", "/shops")) == 4  # max_retries=3
    assert "GET /shops: PharmaOne had a server error 500 (internal_error: boom)" in str(caught.value)
    assert caught.value.status_code == 500


def test_a_long_retry_after_is_raised_instead_of_waited(client, api, sleeps):
    api.route(
        "GET", "/shops", lambda _r: ok({"message": "API rate limit exceeded"}, 429, {"Retry-After": "600"})
    )
    with pytest.raises(errors.RateLimitError) as caught:
        client.shops.list()
    assert caught.value.retry_after == 600 and sleeps == []
    assert "wait 600 s" in str(caught.value)


def test_async_retries_too(make_async, api, sleeps):
    api.route("GET", "/shops", failing_then([ok({}, 503)], ok(SHOPS)))

    async def main():
        async with make_async() as p1:
            return await p1.shops.list()

    assert len(asyncio.run(main())) == 4 and len(sleeps) == 1


@pytest.mark.parametrize("failure", [httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("dropped"), 503])
@pytest.mark.parametrize("api_version", ["v2", "v1"])
def test_an_order_request_whose_fate_is_unknown_is_never_resent(client, api, sleeps, failure, api_version):
    path = "/order-requests" if api_version == "v2" else "/api/v1/public/orgs/org1/order-requests"
    first = ok({"error": "internal_error"}, failure) if isinstance(failure, int) else failure
    api.route("POST", path, failing_then([first], ok(example("06_order_request_v2.response.json"))))
    with pytest.raises(errors.OrderRequestOutcomeUnknown) as caught:
        client.order_requests.create("shop1", ITEMS, customer_name="Max", api=api_version)
    [sent] = api.sent("POST", path)
    reference = json.loads(sent.content)["external_reference"]
    assert caught.value.external_reference == reference
    assert reference in str(caught.value) and "NOT sent again" in str(caught.value)
    assert sleeps == []


def test_an_external_order_after_a_timeout_is_not_resent(client, api):
    api.route("POST", "/api/v1/external-order", failing_then([httpx.ReadTimeout("slow")], ok({})))
    with pytest.raises(errors.OrderRequestOutcomeUnknown) as caught:
        client.order_requests.external(ITEMS, customer_email="max@example.com", external_reference="TM-1")
    assert caught.value.external_reference == "TM-1" and len(api.sent("POST", "/api/v1/external-order")) == 1


@pytest.mark.parametrize(
    "first",
    [httpx.ConnectError("refused"), ok({"error": "rate_limited"}, 429, {"Retry-After": "1"})],
    ids=["connect-error", "429"],
)
def test_an_order_request_that_provably_never_arrived_is_retried_with_the_same_reference(client, api, first):
    api.route(
        "POST", "/order-requests", failing_then([first], ok(example("06_order_request_v2.response.json")))
    )
    result = client.order_requests.create("shop1", ITEMS, customer_name="Max")
    bodies = [json.loads(r.content) for r in api.sent("POST", "/order-requests")]
    assert len(bodies) == 2 and bodies[0] == bodies[1]
    assert result.id == "08ec979e-67fc-4012-8c32-f003cb406d65"


def test_each_order_request_gets_its_own_reference(client, api):
    api.route("POST", "/order-requests", example("06_order_request_v2.response.json"))
    client.order_requests.create("shop1", ITEMS, customer_name="Max")
    client.order_requests.create("shop1", ITEMS, customer_name="Max")
    first, second = (json.loads(r.content)["external_reference"] for r in api.sent("POST", "/order-requests"))
    assert first != second


def test_a_stock_adjustment_after_a_dropped_connection_is_not_resent(client, api):
    api.route("POST", "/inventory/adjust", failing_then([httpx.RemoteProtocolError("dropped")], ok({})))
    with pytest.raises(errors.AdjustOutcomeUnknown, match=r"inventory.log\('57672'\)") as caught:
        client.inventory.adjust("57672", "Inventur", delta_on_hand=-1)
    assert caught.value.p1_id == "57672" and len(api.sent("POST", "/inventory/adjust")) == 1


def test_idempotent_writes_are_retried(client, api):
    status = example("05_order_status.response.json")
    api.route("PATCH", "/orders/ORD_20260614_8v039dhnrv/status", failing_then([ok({}, 503)], ok(status)))
    client.orders.set_status("ORD_20260614_8v039dhnrv", "awaiting_packing")
    api.route(
        "POST", "/prescriptions", failing_then([httpx.ReadTimeout("slow")], ok({"id": "x", "upsert": "ok"}))
    )
    client.prescriptions.ingest("shop1", "max@example.com")
    assert len(api.sent("PATCH")) == 2 and len(api.sent("POST", "/prescriptions")) == 2


def test_connection_errors_are_readable(client, api):
    api.route("GET", "/shops", lambda _r: (_ for _ in ()).throw(httpx.ConnectError("refused")))
    with pytest.raises(
        errors.APIConnectionError, match=r"GET /shops: could not talk to PharmaOne at pharmaone"
    ):
        client.shops.list()
    api.route("GET", "/shops", lambda _r: (_ for _ in ()).throw(httpx.ReadTimeout("slow")))
    with pytest.raises(errors.APITimeoutError, match="did not answer within 30 s"):
        client.shops.list()


def test_an_unreadable_success_body_is_a_pharmaone_error(client, api):
    api.route("GET", "/orders/ORD_20260614_8v039dhnrv", {"id": "ORD_20260614_8v039dhnrv", "items": "none"})
    with pytest.raises(errors.UnexpectedResponseError, match=r"Order this client cannot read \(items"):
        client.orders.get("ORD_20260614_8v039dhnrv")


def test_a_token_answer_without_a_token_is_a_pharmaone_error(client, api):
    api.routes[("POST", "/auth/token")] = lambda _r: ok({"token_type": "Bearer"})
    api.route("GET", "/shops", SHOPS)
    with pytest.raises(errors.UnexpectedResponseError, match="POST /auth/token has no access_token"):
        client.shops.list()


def test_retries_wait_with_time_sleep_looked_up_at_call_time(api, monkeypatch):
    """Whoever patches time.sleep after creating the client still sees the waits."""
    from p1_fake_api import BASE_URL

    from toolkit import Client

    waits: list[float] = []
    api.route("GET", "/shops", failing_then([ok({}, 503)], ok(SHOPS)))
    with Client(BASE_URL, "org1", API_KEY, http_transport=httpx.MockTransport(api)) as p1:
        monkeypatch.setattr(time, "sleep", waits.append)
        p1.shops.list()
    assert len(waits) == 1 and 0.25 <= waits[0] <= 0.5
