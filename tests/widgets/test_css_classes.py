"""The CSS classes browser tests locate widgets by are documented in toolkit.widgets and really present."""

from __future__ import annotations

import re
from typing import Any

import toolkit.widgets
from toolkit.widgets import OrderForm, PrescriptionForm


def _classes(widget: Any) -> set[str]:
    """Every CSS class in a widget tree."""
    found = set(getattr(widget, "_dom_classes", ()))
    for child in getattr(widget, "children", ()):
        found |= _classes(child)
    return found


def test_every_css_class_the_package_documents_is_on_a_form(p1) -> None:
    order = OrderForm(p1)
    order.shop.widget.value = "shop1"
    order.products.widget.value = order.products.widget.options[0][1]
    order.add_button.click()  # an item row, so that its Remove button exists
    present = _classes(order) | _classes(PrescriptionForm(p1))
    documented = set(re.findall(r"p1-[a-z0-9-]+", toolkit.widgets.__doc__)) - {"p1-bad-row"}
    assert len(documented) > 40
    assert documented - present == set()
