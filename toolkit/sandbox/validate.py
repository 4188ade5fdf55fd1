"""Reading query parameters and JSON fields with refusals that name the field and say what would be right."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from toolkit.sandbox.errors import invalid


def query_int(
    query: Mapping[str, str],
    name: str,
    default: int,
    *,
    minimum: int,
    maximum: int | None = None,
    cap: bool = False,
) -> int:
    """An integer query parameter; above `maximum` it is capped (`cap`) or refused with 400."""
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid(name, f"{name} must be a whole number, got {raw!r}", 400) from None
    if value < minimum:
        raise invalid(name, f"{name} must be at least {minimum}, got {value}", 400)
    if maximum is not None and value > maximum:
        if cap:
            return maximum
        raise invalid(name, f"{name} must be at most {maximum}, got {value}", 400)
    return value


def query_offset_page(query: Mapping[str, str], default_limit: int, max_limit: int) -> tuple[int, int]:
    """(limit, offset) of an offset-paged list; a limit above `max_limit` is capped to it."""
    limit = query_int(query, "limit", default_limit, minimum=1, maximum=max_limit, cap=True)
    return limit, query_int(query, "offset", 0, minimum=0)


def query_choice(query: Mapping[str, str], name: str, choices: Iterable[str]) -> str | None:
    raw = query.get(name)
    if raw is None or raw == "":
        return None
    allowed = list(choices)
    if raw not in allowed:
        raise invalid(name, f"{name} {raw!r} is not one of: {', '.join(allowed)}", 400)
    return raw


def query_date(query: Mapping[str, str], name: str) -> date | None:
    raw = query.get(name)
    if raw is None or raw == "":
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise invalid(
            name, f"{name} must be a date as YYYY-MM-DD (e.g. 2026-06-01), got {raw!r}", 400
        ) from None


def text(body: Mapping[str, Any], field: str, *, required: bool = False, where: str = "") -> str | None:
    """A string field; `where` prefixes the field name in messages (e.g. "payload.")."""
    value = body.get(field)
    if value is None or value == "":
        if required:
            raise invalid(where + field, f"{where}{field} is required")
        return None
    if not isinstance(value, str):
        raise invalid(where + field, f"{where}{field} must be a string, got {type(value).__name__}")
    return value


def flag(body: Mapping[str, Any], field: str, *, where: str = "") -> bool | None:
    value = body.get(field)
    if value is None:
        return None
    if not isinstance(value, bool):
        raise invalid(where + field, f"{where}{field} must be true or false, got {value!r}")
    return value


def whole(body: Mapping[str, Any], field: str, *, where: str = "", default: int | None = None) -> int | None:
    value = body.get(field, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(where + field, f"{where}{field} must be a whole number, got {value!r}")
    return value


def money(body: Mapping[str, Any], field: str, *, where: str = "") -> float | None:
    value = body.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise invalid(where + field, f"{where}{field} must be a non-negative number of euros, got {value!r}")
    return float(value)


def choice(body: Mapping[str, Any], field: str, choices: Iterable[str], *, where: str = "") -> str | None:
    value = text(body, field, where=where)
    allowed = list(choices)
    if value is not None and value not in allowed:
        raise invalid(where + field, f"{where}{field} {value!r} is not one of: {', '.join(allowed)}")
    return value


def product_id(body: Mapping[str, Any], field: str = "p1_id", *, where: str = "") -> int:
    """A required p1_id, given as the documented string ("12345") or as an integer."""
    value = body.get(field)
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    raise invalid(where + field, f'{where}{field} is required: a product id such as "57672", got {value!r}')


def only_known(body: Mapping[str, Any], known: Iterable[str], *, where: str = "") -> None:
    unknown = sorted(set(body) - set(known))
    if unknown:
        listed = ", ".join(where + name for name in unknown)
        raise invalid(where + unknown[0], f"unknown field(s) {listed}; accepted: {', '.join(sorted(known))}")


def obj(
    body: Mapping[str, Any], field: str, *, where: str = "", required: bool = False
) -> dict[str, Any] | None:
    value = body.get(field)
    if value is None:
        if required:
            raise invalid(where + field, f"{where}{field} is required (a JSON object)")
        return None
    if not isinstance(value, dict):
        raise invalid(where + field, f"{where}{field} must be a JSON object, got {type(value).__name__}")
    return value


def path_product_id(raw: str) -> int:
    """The `{p1Id}` of a route path."""
    if not raw.isdigit():
        raise invalid("p1Id", f"p1Id must be a numeric product id such as 57672, got {raw!r}", 400)
    return int(raw)
