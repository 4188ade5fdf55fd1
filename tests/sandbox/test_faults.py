"""Bad days on purpose: overlapping latency, 5xx, 429 with Retry-After, dropped connections, scripts."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.sandbox.conftest import example, token_for, v2_client, v2_prefix
from toolkit import vocabulary as vocab


def test_latency_is_added_and_concurrent_requests_overlap(make_sandbox) -> None:
    sb = make_sandbox(orders=5)
    with v2_client(sb) as api:
        sb.configure(latency_ms=500)
        started = time.monotonic()
        assert api.get("/shops").status_code == 200
        assert time.monotonic() - started >= 0.5
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(lambda _: api.get("/shops").status_code, range(8)))
        elapsed = time.monotonic() - started
    assert statuses == [200] * 8
    assert 0.5 <= elapsed < 2.5  # one after the other would take 4 s; overlapping, about 0.5 s


def test_error_rate_answers_5xx_in_the_backend_shape(make_sandbox) -> None:
    sb = make_sandbox(orders=5, error_rate=1.0)
    response = httpx.get(f"{sb.base_url}{v2_prefix()}/shops")
    assert response.status_code in (500, 502, 503)
    assert response.json()["error"] == vocab.ERROR_INTERNAL
    sb.configure(error_rate=0.0)
    assert (
        httpx.post(f"{sb.base_url}{v2_prefix()}/auth/token", headers={"apikey": sb.api_key}).status_code
        == 200
    )


def test_error_rate_is_a_share(make_sandbox) -> None:
    sb = make_sandbox(orders=5, error_rate=0.3)
    with httpx.Client(base_url=sb.base_url) as client:
        statuses = [client.get(f"{v2_prefix()}/shops").status_code for _ in range(200)]
    failures = sum(status >= 500 for status in statuses)
    assert 30 <= failures <= 95 and statuses.count(401) == 200 - failures


def test_rate_limit_answers_429_with_retry_after(make_sandbox) -> None:
    sb = make_sandbox(orders=5, rate_limit_rate=1.0, retry_after=7)
    response = httpx.get(f"{sb.base_url}{v2_prefix()}/orders")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "7"
    assert response.json() == {
        "error": vocab.ERROR_RATE_LIMITED,
        "message": "Too many requests; retry after 7 s",
    }


def test_dropped_connections_are_transport_errors(make_sandbox) -> None:
    sb = make_sandbox(orders=5, drop_rate=1.0)
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{sb.base_url}{v2_prefix()}/shops")
    assert sb.received(path_contains="/shops")[-1]["status"] == 0
    sb.configure(drop_rate=0.0)
    assert (
        httpx.post(f"{sb.base_url}{v2_prefix()}/auth/token", headers={"apikey": sb.api_key}).status_code
        == 200
    )


def test_fail_next_hits_only_matching_paths_and_only_n_times(make_sandbox) -> None:
    sb = make_sandbox(orders=5)
    with v2_client(sb) as api:
        sb.fail_next(2, status=503, retry_after=3, path_contains="/orders")
        assert api.get("/shops").status_code == 200
        first, second, third = (api.get("/orders") for _ in range(3))
    assert (first.status_code, second.status_code, third.status_code) == (503, 503, 200)
    assert first.headers["Retry-After"] == "3"


def test_fail_next_after_handler_loses_the_answer_but_keeps_the_effect(make_sandbox) -> None:
    """The dangerous case for retries: the order request is stored, the client sees a dropped connection, and
    a retry with the same external_reference gets the first result instead of a second request."""
    sb = make_sandbox(orders=5)
    body = example("06_order_request_v2.request.json")
    with v2_client(sb) as api:
        sb.fail_next(1, status=0, path_contains="/order-requests", after_handler=True)
        with pytest.raises(httpx.TransportError):
            api.post("/order-requests", json=body)
        stored = sb.query("SELECT id FROM order_requests WHERE external_reference = 'POS-123'")
        assert len(stored) == 1
        retry = api.post("/order-requests", json=body)
    assert retry.status_code == 200 and retry.json()["id"] == stored[0]["id"]


def test_scripted_401_looks_like_an_expired_token(make_sandbox) -> None:
    sb = make_sandbox(orders=5)
    with v2_client(sb) as api:
        sb.fail_next(1, status=401)
        response = api.get("/orders")
    assert response.status_code == 401
    assert response.json() == {"error": vocab.ERROR_INVALID_TOKEN, "message": "Token expired"}


def test_configure_refuses_nonsense_and_changes_nothing(make_sandbox) -> None:
    sb = make_sandbox(orders=5)
    for bad in ({"error_rate": 1.5}, {"latency_ms": -1}, {"token_ttl": 0}, {"weather": "rain"}):
        with pytest.raises(ValueError):
            sb.configure(**bad)
    assert httpx.get(f"{sb.base_url}{v2_prefix()}/shops").status_code == 401  # not a fault: no token
    with pytest.raises(ValueError):
        type(sb)(error_rate=2.0)


def test_token_ttl_can_be_shortened_at_runtime(make_sandbox) -> None:
    sb = make_sandbox(orders=5)
    sb.configure(token_ttl=5)
    response = httpx.post(f"{sb.base_url}{v2_prefix()}/auth/token", headers={"apikey": sb.api_key})
    assert response.json()["expires_in"] == 5


def test_received_records_requests_without_headers_and_hides_query_keys(make_sandbox) -> None:
    sb = make_sandbox(orders=5)
    token_for(sb)
    httpx.post(f"{sb.base_url}{v2_prefix()}/auth/token", params={"apikey": sb.api_key})
    with v2_client(sb) as api:
        api.patch("/orders/ORD_20260101_unknown1/status", json={"status": "cancelled"})
    seen = sb.received()
    assert all(set(entry) == {"method", "path", "query", "status", "json"} for entry in seen)
    assert sb.api_key not in repr(seen)
    assert seen[1]["query"] == {"apikey": "***"}
    patch = sb.received(method="PATCH")[-1]
    assert (patch["status"], patch["json"]) == (404, {"status": "cancelled"})


def test_scripted_429_carries_the_configured_retry_after_and_bad_scripts_are_refused(make_sandbox) -> None:
    sb = make_sandbox(orders=5, retry_after=4)
    sb.fail_next(1, status=429)
    response = httpx.get(f"{sb.base_url}{v2_prefix()}/shops")
    assert response.status_code == 429 and response.headers["Retry-After"] == "4"
    for count, status in ((0, 503), (1, 200), (1, 700)):
        with pytest.raises(ValueError):
            sb.fail_next(count, status=status)
