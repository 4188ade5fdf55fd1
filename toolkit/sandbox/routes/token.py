"""POST /api/v2/public/orgs/{orgId}/auth/token: an API key (checked by "Kong") exchanged for an HS256 JWT."""

from __future__ import annotations

from typing import Any

from toolkit.sandbox.http import Call


def exchange(call: Call) -> dict[str, Any]:
    return call.state.keys.issue_token(call.principal, call.state.faults.conditions.token_ttl)
