"""The prescription ingest notebook in a real browser: upload the sample CSV, check the preview, ingest.

The sample CSV says in each row's comment whether the row is wrong on purpose; the page must mark exactly
those rows, ingest the others, and show a result for every row.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from browser_harness import NOTEBOOKS, save_screenshot
from playwright.sync_api import Locator, Page, expect

from toolkit.sandbox import Sandbox

NOTEBOOK = "03_prescription_ingest.ipynb"
SAMPLE = NOTEBOOKS / "data" / "prescriptions_sample.csv"
BAD_ROW_MARK = "EXAMPLE OF A BAD ROW"


def sample_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def table_rows(table: Locator) -> list[dict[str, object]]:
    """An HTML table the form shows, as {column: text} per row, with `bad` for rows marked as bad."""
    return table.evaluate(
        """table => {
            const names = [...table.querySelectorAll('thead th')].map(cell => cell.innerText.trim());
            return [...table.querySelectorAll('tbody tr')].map(row => {
                const record = {bad: row.classList.contains('p1-bad-row')};
                [...row.cells].forEach((cell, i) => { record[names[i]] = cell.innerText.trim(); });
                return record;
            });
        }"""
    )


@pytest.fixture
def prescription_form(voila_page: Page) -> Locator:
    """The notebook's first form (a second one is filled in code on a sandbox only)."""
    form = voila_page.locator(".p1-prescription-form").first
    expect(form.get_by_role("tab", name="Many from a CSV")).to_be_visible()
    return form


def test_the_sample_csv_is_uploaded_checked_and_ingested_row_by_row(
    prescription_form: Locator, voila_page: Page, sandbox: Sandbox
) -> None:
    rows = sample_rows(SAMPLE)
    bad = {row["external_id"] for row in rows if row["comment"].startswith(BAD_ROW_MARK)}
    good = {row["external_id"]: row for row in rows if row["external_id"] not in bad}
    assert bad and good, "the sample CSV should have good rows and rows marked as bad"
    before = sandbox.query("SELECT COUNT(*) AS n FROM prescriptions")[0]["n"]

    prescription_form.get_by_role("tab", name="Many from a CSV").click()
    with voila_page.expect_file_chooser() as chooser:
        prescription_form.locator(".p1-rx-upload").click()
    chooser.value.set_files(SAMPLE)

    summary = prescription_form.locator(".p1-rx-bulk-summary")
    expect(summary).to_contain_text(f"{len(good)} ready, {len(bad)} with a problem")
    preview = table_rows(prescription_form.locator(".p1-rx-preview table"))
    assert [row["external_id"] for row in preview] == [row["external_id"] for row in rows]
    assert {row["external_id"] for row in preview if row["bad"]} == bad
    assert all(row["problem"] for row in preview if row["bad"])
    save_screenshot(prescription_form, "prescription_form_preview")

    prescription_form.get_by_role("button", name="Ingest valid rows").click()
    expect(prescription_form.locator(".p1-rx-progress-text")).to_have_text(f"{len(good)} / {len(good)}")
    results_table = prescription_form.locator(".p1-rx-results table")
    expect(results_table.locator("tbody tr")).to_have_count(len(rows))
    expect(summary).to_contain_text(f"{len(good)} ingested, {len(bad)} failed")
    save_screenshot(prescription_form, "prescription_form_ingested")

    results = table_rows(results_table)
    assert [row["bad"] for row in results] == [row["external_id"] in bad for row in rows]
    ingested = {row["id"]: row for row in results if not row["bad"]}
    assert all(ingested) and len(ingested) == len(good)
    placeholders = ",".join("?" * len(ingested))
    stored = sandbox.query(
        f"SELECT shop_id, customer_email FROM prescriptions WHERE id IN ({placeholders})", *ingested
    )
    assert sorted((row["shop_id"], row["customer_email"]) for row in stored) == sorted(
        (row["shop_id"], row["customer_email"]) for row in good.values()
    )
    assert sandbox.query("SELECT COUNT(*) AS n FROM prescriptions")[0]["n"] == before + len(good)
