"""`PrescriptionForm(p1)`: ingest one prescription, or many from a CSV with a checked preview.

One tab takes a single prescription field by field; the other takes a CSV (uploaded or pasted), shows each
row with its problem, ingests the good rows with a progress bar, shows a result per row and puts the rows
that failed back in the CSV box, with the reason in their `comment`, ready to fix and ingest again.
Ingest is an upsert, so sending a row again updates the prescription instead of adding one.
"""

from __future__ import annotations

import html
import threading
from typing import Any

import ipywidgets as W
import pandas as pd

from toolkit.errors import PharmaOneError
from toolkit.widgets import _ui, validation
from toolkit.widgets.prescription_rows import (
    COMMENT_COLUMN,
    SENT_COLUMNS,
    CsvFormatError,
    check_rows,
    failed_rows_csv,
    ingest_fields,
    ingest_rows,
    read_rows,
)

#: The optional single-prescription fields and how the form labels them.
OPTIONAL_FIELDS: dict[str, tuple[str, str]] = {
    "customer_name": ("Customer name", "Max Mustermann"),
    "external_id": ("External id", "your id, e.g. RX-2026-0042 (re-ingest updates it)"),
    "prescription_pdf_url": ("Prescription PDF URL", "https://…/rx.pdf"),
}


class PrescriptionForm(W.VBox):
    """Ingest prescriptions: one by one, or many from a CSV with a checked preview and a progress bar."""

    def __init__(self, p1: Any) -> None:
        self.p1 = p1
        shop_options = _ui.shop_options(p1)
        self._known_shops = [shop_id for _, shop_id in shop_options]
        self._touched: set[str] = set()
        self._checked: pd.DataFrame | None = None  # the CSV's rows with their problems
        self._lock = threading.Lock()  # one ingest at a time; clicks meanwhile are ignored

        self.shop = _ui.shop_field(shop_options, "rx-shop")
        self.customer_email = _ui.text_input("Customer e-mail", "rx-email", "max@example.com")
        self.optional = {
            name: _ui.text_input(label, f"rx-{name.replace('_', '-')}", placeholder)
            for name, (label, placeholder) in OPTIONAL_FIELDS.items()
        }
        self.ingest_button = _ui.button("Ingest prescription", "rx-ingest", style="primary")
        self.result = _ui.output_html("rx-result")

        self.upload = W.FileUpload(accept=".csv", multiple=False, description="Upload CSV")
        self.upload.add_class("p1-rx-upload")
        self.csv = _ui.field(
            W.Textarea(
                description="CSV",
                placeholder=f"{','.join(SENT_COLUMNS)},{COMMENT_COLUMN}\n…",
                rows=10,
                continuous_update=False,
                style=_ui.FIELD_STYLE,
                layout={"width": "60em"},
            ),
            "rx-csv",
        )
        self.preview = _ui.output_html("rx-preview")
        self.bulk_summary = _ui.output_html("rx-bulk-summary")
        self.bulk_button = _ui.button("Ingest valid rows", "rx-bulk-ingest", style="primary")
        self.progress = W.IntProgress(value=0, min=0, max=1, description="Ingested", style=_ui.FIELD_STYLE)
        self.progress.add_class("p1-rx-progress")
        self.progress_text = _ui.output_html("rx-progress-text")
        self.progress_box = W.HBox([self.progress, self.progress_text], layout={"display": "none"})
        self.results = _ui.output_html("rx-results")

        single = W.VBox(
            [
                self.shop.box,
                self.customer_email.box,
                *(part.box for part in self.optional.values()),
                self.ingest_button,
                self.result,
            ]
        )
        bulk = W.VBox(
            [
                W.HTML(
                    f"<small>Columns: {', '.join(SENT_COLUMNS)} (shop_id and customer_email required) and an "
                    f"optional {COMMENT_COLUMN}, which is never sent. Each row is checked before anything is "
                    "sent; rows with a problem are skipped.</small>"
                ),
                self.upload,
                self.csv.box,
                self.preview,
                W.HBox([self.bulk_button, self.bulk_summary]),
                self.progress_box,
                self.results,
            ]
        )
        self.tabs = W.Tab(children=[single, bulk], titles=("One prescription", "Many from a CSV"))
        self.tabs.add_class("p1-rx-tabs")
        super().__init__(children=[W.HTML("<h3>Prescription ingest</h3>"), self.tabs])
        self.add_class("p1-prescription-form")
        self._wire()
        self._check_single()
        self._check_csv()

    def __repr__(self) -> str:  # short, and without the customer's details the default repr would list
        rows = 0 if self._checked is None else len(self._checked)
        return f"PrescriptionForm(shop={self.shop.widget.value!r}, csv_rows={rows})"

    def _wire(self) -> None:
        for name, part in (("shop_id", self.shop), ("customer_email", self.customer_email)):
            part.widget.observe(lambda _, name=name: self._on_single_edit(name), "value")
        self.ingest_button.on_click(_ui.one_at_a_time(self._lock, self._on_ingest_one))
        self.upload.observe(self._on_upload, "value")
        self.csv.widget.observe(lambda _: self._check_csv(), "value")
        self.bulk_button.on_click(_ui.one_at_a_time(self._lock, self._on_ingest_many))

    # --- one prescription -------------------------------------------------------------------------------

    def _single_row(self) -> dict[str, str]:
        row = {"shop_id": self.shop.widget.value or "", "customer_email": self.customer_email.widget.value}
        row.update({name: part.widget.value for name, part in self.optional.items()})
        return {name: value.strip() for name, value in row.items()}

    def _on_single_edit(self, name: str) -> None:
        self._touched.add(name)
        self._check_single()

    def _check_single(self, *, show_all: bool = False) -> bool:
        """Show the single form's problems beside its fields; True when it can be sent."""
        row = self._single_row()
        shop = validation.shop_problem(row["shop_id"] or None, self._known_shops)
        email = validation.email_problem(row["customer_email"])
        self.shop.show(shop if show_all or "shop_id" in self._touched else None)
        self.customer_email.show(email if show_all or "customer_email" in self._touched else None)
        return shop is None and email is None

    def _on_ingest_one(self, _button: W.Button | None = None) -> None:
        if not self._check_single(show_all=True):
            self.result.value = _ui.notice("Not sent: fix the fields marked above.", kind="error")
            return
        fields = ingest_fields(self._single_row())
        self.ingest_button.disabled = True
        self.result.value = _ui.notice("Sending…")
        try:
            answer = self.p1.prescriptions.ingest(
                fields.pop("shop_id"), fields.pop("customer_email"), **fields
            )
        except PharmaOneError as exc:
            self.result.value = _ui.notice(f"Not ingested. {_ui.error_text(exc)}", kind="error")
        else:
            self.result.value = _ui.notice(
                f"Prescription {answer.id} ingested (upsert: {answer.upsert}).", kind="success"
            )
        finally:
            self.ingest_button.disabled = False

    # --- many from a CSV --------------------------------------------------------------------------------

    def _on_upload(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        content = bytes(files[0]["content"])
        try:
            self.csv.widget.value = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.csv.show(f"{files[0]['name']} is not UTF-8 text; save the CSV as UTF-8 and upload it again.")

    def _check_csv(self) -> None:
        self._checked = None
        self.csv.show(None)
        self.preview.value = ""
        text = self.csv.widget.value
        if text.strip():
            try:
                self._checked = check_rows(read_rows(text), self._known_shops)
            except CsvFormatError as exc:
                self.csv.show(str(exc))
        if self._checked is None:
            self.bulk_button.disabled = True
            self.bulk_summary.value = _ui.notice("Upload or paste a CSV to check its rows.")
            return
        bad = int((self._checked["problem"] != "").sum())
        ready = len(self._checked) - bad
        self.preview.value = _ui.table_html(self._checked, highlight="problem")
        self.bulk_button.disabled = ready == 0
        self.bulk_summary.value = _ui.notice(
            f"{len(self._checked)} row(s): {ready} ready, {bad} with a problem (not sent until fixed).",
            kind="warning" if bad else "info",
        )

    def _on_ingest_many(self, _button: W.Button | None = None) -> None:
        checked = self._checked
        if checked is None or not (checked["problem"] == "").any():
            self.bulk_summary.value = _ui.notice("No row is ready to send.", kind="error")
            return
        self.bulk_button.disabled = True
        self.progress_box.layout.display = None
        try:
            results = ingest_rows(self.p1, checked, self._show_progress)
        except PharmaOneError as exc:
            self.bulk_summary.value = _ui.notice(f"Ingest stopped. {_ui.error_text(exc)}", kind="error")
            self.bulk_button.disabled = False
            return
        self._show_results(checked, results)

    def _show_progress(self, done: int, total: int) -> None:
        self.progress.max = max(total, 1)
        self.progress.value = done
        self.progress_text.value = html.escape(f"{done} / {total}")

    def _show_results(self, checked: pd.DataFrame, results: pd.DataFrame) -> None:
        self.results.value = "<b>Results</b>" + _ui.table_html(results, highlight="error")
        failed = int(results["error"].notna().sum())
        self.csv.widget.value = failed_rows_csv(checked, results)
        self._check_csv()  # the preview now shows what is left (also when the text did not change)
        self.bulk_summary.value = _ui.notice(
            f"{len(results) - failed} ingested, {failed} failed."
            + (
                " The failed rows are in the CSV box with the reason in comment: fix them and ingest again."
                if failed
                else ""
            ),
            kind="warning" if failed else "success",
        )
