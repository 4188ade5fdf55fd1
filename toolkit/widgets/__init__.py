"""ipywidgets forms for analysts: `OrderForm(p1)` (ad-hoc order requests), `PrescriptionForm(p1)` (ingest).

The rules behind them are plain modules (validation, order_draft, prescription_rows) usable without widgets.
"""

from toolkit.widgets.order_form import OrderForm
from toolkit.widgets.prescription_form import PrescriptionForm

__all__ = ["OrderForm", "PrescriptionForm"]
