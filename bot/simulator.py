"""Send the bot what Slack would send: signed slash commands and button clicks, through the real Bolt app.

Used by `p1 demo` and the tests. Requests are signed with the app's signing secret the way Slack signs them
(`v0=` HMAC-SHA256 over `v0:{timestamp}:{body}`) and dispatched either straight into the Bolt app or over
HTTP to a `/slack/events` endpoint (an `httpx.Client` with the bot server as base URL). Answers land on
the Slack stand-in (response URLs, Web API).
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx
from slack_bolt import App, BoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.http import EVENTS_PATH
from bot.slack_standin import TEAM_ID, Recorded, SlackStandIn


@dataclass(frozen=True)
class Clickable:
    """A button or menu in a message, as the demo lists it and a click sends it back."""

    kind: str  # "button" or "static_select"
    label: str
    action_id: str
    block_id: str
    value: str | None = None
    options: tuple[tuple[str, str], ...] = ()  # (label, value) of a menu

    @property
    def description(self) -> str:
        if self.kind == "static_select":
            return f"{self.label}: " + " | ".join(label for label, _ in self.options)
        return self.label


def clickables(message: dict[str, Any]) -> list[Clickable]:
    """The buttons and menus of a message's `actions` blocks, in order."""
    found = []
    blocks = message.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    for block in blocks:
        if block.get("type") != "actions":
            continue
        for element in block.get("elements", []):
            kind = element.get("type")
            label = (element.get("text") or element.get("placeholder") or {}).get("text", "")
            options = tuple((o["text"]["text"], o["value"]) for o in element.get("options", ()))
            if kind in ("button", "static_select"):
                found.append(
                    Clickable(
                        kind,
                        label,
                        element["action_id"],
                        block.get("block_id", ""),
                        element.get("value"),
                        options,
                    )
                )
    return found


@dataclass
class Exchange:
    """One request to the bot: how it was acked and where its later answers go."""

    status: int
    ack_body: str
    ack_seconds: float
    response_url: str
    first_record: int
    standin: SlackStandIn = field(repr=False)

    @property
    def ack_message(self) -> dict[str, Any] | None:
        """The message carried by the ack (private to the caller), if any."""
        if not self.ack_body:
            return None
        try:
            return json.loads(self.ack_body)
        except ValueError:
            return {"text": self.ack_body}

    def answers(self) -> list[Recorded]:
        """Posts to this request's response URL so far."""
        return [
            r
            for r in self.standin.records(self.first_record)
            if r.kind == "response" and r.name == self.response_url
        ]

    def wait_for_answers(self, count: int = 1, timeout: float = 15.0) -> list[Recorded]:
        def arrived(records: list[Recorded]) -> bool:
            return sum(r.kind == "response" and r.name == self.response_url for r in records) >= count

        self.standin.wait_for(arrived, timeout, since=self.first_record)
        return self.answers()


class SlackSimulator:
    """A Slack workspace with one channel, driving the bot as a given user."""

    def __init__(
        self,
        target: App | httpx.Client,
        standin: SlackStandIn,
        signing_secret: str,
        *,
        user_id: str = "U0PHARMA1",
        user_name: str = "pharmacist",
        channel_id: str = "C0PHARMACY",
        channel_name: str = "pharmacy",
    ) -> None:
        self.target = target
        self.standin = standin
        self.verifier = SignatureVerifier(signing_secret)
        self.user_id = user_id
        self.user_name = user_name
        self.channel_id = channel_id
        self.channel_name = channel_name
        self._triggers = itertools.count(1)

    def command(self, text: str, *, user_id: str | None = None, channel_id: str | None = None) -> Exchange:
        """`/p1 <text>` typed by the user."""
        response_url = self.standin.new_response_url()
        form = {
            "token": "legacy-verification-token",
            "team_id": TEAM_ID,
            "team_domain": "p1-demo",
            "channel_id": channel_id or self.channel_id,
            "channel_name": self.channel_name,
            "user_id": user_id or self.user_id,
            "user_name": self.user_name,
            "command": "/p1",
            "text": text,
            "api_app_id": "A0P1OPS",
            "response_url": response_url,
            "trigger_id": self._trigger_id(),
        }
        return self._send(urlencode(form), response_url)

    def click(
        self,
        item: Clickable,
        *,
        option: str | None = None,
        user_id: str | None = None,
        channel_id: str | None = None,
    ) -> Exchange:
        """Click a button, or pick `option` (its label or value) in a menu."""
        action: dict[str, Any] = {
            "type": item.kind,
            "action_id": item.action_id,
            "block_id": item.block_id,
            "action_ts": f"{time.time():.6f}",
        }
        if item.kind == "static_select":
            chosen = [o for o in item.options if option in o]
            if not chosen:
                raise ValueError(f"{option!r} is not one of: {', '.join(label for label, _ in item.options)}")
            label, value = chosen[0]
            action["selected_option"] = {"text": {"type": "plain_text", "text": label}, "value": value}
        else:
            action["value"] = item.value
            action["text"] = {"type": "plain_text", "text": item.label}
        response_url = self.standin.new_response_url()
        channel = channel_id or self.channel_id
        payload = {
            "type": "block_actions",
            "user": {"id": user_id or self.user_id, "username": self.user_name, "team_id": TEAM_ID},
            "api_app_id": "A0P1OPS",
            "token": "legacy-verification-token",
            "container": {"type": "message", "channel_id": channel},
            "trigger_id": self._trigger_id(),
            "team": {"id": TEAM_ID, "domain": "p1-demo"},
            "channel": {"id": channel, "name": self.channel_name},
            "response_url": response_url,
            "actions": [action],
        }
        return self._send(urlencode({"payload": json.dumps(payload)}), response_url)

    def signed_headers(self, body: str, timestamp: int | None = None) -> dict[str, str]:
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        return {
            "content-type": "application/x-www-form-urlencoded",
            "x-slack-request-timestamp": stamp,
            "x-slack-signature": self.verifier.generate_signature(timestamp=stamp, body=body) or "",
        }

    def _send(self, body: str, response_url: str) -> Exchange:
        headers = self.signed_headers(body)
        first = len(self.standin.records())
        started = time.perf_counter()
        if isinstance(self.target, httpx.Client):
            reply = self.target.post(EVENTS_PATH, content=body, headers=headers)
            status, ack_body = reply.status_code, reply.text
        else:
            response = self.target.dispatch(BoltRequest(body=body, headers=headers))
            status, ack_body = response.status, response.body
        return Exchange(status, ack_body, time.perf_counter() - started, response_url, first, self.standin)

    def _trigger_id(self) -> str:
        return f"{next(self._triggers)}.{int(time.time())}.demo"
