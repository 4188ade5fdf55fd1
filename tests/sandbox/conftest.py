"""Plain-httpx helpers for driving the sandbox over real HTTP (deliberately not through the toolkit)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from toolkit.sandbox import Sandbox

#: A copy of the reference's example bodies (shared/api/examples/), so that the tests run in any checkout.
EXAMPLES = Path(__file__).resolve().parent / "examples"


def example(name: str) -> Any:
    return json.loads((EXAMPLES / name).read_text())


def v2_prefix(org_id: str = "org1") -> str:
    return f"/api/v2/public/orgs/{org_id}"


def token_for(sb: Sandbox, key: str | None = None, org_id: str = "org1") -> str:
    response = httpx.post(
        f"{sb.base_url}{v2_prefix(org_id)}/auth/token", headers={"apikey": key or sb.api_key}
    )
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def v2_client(sb: Sandbox, key: str | None = None, org_id: str = "org1") -> httpx.Client:
    """An httpx client on {base}/api/v2/public/orgs/{org} with a Bearer token for `key`."""
    token = token_for(sb, key, org_id)
    return httpx.Client(
        base_url=f"{sb.base_url}{v2_prefix(org_id)}", headers={"Authorization": f"Bearer {token}"}, timeout=30
    )


@pytest.fixture
def api(sandbox: Sandbox) -> Iterator[httpx.Client]:
    """The session sandbox, org1, with a full-scope token."""
    with v2_client(sandbox) as client:
        yield client


def same_shape(actual: Any, expected: Any, path: str = "$") -> None:
    """Asserts that `actual` has the keys of `expected` and the same JSON types, recursively."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: expected an object, got {actual!r}"
        missing = set(expected) - set(actual)
        assert not missing, f"{path}: missing keys {sorted(missing)}"
        for key, value in expected.items():
            same_shape(actual[key], value, f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{path}: expected a list, got {actual!r}"
        for index, item in enumerate(actual[:5]):
            same_shape(item, expected[0], f"{path}[{index}]")
    elif isinstance(expected, bool):
        assert isinstance(actual, bool), f"{path}: expected a boolean, got {actual!r}"
    elif isinstance(expected, int):
        assert isinstance(actual, int) and not isinstance(actual, bool), (
            f"{path}: expected an integer: {actual!r}"
        )
    elif isinstance(expected, float):
        assert isinstance(actual, int | float) and not isinstance(actual, bool), (
            f"{path}: not a number: {actual!r}"
        )
    elif isinstance(expected, str):
        assert isinstance(actual, str), f"{path}: expected a string, got {actual!r}"
