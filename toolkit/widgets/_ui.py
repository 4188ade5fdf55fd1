"""Pieces both forms are built from: a field with its message beside it, tables, readable errors."""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ipywidgets as W
import pandas as pd

from toolkit.errors import APIStatusError, PharmaOneError

#: Wide enough for the German labels; messages get the rest of the row.
FIELD_LAYOUT = {"width": "32em"}
FIELD_STYLE = {"description_width": "12em"}
COLOURS = {"info": "#333", "success": "#1b5e20", "warning": "#8a5300", "error": "#b00020"}


@dataclass
class Field:
    """An input and the message shown beside it. CSS classes: `p1-<name>` and `p1-<name>-message`."""

    widget: W.DOMWidget
    message: W.HTML
    box: W.HBox

    def show(self, text: str | None, *, kind: str = "error") -> None:
        """Show a problem (or, with kind="info", a hint) beside the field; None clears it."""
        self.message.value = f"<span style='color:{COLOURS[kind]}'>{html.escape(text)}</span>" if text else ""


def field(widget: W.DOMWidget, name: str) -> Field:
    widget.add_class(f"p1-{name}")
    message = W.HTML()
    message.add_class(f"p1-{name}-message")
    return Field(widget, message, W.HBox([widget, message]))


def text_input(description: str, name: str, placeholder: str = "") -> Field:
    widget = W.Text(description=description, placeholder=placeholder, layout=FIELD_LAYOUT, style=FIELD_STYLE)
    return field(widget, name)


def button(description: str, name: str, *, style: str = "", tooltip: str = "") -> W.Button:
    widget = W.Button(description=description, button_style=style, tooltip=tooltip or description)
    widget.add_class(f"p1-{name}")
    return widget


def output_html(name: str) -> W.HTML:
    widget = W.HTML()
    widget.add_class(f"p1-{name}")
    return widget


def one_at_a_time(lock: threading.Lock, handler: Callable[[Any], None]) -> Callable[[Any], None]:
    """`handler` as a button callback that is dropped while another callback holding `lock` still runs.

    Disabling a button is not enough: clicks already queued (or sent from another thread) still arrive.
    """

    def guarded(button: Any) -> None:
        if not lock.acquire(blocking=False):
            return
        try:
            handler(button)
        finally:
            lock.release()

    return guarded


def shop_options(p1: Any) -> list[tuple[str, str]]:
    """The organisation's active shops as dropdown options ("Demo Shop DEV (shop1)", "shop1")."""
    shops = p1.shops.list()
    active = shops[shops["is_active"].fillna(True).astype(bool)]
    return [(f"{row.name} ({row.shop_id})", str(row.shop_id)) for row in active.itertuples()]


def shop_field(options: list[tuple[str, str]], name: str) -> Field:
    """A shop dropdown that starts on a "choose a shop" entry (value None)."""
    dropdown = W.Dropdown(
        options=[("— choose a shop —", None), *options],
        index=0,  # value=None alone would show an empty box instead of the hint
        description="Shop",
        style=FIELD_STYLE,
        layout=FIELD_LAYOUT,
    )
    return field(dropdown, name)


def notice(text: str, *, kind: str = "info") -> str:
    """A short message as HTML: kind is info, success, warning or error."""
    return f"<div style='color:{COLOURS[kind]}'>{html.escape(text)}</div>"


def error_text(exc: PharmaOneError) -> str:
    """A PharmaOne error for a person: what happened and, for refusals, PharmaOne's own words."""
    if isinstance(exc, APIStatusError):
        said = exc.message or exc.error or "no reason given"
        reference = f" (request id {exc.request_id})" if exc.request_id else ""
        return f"PharmaOne refused it with {exc.status_code}: {said}{reference}."
    return str(exc)


def table_html(frame: pd.DataFrame, *, highlight: str | None = None) -> str:
    """`frame` as an HTML table; rows whose `highlight` column is non-blank are tinted (class p1-bad-row)."""
    if frame.empty:
        return "<i>no rows</i>"
    shown = frame.astype(object).where(frame.notna(), "")
    head = "".join(f"<th style='text-align:left;padding:2px 8px'>{html.escape(str(c))}</th>" for c in shown)
    rows = []
    for record in shown.to_dict("records"):
        bad = highlight is not None and str(record[highlight]).strip() != ""
        attributes = " class='p1-bad-row' style='background:#fdecea'" if bad else ""
        cells = "".join(f"<td style='padding:2px 8px'>{html.escape(str(v))}</td>" for v in record.values())
        rows.append(f"<tr{attributes}>{cells}</tr>")
    return f"<table class='p1-table'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
