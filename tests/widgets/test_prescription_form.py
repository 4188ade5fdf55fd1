"""PrescriptionForm driven like a user against a sandbox: one prescription, and a CSV with bad rows."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from form_helpers import received, shown_text

from toolkit.widgets import PrescriptionForm
from toolkit.widgets.prescription_rows import check_rows, ingest_rows, read_rows

SAMPLE = Path(__file__).parents[2] / "notebooks" / "data" / "prescriptions_sample.csv"


def ingests(sandbox: Any, expect: int = 0) -> list[dict[str, Any]]:
    return received(sandbox, "POST", "/prescriptions", expect=expect)


def stored(sandbox: Any, email: str) -> list[dict[str, Any]]:
    return sandbox.query("SELECT * FROM prescriptions WHERE customer_email = ?", email)


def upload(form: PrescriptionForm, name: str, content: bytes) -> None:
    """What the browser's FileUpload sends when a file is chosen."""
    chosen = {"name": name, "type": "text/csv", "size": len(content), "last_modified": datetime.now(UTC)}
    form.upload.value = ({**chosen, "content": memoryview(content)},)


def test_one_prescription_is_ingested(p1, sandbox) -> None:
    form = PrescriptionForm(p1)
    form.shop.widget.value = "shop3"
    form.customer_email.widget.value = "single@example.com"
    form.optional["customer_name"].widget.value = "Sina Single"
    form.optional["external_id"].widget.value = "RX-SINGLE-1"

    form.ingest_button.click()

    [sent] = ingests(sandbox, 1)
    assert sent["json"] == {
        "shop_id": "shop3",
        "customer_email": "single@example.com",
        "customer_name": "Sina Single",
        "external_id": "RX-SINGLE-1",
    }
    [row] = stored(sandbox, "single@example.com")
    assert row["shop_id"] == "shop3"
    assert f"Prescription {row['id']} ingested (upsert: ok)" in shown_text(form.result)
    assert not form.ingest_button.disabled


def test_one_prescription_with_a_bad_email_is_not_sent(p1, sandbox) -> None:
    form = PrescriptionForm(p1)
    form.customer_email.widget.value = "single.example.com"
    assert "'single.example.com' is not an e-mail address" in shown_text(form.customer_email.message)
    assert shown_text(form.shop.message) == ""  # not touched yet

    form.ingest_button.click()

    assert ingests(sandbox) == []
    assert shown_text(form.shop.message) == "Choose a shop."
    assert "Not sent" in shown_text(form.result)


def test_csv_with_bad_rows_previews_ingests_the_good_ones_and_returns_the_bad(p1, sandbox) -> None:
    form = PrescriptionForm(p1)
    upload(form, "prescriptions_sample.csv", SAMPLE.read_bytes())

    preview = shown_text(form.preview)
    assert "RX-SAMPLE-006" in preview and "Unknown shop 'shop9'" in preview
    assert form.preview.value.count("p1-bad-row") == 3
    assert "7 row(s): 4 ready, 3 with a problem" in shown_text(form.bulk_summary)
    assert not form.bulk_button.disabled

    form.bulk_button.click()

    sent = ingests(sandbox, 4)
    assert sorted(entry["json"]["external_id"] for entry in sent) == [
        "RX-SAMPLE-001",
        "RX-SAMPLE-002",
        "RX-SAMPLE-003",
        "RX-SAMPLE-007",
    ]
    assert all("comment" not in entry["json"] for entry in sent)
    assert form.progress.value == form.progress.max == 4
    results = shown_text(form.results)
    for email in ("max@example.com", "erika@example.com", "jonas@example.com", "paul@example.com"):
        [row] = [r for r in stored(sandbox, email) if r["ingest_key"] and "RX-SAMPLE" in r["ingest_key"]]
        assert row["id"] in results
    assert "4 ingested, 3 failed" in shown_text(form.bulk_summary)
    again = read_rows(form.csv.widget.value)  # the failed rows, ready to fix
    assert list(again["external_id"]) == ["RX-SAMPLE-004", "RX-SAMPLE-005", "RX-SAMPLE-006"]
    assert "Unknown shop 'shop9'" in again.loc[2, "comment"]

    form.csv.widget.value = form.csv.widget.value.replace("tom.example.com", "tom@example.com")
    assert "3 row(s): 1 ready, 2 with a problem" in shown_text(form.bulk_summary)
    sandbox.clear_received()
    form.bulk_button.click()
    [retried] = ingests(sandbox, 1)
    assert retried["json"]["external_id"] == "RX-SAMPLE-005"
    assert len(read_rows(form.csv.widget.value)) == 2


def test_a_row_pharmaone_refuses_comes_back_with_its_reason(p1, sandbox) -> None:
    form = PrescriptionForm(p1)
    form.csv.widget.value = "shop_id,customer_email\nshop1,first@example.com\nshop1,second@example.com\n"
    sandbox.fail_next(1, status=422, path_contains="/prescriptions")
    form.bulk_button.click()
    assert "1 ingested, 1 failed" in shown_text(form.bulk_summary)
    assert "422" in shown_text(form.results)
    assert len(read_rows(form.csv.widget.value)) == 1


def test_a_csv_with_wrong_columns_is_explained(p1, sandbox) -> None:
    form = PrescriptionForm(p1)
    form.csv.widget.value = "shop,email\nshop1,a@example.com\n"
    message = shown_text(form.csv.message)
    assert "missing column(s) shop_id, customer_email" in message
    assert "unknown column(s) shop, email" in message
    assert form.bulk_button.disabled
    form.bulk_button.click()
    assert ingests(sandbox) == []


def test_a_second_bulk_click_while_ingesting_is_ignored(p1, sandbox) -> None:
    form = PrescriptionForm(p1)
    form.csv.widget.value = "shop_id,customer_email\nshop1,slow@example.com\n"
    sandbox.configure(latency_ms=800)
    try:
        first = threading.Thread(target=form.bulk_button.click)
        first.start()
        deadline = time.monotonic() + 10
        while not form.bulk_button.disabled and time.monotonic() < deadline:
            time.sleep(0.01)
        form.bulk_button.click()
        first.join(timeout=30)
    finally:
        sandbox.configure(latency_ms=0)
    assert len(ingests(sandbox, 1)) == 1


def test_a_long_ingest_reports_progress_chunk_by_chunk(p1, sandbox) -> None:
    lines = [f"shop1,bulk{number}@example.com,RX-BULK-{number:03d}" for number in range(23)]
    checked = check_rows(read_rows("shop_id,customer_email,external_id\n" + "\n".join(lines)), ["shop1"])
    progress: list[tuple[int, int]] = []

    results = ingest_rows(p1, checked, lambda done, total: progress.append((done, total)))

    assert progress == [(0, 23), (10, 23), (20, 23), (23, 23)]
    assert results["error"].isna().all() and results["id"].notna().all()
    assert list(results["line"]) == list(range(2, 25))
    stored_ids = {
        row["id"] for row in sandbox.query("SELECT id FROM prescriptions WHERE ingest_key LIKE '%RX-BULK-%'")
    }
    assert set(results["id"]) == stored_ids and len(stored_ids) == 23


def test_an_upload_that_is_not_utf8_is_explained(p1, sandbox) -> None:
    form = PrescriptionForm(p1)
    upload(form, "export.csv", "shop_id,customer_email\nshop1,jürgen@example.com\n".encode("latin-1"))
    assert "export.csv is not UTF-8 text" in shown_text(form.csv.message)
    assert form.csv.widget.value == "" and form.bulk_button.disabled
