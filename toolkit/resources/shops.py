"""`GET /shops`."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pandas as pd

from toolkit import frames
from toolkit.pagination import data_rows
from toolkit.resources._base import Namespace, operation


class Shops(Namespace):
    @operation
    def list(self) -> Generator[Any, Any, pd.DataFrame]:
        """All shops of the org: columns shop_id, name, is_active."""
        body = yield self._call("GET", "/shops")
        return frames.to_frame(data_rows(body), frames.SHOPS)
