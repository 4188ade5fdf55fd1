"""Order requests: v2 (JWT), v1 (API key) and the shop proxy's external-order (telemedicine connector).

An order request is never sent twice by the client: it always carries an `external_reference` (generated
when the caller gives none), is retried only when it provably never left (connect error) or was refused
with 429, and raises `OrderRequestOutcomeUnknown` when a timeout, dropped connection or 5xx hides its fate.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Generator, Iterable, Mapping
from typing import Any, Literal

from toolkit import validation
from toolkit._transport import Call
from toolkit.errors import InvalidArgumentError, OrderRequestOutcomeUnknown, PharmaOneError
from toolkit.models import OrderRequestResult
from toolkit.resources._base import Namespace, compact, operation

DEFAULT_SOURCE = "pharmaone-ops"
_PDF_FIELDS = ("prescription_pdf_base64", "prescription_pdf_url")


def new_external_reference() -> str:
    return f"{DEFAULT_SOURCE}-{uuid.uuid4()}"


def _outcome_unknown(reference: str) -> Callable[[PharmaOneError], OrderRequestOutcomeUnknown]:
    def build(cause: PharmaOneError) -> OrderRequestOutcomeUnknown:
        return OrderRequestOutcomeUnknown(
            f"The order request with external_reference {reference} may or may not have "
            f"reached PharmaOne ({cause}). It was NOT sent again. Check in PharmaOne Manager (order "
            f"requests) whether {reference} arrived before submitting it again, and reuse the same "
            "external_reference if you do.",
            external_reference=reference,
        )

    return build


class OrderRequests(Namespace):
    @operation
    def create(
        self,
        shop_id: str,
        items: Iterable[Mapping[str, Any]] | None = None,
        *,
        customer_name: str | None = None,
        customer_email: str | None = None,
        external_reference: str | None = None,
        source: str = DEFAULT_SOURCE,
        api: Literal["v2", "v1"] = "v2",
        **payload_fields: Any,
    ) -> Generator[Any, Any, OrderRequestResult]:
        """Submit an order request for staff review (v2 with the JWT, or v1 with the API key).

        `items`: lines like {"name": "Cannabis flos", "quantity": 5, "price": 8.59, "p1_id": "12345"}; may be
        left out when `prescription_pdf_base64` or `prescription_pdf_url` is given. Further payload fields
        (external_id, payment_status, cash_on_pickup, address_street...) are passed through.
        """
        api = validation.choice("api", api, ("v2", "v1"))
        payload = {"shop_id": validation.text("shop_id", shop_id), **payload_fields}
        envelope = _envelope(items, customer_name, customer_email, external_reference, source, payload)
        reference = envelope["external_reference"]
        if api == "v2":
            url, label, auth = self._ctx.v2("/order-requests"), "POST /order-requests (v2)", "jwt"
        else:
            url, label, auth = self._ctx.v1("/order-requests"), "POST /order-requests (v1)", "apikey"
        body = yield _request_call(url, label, auth, envelope)
        return _result(body, reference)

    @operation
    def external(
        self,
        items: Iterable[Mapping[str, Any]] | None = None,
        *,
        customer_name: str | None = None,
        customer_email: str | None = None,
        external_reference: str | None = None,
        source: str = DEFAULT_SOURCE,
        **payload_fields: Any,
    ) -> Generator[Any, Any, OrderRequestResult]:
        """Submit through the shop proxy (`POST {shop_url}/api/v1/external-order`, API key, no JWT).

        The shop URL decides org and shop, so `shop_id`/`org_id` must not be given. Payload fields such as
        shipping_option="Abholung", total_amount or a prescription PDF are passed through.
        """
        for injected in ("shop_id", "org_id"):
            if injected in payload_fields:
                raise InvalidArgumentError(
                    f"external() must not send {injected}: the shop URL decides org and shop. Leave it out."
                )
        envelope = _envelope(items, customer_name, customer_email, external_reference, source, payload_fields)
        url = self._ctx.shop("/api/v1/external-order")
        body = yield _request_call(url, "POST /api/v1/external-order (shop proxy)", "apikey", envelope)
        return _result(body, envelope["external_reference"])


def _envelope(
    items: Iterable[Mapping[str, Any]] | None,
    customer_name: str | None,
    customer_email: str | None,
    external_reference: str | None,
    source: str,
    payload: dict[str, Any],
) -> dict[str, Any]:
    validation.customer(customer_name, customer_email)
    has_pdf = any(payload.get(name) for name in _PDF_FIELDS)
    if items is None and not has_pdf:
        raise InvalidArgumentError(
            "give items (lines with a quantity > 0) or a prescription PDF (prescription_pdf_base64 / _url)."
        )
    reference = (
        new_external_reference()
        if external_reference is None
        else validation.text("external_reference", external_reference)
    )
    body = compact(
        customer_name=customer_name,
        customer_email=customer_email,
        items=None if items is None else validation.order_request_items(items),
    )
    return {
        "external_reference": reference,
        "source": validation.text("source", source),
        "payload": {**payload, **body},
    }


def _request_call(url: str, label: str, auth: Literal["jwt", "apikey"], envelope: dict[str, Any]) -> Call:
    reference = envelope["external_reference"]
    return Call(
        "POST",
        url,
        label=label,
        json=envelope,
        auth=auth,
        idempotent=False,
        unknown_outcome=_outcome_unknown(reference),
    )


def _result(body: Any, reference: str) -> OrderRequestResult:
    """The answer, with our external_reference filled in where the route does not echo it (v1)."""
    result = OrderRequestResult.from_wire(body)
    if result.external_reference is None:
        result.external_reference = reference
    return result
