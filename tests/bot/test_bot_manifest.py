"""manifest.yml covers exactly what the bot uses: /p1, every Web API method's scope, Socket Mode."""

from __future__ import annotations

import inspect
import re
from functools import cache
from pathlib import Path

import yaml
from bot_harness import OPERATOR, only_answer
from slack_sdk import WebClient

from bot.app import SLASH_COMMAND
from bot.commands import SUBCOMMANDS

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = yaml.safe_load((ROOT / "manifest.yml").read_text())

#: The bot scope each Web API method needs (api.slack.com/methods); None: no scope.
SCOPE_OF_METHOD = {
    "auth.test": None,
    "chat.postMessage": "chat:write",
    "chat.postEphemeral": "chat:write",
    "chat.update": "chat:write",
    "usergroups.users.list": "usergroups:read",
    "users.info": "users:read",
    "files.getUploadURLExternal": "files:write",
    "files.completeUploadExternal": "files:write",
}

CALL = re.compile(r"\.([a-z]+_[A-Za-z0-9_]+)\(")


@cache
def api_methods_of(python_name: str) -> frozenset[str]:
    """The Web API methods a WebClient method calls (following its calls of other WebClient methods)."""
    source = inspect.getsource(getattr(WebClient, python_name))
    methods = set(re.findall(r"api_call\(\s*\"([\w.]+)\"", source))
    for inner in re.findall(r"self\.([a-z]+_[A-Za-z0-9_]+)\(", source):
        if inner != python_name and callable(getattr(WebClient, inner, None)):
            methods |= api_methods_of(inner)
    return frozenset(methods)


def methods_called_by_the_bot() -> set[str]:
    """Every Web API method reachable from a WebClient method called anywhere in the bot package."""
    found: set[str] = set()
    for path in (ROOT / "bot").rglob("*.py"):
        for name in CALL.findall(path.read_text()):
            if callable(getattr(WebClient, name, None)) and name != "api_call":
                found |= api_methods_of(name)
    return found


def bot_scopes() -> set[str]:
    return set(MANIFEST["oauth_config"]["scopes"]["bot"])


def test_the_static_scan_finds_the_methods_we_know_the_bot_calls():
    called = methods_called_by_the_bot()
    assert {"usergroups.users.list", "chat.postMessage"} <= called
    assert api_methods_of("files_upload_v2") >= {"files.getUploadURLExternal", "files.completeUploadExternal"}


def test_every_method_the_bot_calls_is_covered_and_no_scope_is_spare():
    called = methods_called_by_the_bot()
    unknown = called - SCOPE_OF_METHOD.keys()
    assert not unknown, f"add the scope of {unknown} to SCOPE_OF_METHOD and to manifest.yml"
    needed = {SCOPE_OF_METHOD[m] for m in called} - {None}
    assert bot_scopes() == needed | {"commands"}


def test_methods_recorded_in_a_real_flow_are_covered(bot, p1):
    order_id = p1.orders.list(max_rows=1)["id"].iloc[0]
    card = only_answer(bot.command(f"order {order_id}", user_id=OPERATOR))
    bot.click(card, "Show customer", user_id="U0MEMBER")  # a non-operator: the group is looked up
    recorded = {r.name for r in bot.standin.calls()}
    assert "usergroups.users.list" in recorded
    assert all(SCOPE_OF_METHOD[m] in bot_scopes() | {None} for m in recorded)


def test_the_slash_command_and_its_usage_hint_cover_every_sub_command():
    (command,) = MANIFEST["features"]["slash_commands"]
    assert command["command"] == SLASH_COMMAND
    hint = command["usage_hint"]
    for name in SUBCOMMANDS:
        assert re.search(rf"(^|\| ){name}\b", hint), f"{name} missing from the usage hint"


def test_socket_mode_and_interactivity_are_on():
    assert MANIFEST["settings"]["socket_mode_enabled"] is True
    assert MANIFEST["settings"]["interactivity"]["is_enabled"] is True
    assert MANIFEST["features"]["bot_user"]["display_name"]
    assert MANIFEST["display_information"]["name"]
