"""Prescriptions to ingest, as rows: read a CSV, check each row, ingest the good ones, hand back the rest.

Plain functions over DataFrames, so the rules are testable without widgets; `PrescriptionForm` shows them.
A row is one prescription: `shop_id` and `customer_email` are required (as the ingest route requires them);
`external_id` makes a re-ingest update the same prescription instead of adding one; `customer_name` and
`prescription_pdf_url` are passed through. A `comment` column is for people: shown, never sent.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pandas as pd

from toolkit.widgets import validation

REQUIRED_COLUMNS: tuple[str, ...] = ("shop_id", "customer_email")
OPTIONAL_COLUMNS: tuple[str, ...] = ("external_id", "customer_name", "prescription_pdf_url")
SENT_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
COMMENT_COLUMN = "comment"
#: Rows per `ingest_many` call: small enough for a progress bar that moves, big enough to run concurrently.
INGEST_CHUNK = 10


class CsvFormatError(ValueError):
    """The CSV as a whole cannot be read (not a CSV, or its columns are wrong)."""


def read_rows(text: str) -> pd.DataFrame:
    """The CSV's rows as text columns (blank cells are ""), with `line`, the row's line in the file."""
    if not text.strip():
        raise CsvFormatError(
            "The CSV is empty: expected a header line such as "
            f"{','.join(SENT_COLUMNS)} and one line per prescription."
        )
    try:
        rows = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise CsvFormatError(f"This is not a readable CSV ({exc}).") from None
    rows.columns = [str(column).strip() for column in rows.columns]
    missing = [column for column in REQUIRED_COLUMNS if column not in rows.columns]
    unknown = [column for column in rows.columns if column not in (*SENT_COLUMNS, COMMENT_COLUMN)]
    if missing or unknown:
        parts = [f"missing column(s) {', '.join(missing)}"] if missing else []
        parts += [f"unknown column(s) {', '.join(unknown)}"] if unknown else []
        raise CsvFormatError(
            f"The CSV header does not fit: {'; '.join(parts)}. Expected {', '.join(REQUIRED_COLUMNS)} "
            f"and optionally {', '.join((*OPTIONAL_COLUMNS, COMMENT_COLUMN))}."
        )
    rows = rows.apply(lambda column: column.str.strip())
    rows.insert(0, "line", range(2, len(rows) + 2))  # line 1 is the header
    return rows.reset_index(drop=True)


def row_problem(row: Mapping[str, Any], known_shops: Iterable[str]) -> str | None:
    """Why this prescription cannot be ingested, or None."""
    problems = [
        validation.shop_problem(row.get("shop_id") or None, known_shops),
        validation.email_problem(str(row.get("customer_email") or "")),
    ]
    return " ".join(problem for problem in problems if problem) or None


def check_rows(rows: pd.DataFrame, known_shops: Iterable[str]) -> pd.DataFrame:
    """`rows` with a `problem` column ("" when the row can be sent), e.g. for a preview table."""
    known = list(known_shops)
    checked = rows.copy()
    problems = [row_problem(row, known) or "" for row in rows.to_dict("records")]
    if "external_id" in rows.columns:
        first_line: dict[str, int] = {}
        for index, (line, external_id) in enumerate(zip(rows["line"], rows["external_id"], strict=True)):
            if external_id and external_id in first_line:
                duplicate = (
                    f"Same external_id as line {first_line[external_id]}: it would overwrite that "
                    "prescription; give each prescription its own external_id."
                )
                problems[index] = f"{problems[index]} {duplicate}".strip()
            first_line.setdefault(external_id, line)
    checked["problem"] = problems
    return checked


def ingest_fields(row: Mapping[str, Any]) -> dict[str, str]:
    """The non-blank fields of a row that go to PharmaOne."""
    return {column: str(row[column]) for column in SENT_COLUMNS if str(row.get(column) or "").strip()}


def ingest_rows(
    p1: Any, checked: pd.DataFrame, on_progress: Callable[[int, int], None] = lambda done, total: None
) -> pd.DataFrame:
    """Ingest the rows of `checked` without a problem; one result row per input row.

    Columns: line, shop_id, id, upsert, error (the row's problem, or PharmaOne's answer when it failed).
    `on_progress(done, total)` is called after each chunk of sent rows.
    """
    results = checked[["line", "shop_id"]].copy()
    results["id"] = pd.Series(pd.NA, index=results.index, dtype="string")
    results["upsert"] = pd.Series(pd.NA, index=results.index, dtype="string")
    results["error"] = checked["problem"].where(checked["problem"] != "", pd.NA).astype("string")
    sendable = checked.index[checked["problem"] == ""]
    on_progress(0, len(sendable))
    for start in range(0, len(sendable), INGEST_CHUNK):
        chunk = sendable[start : start + INGEST_CHUNK]
        frame = pd.DataFrame([ingest_fields(checked.loc[index]) for index in chunk])
        answers = p1.prescriptions.ingest_many(frame)
        for index, answer in zip(chunk, answers.to_dict("records"), strict=True):
            for column in ("id", "upsert", "error"):
                results.loc[index, column] = answer.get(column)
        on_progress(start + len(chunk), len(sendable))
    return results


def failed_rows_csv(checked: pd.DataFrame, results: pd.DataFrame) -> str:
    """The rows that were not ingested, as CSV to fix and ingest again; the reason is in `comment`."""
    failed = results["error"].notna()
    columns = [column for column in SENT_COLUMNS if column in checked.columns]
    rows = checked.loc[failed, columns].copy()
    rows[COMMENT_COLUMN] = results.loc[failed, "error"].astype(str)
    return rows.to_csv(index=False) if len(rows) else ""
