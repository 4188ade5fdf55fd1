"""`/inventory`: the org's stock (unpaginated), adjustments, the per-product log and daily history."""

from __future__ import annotations

from collections.abc import Generator, Mapping
from typing import Any

import pandas as pd

from toolkit import frames, validation
from toolkit.errors import AdjustOutcomeUnknown, InvalidArgumentError, PharmaOneError
from toolkit.models import InventoryAdjustResult
from toolkit.pagination import data_rows
from toolkit.resources._base import Namespace, compact, operation


class Inventory(Namespace):
    @operation
    def list(self) -> Generator[Any, Any, pd.DataFrame]:
        """Org stock: p1_id (string), name, stock_quantity, price, category, log_entries, last_activity."""
        body = yield self._call("GET", "/inventory")
        return frames.to_frame(data_rows(body), frames.INVENTORY)

    @operation
    def adjust(
        self,
        p1_id: str | int,
        reason: str,
        delta_on_hand: int = 0,
        delta_incoming: int = 0,
        *,
        shop_id: str | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> Generator[Any, Any, InventoryAdjustResult]:
        """Change stock by deltas (negative reduces it). Never resent blindly: see AdjustOutcomeUnknown."""
        p1_id = validation.p1_id(p1_id)
        body = compact(
            p1_id=p1_id,
            delta_on_hand=validation.integer("delta_on_hand", delta_on_hand),
            delta_incoming=validation.integer("delta_incoming", delta_incoming),
            reason=validation.text("reason", reason),
            shop_id=validation.optional_text("shop_id", shop_id),
            metadata=None if metadata is None else dict(metadata),
        )
        if delta_on_hand == 0 and delta_incoming == 0:
            raise InvalidArgumentError(
                "adjust() changes nothing: give a non-zero delta_on_hand or delta_incoming."
            )

        def unknown(cause: PharmaOneError) -> AdjustOutcomeUnknown:
            return AdjustOutcomeUnknown(
                f"The stock adjustment of product {p1_id} may or may not have been applied ({cause}). "
                f"It was NOT sent again. Check inventory.log('{p1_id}') for it before repeating it.",
                p1_id=p1_id,
            )

        answer = yield self._call_once("/inventory/adjust", body, unknown)
        return InventoryAdjustResult.from_wire(answer)

    @operation
    def log(self, p1_id: str | int) -> Generator[Any, Any, pd.DataFrame]:
        """Up to 200 recent log entries of one product."""
        p1_id = validation.p1_id(p1_id)
        body = yield self._call("GET", f"/inventory/{p1_id}/log")
        return frames.to_frame(data_rows(body), frames.INVENTORY_LOG)

    @operation
    def history(self, p1_id: str | int, days: int = 30) -> Generator[Any, Any, pd.DataFrame]:
        """Daily stock changes of one product over the last `days` (1-365)."""
        p1_id = validation.p1_id(p1_id)
        body = yield self._call("GET", f"/inventory/{p1_id}/history", params={"days": validation.days(days)})
        rows = data_rows(body)
        return frames.to_frame(rows, frames.HISTORY)
