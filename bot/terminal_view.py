"""Show Slack messages (Block Kit) in a terminal with rich, for `p1 demo`."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from bot.simulator import Clickable

_BOLD = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_([^_\n]+)_(?![\w_])")
_CODE = re.compile(r"`([^`\n]+)`")
_MENTION = re.compile(r"<([@#])([A-Z0-9]+)(?:\|[^>]*)?>")


def mrkdwn_to_markup(text: str) -> str:
    """Slack mrkdwn (*bold*, _italic_, `code`, <@U…>) as rich markup; emoji codes stay for rich to draw."""
    markup = escape(text)
    markup = _CODE.sub(r"[cyan]\1[/cyan]", markup)
    markup = _BOLD.sub(r"[bold]\1[/bold]", markup)
    markup = _ITALIC.sub(r"[italic]\1[/italic]", markup)
    return _MENTION.sub(lambda m: f"[magenta]{m.group(1)}{m.group(2)}[/magenta]", markup)


def _text_of(obj: dict[str, Any] | None) -> str:
    if not obj:
        return ""
    text = obj.get("text", "")
    return mrkdwn_to_markup(text) if obj.get("type") == "mrkdwn" else escape(text)


def _block(block: dict[str, Any], numbers: dict[int, int]) -> RenderableType | None:
    kind = block.get("type")
    if kind == "header":
        return Text.from_markup(f"[bold underline]{_text_of(block.get('text'))}[/bold underline]")
    if kind == "section":
        parts: list[RenderableType] = []
        if block.get("text"):
            parts.append(Text.from_markup(_text_of(block["text"])))
        if block.get("fields"):
            grid = Table.grid(padding=(0, 3))
            fields = [_text_of(f).replace("\n", " ", 1) for f in block["fields"]]
            for pair in range(0, len(fields), 2):
                grid.add_row(*(Text.from_markup(f) for f in fields[pair : pair + 2]))
            parts.append(grid)
        return Group(*parts)
    if kind == "context":
        return Text.from_markup(
            "[dim]" + "  ".join(_text_of(e) for e in block.get("elements", []) if "text" in e) + "[/dim]"
        )
    if kind == "actions":
        labels = []
        for element in block.get("elements", []):
            number = numbers.get(id(element))
            if number is not None:
                labels.append(f"[reverse] {number} [/reverse] {escape(_element_label(element))}")
        return Text.from_markup("   ".join(labels))
    if kind == "divider":
        return Text("─" * 40, style="dim")
    return None


def _element_label(element: dict[str, Any]) -> str:
    label = (element.get("text") or element.get("placeholder") or {}).get("text", "")
    if element.get("type") == "static_select":
        return f"{label} ({' | '.join(o['text']['text'] for o in element.get('options', []))})"
    return label


def message_panel(message: dict[str, Any], where: str, first_number: int, *, style: str = "green") -> Panel:
    """A panel for one message, its buttons and menus numbered from `first_number` in order."""
    blocks = message.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    elements = [e for b in blocks if b.get("type") == "actions" for e in b.get("elements", [])]
    numbers = {id(e): first_number + i for i, e in enumerate(elements)}
    body = [r for r in (_block(b, numbers) for b in blocks) if r is not None]
    if not body:
        body = [Text.from_markup(mrkdwn_to_markup(message.get("text", "")))]
    return Panel(Group(*body), title=where, title_align="left", border_style=style)


def actions_hint(numbered: Sequence[tuple[int, Clickable]]) -> str | None:
    """How to use the buttons just shown, with a real number (a menu's first option when there is a menu)."""
    if not numbered:
        return None
    menus = [(number, item) for number, item in numbered if item.kind == "static_select"]
    example = f"click {menus[0][0]} {menus[0][1].options[0][0]}" if menus else f"click {numbered[0][0]}"
    return f"[dim]Type [bold]{example}[/bold] to use a button or menu above.[/dim]"
