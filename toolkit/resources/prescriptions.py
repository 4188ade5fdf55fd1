"""`/prescriptions`: list (offset pages without total), get, ingest (an upsert) one or many."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pandas as pd

from toolkit import frames, validation
from toolkit._runner import Batch
from toolkit.errors import InvalidArgumentError
from toolkit.models import IngestResult, Prescription
from toolkit.resources._base import Namespace, compact, operation
from toolkit.vocabulary import PRESCRIPTIONS_DEFAULT_LIMIT, PRESCRIPTIONS_MAX_LIMIT


class Prescriptions(Namespace):
    @operation
    def list(
        self, status: str | None = None, max_rows: int | None = None
    ) -> Generator[Any, Any, pd.DataFrame]:
        """Every prescription, optionally of one status; at most `max_rows` rows."""
        filters = compact(status=None if status is None else validation.prescription_status(status))
        return (
            yield from self._offset_listing(
                "/prescriptions",
                filters,
                max_limit=PRESCRIPTIONS_MAX_LIMIT,
                documented_limit=PRESCRIPTIONS_DEFAULT_LIMIT,
                max_rows=validation.max_rows(max_rows),
                schema=frames.PRESCRIPTIONS,
            )
        )

    @operation
    def get(self, prescription_id: str) -> Generator[Any, Any, Prescription]:
        prescription_id = validation.prescription_id(prescription_id)
        body = yield self._call("GET", f"/prescriptions/{prescription_id}")
        return Prescription.from_wire(body)

    @operation
    def ingest(self, shop_id: str, customer_email: str, **fields: Any) -> Generator[Any, Any, IngestResult]:
        """Create or update a prescription; further fields of the full ingest body are passed through."""
        body = yield self._ingest_call(_ingest_body(shop_id, customer_email, fields))
        return IngestResult.from_wire(body)

    @operation
    def ingest_many(self, frame: pd.DataFrame) -> Generator[Any, Any, pd.DataFrame]:
        """Ingest every row of `frame` (columns shop_id, customer_email, any further fields).

        All rows are checked before any is sent. One row failing does not stop the others: the result has
        one row per input row with `row`, `id`, `upsert` and `error` (the readable message, or <NA>).
        """
        if not isinstance(frame, pd.DataFrame):
            raise InvalidArgumentError(
                "ingest_many() takes a pandas DataFrame with shop_id and customer_email."
            )
        bodies = []
        for number, record in enumerate(frame.to_dict("records")):
            fields = {key: value for key, value in record.items() if not _missing(value)}
            try:
                bodies.append(
                    _ingest_body(fields.pop("shop_id", None), fields.pop("customer_email", None), fields)
                )
            except InvalidArgumentError as exc:
                raise InvalidArgumentError(f"row {number}: {exc}") from None
        answers = yield Batch(tuple(self._ingest_call(body) for body in bodies), settle=True)
        rows = [
            {"row": number, "error": str(answer)}
            if isinstance(answer, Exception)
            else {"row": number, **(answer or {})}
            for number, answer in enumerate(answers)
        ]
        return frames.to_frame(rows, frames.INGEST_RESULTS)

    def _ingest_call(self, body: dict[str, Any]) -> Any:
        return self._call("POST", "/prescriptions", json=body)


def _ingest_body(shop_id: Any, customer_email: Any, fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "shop_id": validation.text("shop_id", shop_id),
        "customer_email": validation.email("customer_email", customer_email),
        **fields,
    }


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, list | dict) and bool(pd.isna(value)))
