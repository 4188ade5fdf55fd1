"""Who may do what: reading is open (optionally only in listed channels); changing needs the operator role.

Operators are Slack user ids or user-group ids (S…) from the settings. Group membership is read with
`usergroups.users.list` and cached for a minute. Anything not granted is denied, with a reason the user
can act on.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.settings import BotSettings

log = logging.getLogger(__name__)

GROUP_CACHE_SECONDS = 60.0


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Decision(True)


def is_user_group(slack_id: str) -> bool:
    return slack_id.startswith("S")


class Policy:
    def __init__(self, settings: BotSettings, slack_client: WebClient) -> None:
        self._operators = frozenset(i for i in settings.operators if not is_user_group(i))
        self._operator_groups = tuple(i for i in settings.operators if is_user_group(i))
        self._read_channels = frozenset(settings.read_channels)
        self._client = slack_client
        self._lock = threading.Lock()
        self._group_members: dict[str, tuple[float, frozenset[str]]] = {}

    def may_read(self, channel_id: str | None) -> Decision:
        if not self._read_channels or channel_id in self._read_channels:
            return ALLOWED
        allowed = ", ".join(f"<#{c}>" for c in sorted(self._read_channels))
        return Decision(False, f"PharmaOne commands are only answered in {allowed}.")

    def may_change(self, user_id: str, channel_id: str | None) -> Decision:
        """Changing a status or revealing customer data: operators only, where reading is allowed."""
        readable = self.may_read(channel_id)
        if not readable:
            return readable
        if user_id in self._operators or any(user_id in self._members(g) for g in self._operator_groups):
            return ALLOWED
        return Decision(
            False,
            "Only pharmacy operators may change orders or see customer details, and you are not one. "
            "Ask an admin to add your Slack user id (or a group of yours) to P1_OPERATORS.",
        )

    def _members(self, group_id: str) -> frozenset[str]:
        with self._lock:
            cached = self._group_members.get(group_id)
            if cached and time.monotonic() - cached[0] < GROUP_CACHE_SECONDS:
                return cached[1]
        try:
            members = frozenset(self._client.usergroups_users_list(usergroup=group_id).get("users", ()))
        except SlackApiError as exc:
            # Deny by default: an unreadable group grants nothing.
            log.warning("could not read user group %s: %s", group_id, exc.response.get("error"))
            return frozenset()
        with self._lock:
            self._group_members[group_id] = (time.monotonic(), members)
        return members
