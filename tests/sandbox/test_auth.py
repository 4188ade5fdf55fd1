"""Token exchange, Kong and backend error shapes, org_mismatch and insufficient_scope, over real HTTP."""

from __future__ import annotations

import base64
import json
import re
import time

import httpx
import pytest

from tests.sandbox.conftest import example, same_shape, token_for, v2_client, v2_prefix
from toolkit import vocabulary as vocab
from toolkit.sandbox import Sandbox

KONG_REQUEST_ID = re.compile(r"^[0-9a-f]{32}$")


def claims_of(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_token_exchange_matches_the_example_and_carries_the_documented_claims(sandbox: Sandbox) -> None:
    response = httpx.post(f"{sandbox.base_url}{v2_prefix()}/auth/token", headers={"apikey": sandbox.api_key})
    assert response.status_code == 200
    body = response.json()
    same_shape(body, example("01_token.response.json"))
    assert list(body) == ["access_token", "expires_in", "token_type"]
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert body["access_token"].startswith("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJvcmdfaWQiO")
    claims = claims_of(body["access_token"])
    assert claims["org_id"] == "org1" and claims["scopes"] == list(vocab.SCOPES)
    assert (claims["iss"], claims["sub"]) == ("pharmaone-integration", "integration")
    assert claims["exp"] - claims["iat"] == 3600


@pytest.mark.parametrize("how", ["X-API-Key", "query"])
def test_the_key_may_also_come_as_x_api_key_or_query_parameter(sandbox: Sandbox, how: str) -> None:
    url = f"{sandbox.base_url}{v2_prefix()}/auth/token"
    if how == "query":
        response = httpx.post(url, params={"apikey": sandbox.api_key})
    else:
        response = httpx.post(url, headers={how: sandbox.api_key})
    assert response.status_code == 200
    assert "apikey" not in response.text


@pytest.mark.parametrize("headers", [{}, {"apikey": "p1sk_not-a-key"}])
def test_unknown_or_missing_key_gets_kongs_401(sandbox: Sandbox, headers: dict) -> None:
    response = httpx.post(f"{sandbox.base_url}{v2_prefix()}/auth/token", headers=headers)
    assert response.status_code == 401
    body = response.json()
    same_shape(body, example("01_token.401_kong.json"))
    assert body["message"] == "Unauthorized" and KONG_REQUEST_ID.match(body["request_id"])
    assert set(body) == {"message", "request_id"}


def test_revoked_key_gets_the_backends_401(make_sandbox) -> None:
    sb = make_sandbox(orders=5)
    key = sb.create_key()
    sb.revoke_key(key)
    response = httpx.post(f"{sb.base_url}{v2_prefix()}/auth/token", headers={"apikey": key})
    assert response.status_code == 401
    assert response.json() == example("01_token.401_backend.json")


def test_key_of_another_org_is_an_org_mismatch(sandbox: Sandbox) -> None:
    response = httpx.post(
        f"{sandbox.base_url}{v2_prefix('org1')}/auth/token", headers={"apikey": sandbox.api_keys["org2"]}
    )
    assert response.status_code == 403
    assert response.json()["error"] == "org_mismatch"


def test_token_of_another_org_is_refused_with_org_mismatch(sandbox: Sandbox) -> None:
    token = token_for(sandbox, sandbox.api_keys["org2"], "org2")
    response = httpx.get(
        f"{sandbox.base_url}{v2_prefix('org1')}/shops", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == vocab.ORG_MISMATCH_STATUS == 403
    assert response.json() == example("errors.org_mismatch.json")


def test_org2_sees_only_its_own_shops(sandbox: Sandbox) -> None:
    with v2_client(sandbox, sandbox.api_keys["org2"], "org2") as org2:
        shops = org2.get("/shops").json()["data"]
    assert [shop["shop_id"] for shop in shops] == ["markt1"]


def test_missing_scope_is_insufficient_scope(sandbox: Sandbox) -> None:
    key = sandbox.create_key(scopes=["inventory.read"])
    with v2_client(sandbox, key) as limited:
        assert limited.get("/inventory").status_code == 200
        response = limited.post(
            "/inventory/adjust", json={"p1_id": "57672", "delta_on_hand": 1, "reason": "x"}
        )
        assert response.status_code == 403
        assert response.json() == example("errors.insufficient_scope.json")
        assert limited.get("/orders").json() == {
            "error": "insufficient_scope",
            "message": "Missing scope: orders.read",
        }
    assert sandbox.query("SELECT stock_quantity FROM products WHERE p1_id = 57672 AND org_id = 'org1'")


@pytest.mark.parametrize(
    ("authorization", "message"),
    [
        (None, "Missing bearer token"),
        ("Bearer abc.def.ghi", "Malformed token"),
        ("Bearer not-a-jwt", "Malformed"),
    ],
)
def test_missing_or_malformed_jwt_is_a_backend_401(
    sandbox: Sandbox, authorization: str | None, message: str
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = httpx.get(f"{sandbox.base_url}{v2_prefix()}/orders", headers=headers)
    assert response.status_code == 401
    body = response.json()
    assert body["error"] == vocab.ERROR_INVALID_TOKEN and body["message"].startswith(message)


def test_tampered_token_signature_is_refused(sandbox: Sandbox) -> None:
    header, payload, signature = token_for(sandbox).split(".")
    claims = claims_of(f"{header}.{payload}.{signature}") | {"org_id": "org1", "scopes": ["orders.read"]}
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    response = httpx.get(
        f"{sandbox.base_url}{v2_prefix()}/orders",
        headers={"Authorization": f"Bearer {header}.{forged}.{signature}"},
    )
    assert response.status_code == 401
    assert response.json()["message"] == "Invalid token signature"


def test_short_token_lifetime_expires_the_token(make_sandbox) -> None:
    sb = make_sandbox(orders=5, token_ttl=1)
    token = token_for(sb)
    assert claims_of(token)["exp"] - claims_of(token)["iat"] == 1
    time.sleep(2.1)  # exp is whole seconds: after two seconds the token is stale whatever the rounding
    response = httpx.get(f"{sb.base_url}{v2_prefix()}/shops", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json() == {"error": vocab.ERROR_INVALID_TOKEN, "message": "Token expired"}


def test_unknown_route_is_answered_by_the_gateway(sandbox: Sandbox) -> None:
    response = httpx.get(f"{sandbox.base_url}{v2_prefix()}/reports/summary")
    assert response.status_code == 404
    assert response.json()["message"] == "no Route matched with those values"


def test_each_org_sees_only_its_own_data(sandbox: Sandbox) -> None:
    org1_order = sandbox.query("SELECT id FROM orders WHERE org_id = 'org1' LIMIT 1")[0]["id"]
    org1_prescription = sandbox.query("SELECT id FROM prescriptions WHERE org_id = 'org1' LIMIT 1")[0]["id"]
    with v2_client(sandbox, sandbox.api_keys["org2"], "org2") as org2:
        assert org2.get(f"/orders/{org1_order}").status_code == 404
        assert org2.get(f"/prescriptions/{org1_prescription}").status_code == 404
        orders = org2.get("/orders", params={"limit": 200}).json()
        expected = sandbox.query("SELECT COUNT(*) AS n FROM orders WHERE org_id = 'org2'")[0]["n"]
        assert orders["pagination"]["total"] == expected and {o["shop_id"] for o in orders["data"]} == {
            "markt1"
        }
        stats = org2.get("/reports/stats").json()["data"]
        assert [shop["shop_id"] for shop in stats["shop_performance"]] == ["markt1"]
        assert org2.get("/products", params={"shop_id": "shop1"}).status_code == 400
