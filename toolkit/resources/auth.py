"""`POST /auth/token`: the client exchanges and refreshes tokens itself; this is for people who want one."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from toolkit._transport import Call
from toolkit.models import Token
from toolkit.resources._base import Namespace, operation


class Auth(Namespace):
    @operation
    def token(self) -> Generator[Any, Any, Token]:
        """A fresh JWT for this org's API key (its repr hides the token itself)."""
        body = yield Call("POST", self._ctx.v2("/auth/token"), label="POST /auth/token", auth="apikey")
        return Token.from_wire(body)
