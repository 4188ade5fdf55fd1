"""ipywidgets forms for analysts: `OrderForm(p1)` (ad-hoc order requests), `PrescriptionForm(p1)` (ingest).

The rules behind them are plain modules (validation, order_draft, prescription_rows) usable without widgets.

For browser tests (Voila + Playwright), inputs have labels (their `description`) and these CSS classes;
every field's message beside it has the field's class plus `-message` (e.g. `p1-order-email-message`):

* OrderForm: p1-order-form, p1-order-shop, p1-order-search, p1-order-products, p1-order-quantity,
  p1-order-add, p1-order-items, p1-order-remove, p1-order-items-message, p1-order-total, p1-order-name,
  p1-order-email, p1-order-shipping, p1-order-address-street, p1-order-address-postal-code,
  p1-order-address-city, p1-order-address-phone, p1-order-payment, p1-order-target, p1-order-reference,
  p1-order-submit, p1-order-new, p1-order-summary, p1-order-result, p1-order-preview
* PrescriptionForm: p1-prescription-form, p1-rx-tabs, p1-rx-shop, p1-rx-email, p1-rx-customer-name,
  p1-rx-external-id, p1-rx-prescription-pdf-url, p1-rx-ingest, p1-rx-result, p1-rx-upload, p1-rx-csv,
  p1-rx-preview, p1-rx-bulk-ingest, p1-rx-bulk-summary, p1-rx-progress, p1-rx-progress-text, p1-rx-results
  (table rows with a problem or an error carry p1-bad-row)
"""

from toolkit.widgets.order_form import OrderForm
from toolkit.widgets.prescription_form import PrescriptionForm

__all__ = ["OrderForm", "PrescriptionForm"]
