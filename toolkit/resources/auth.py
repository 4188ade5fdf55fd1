"""`POST /auth/token`: the client exchanges and refreshes tokens itself; this is for people who want one."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from toolkit._transport import TOKEN_PATH, token_call
from toolkit.models import Token
from toolkit.resources._base import Namespace, operation


class Auth(Namespace):
    @operation
    def token(self) -> Generator[Any, Any, Token]:
        """A fresh JWT for this org's API key (its repr hides the token itself)."""
        body = yield token_call(self._ctx.v2(TOKEN_PATH))
        return Token.from_wire(body)
