"""No key, JWT, e-mail, phone or street in reprs, strs, logs or exceptions."""

from __future__ import annotations

import logging

import httpx
import pytest
from p1_fake_api import API_KEY, BASE_URL, example, ok

from toolkit import Client, errors
from toolkit.models import Order, Prescription, Token

SECRETS_AND_PATIENT_DATA = (API_KEY, "eyJ", "max@example.com", "+49123456789", "Musterstr", "Max Mustermann")


def assert_clean(text: str) -> None:
    for secret in SECRETS_AND_PATIENT_DATA:
        assert secret not in text, f"{secret!r} leaked into {text!r}"


def test_client_repr_hides_the_key(client):
    assert_clean(repr(client))
    assert_clean(str(client))
    assert "api_key='***'" in repr(client)


def test_models_hide_patient_data_and_tokens_but_keep_it_readable():
    order = Order.model_validate(example("04_order.docs_example.json"))
    for text in (repr(order), str(order), order._repr_html_(), repr(order.shipping_address)):
        assert_clean(text)
    assert "ORD_20260605_abc123" in repr(order) and "Berlin" in repr(order.shipping_address)
    assert "<td>Cannabis flos</td>" in order._repr_html_()  # items show as a table in notebooks
    assert order.customer_email == "max@example.com"  # the value is there for whoever asks for it
    token = Token(access_token="eyJhbGciOiJIUzI1NiJ9.eyJ4IjoxfQ.sig", expires_in=3600)
    assert_clean(repr(token))
    prescription = Prescription.model_validate(example("09_prescriptions.response.json")["data"][0])
    assert_clean(repr(prescription))


def test_logs_carry_no_secrets_or_patient_data(client, api, caplog):
    api.route("POST", "/order-requests", lambda _r: ok({"error": "internal_error"}, 503))
    api.route("GET", "/orders/ORD_20260605_abc123", example("04_order.docs_example.json"))
    with caplog.at_level(logging.DEBUG, logger="toolkit"):
        client.orders.get("ORD_20260605_abc123")
        with pytest.raises(errors.OrderRequestOutcomeUnknown):
            client.order_requests.create(
                "shop1",
                [{"name": "x", "quantity": 1}],
                customer_name="Max Mustermann",
                customer_email="max@example.com",
                address_street="Musterstr. 1",
                address_phone="+49123456789",
            )
    assert caplog.records, "the transport logs its requests"
    assert_clean("\n".join(record.getMessage() for record in caplog.records))


def test_the_logging_filter_masks_secrets_even_if_someone_logs_them(client, caplog):
    with caplog.at_level(logging.INFO, logger="toolkit"):
        logging.getLogger("toolkit").info("key %s for max@example.com at +49 123 456789", API_KEY)
    assert caplog.records[0].getMessage() == "key *** for *** at ***"


def test_error_messages_and_bodies_are_redacted(client, api):
    echo = {"error": "validation_error", "message": f"customer_email max@example.com invalid for key {API_KEY}",  # noqa: E501
            "customer_email": "max@example.com", "details": {"phone": "+49123456789"}}  # fmt: skip
    api.route("POST", "/prescriptions", lambda _r: ok(echo, 422))
    with pytest.raises(errors.UnprocessableEntityError) as caught:
        client.prescriptions.ingest("shop1", "max@example.com")
    exc = caught.value
    for text in (str(exc), repr(exc), exc.message, str(exc.body), str(exc.args)):
        assert_clean(text)
    assert exc.error == "validation_error" and exc.body["customer_email"] == "***"


def test_a_refused_key_does_not_show_the_key():
    def handler(_request: httpx.Request) -> httpx.Response:
        return ok(example("01_token.401_kong.json"), 401)

    p1 = Client(BASE_URL, "org1", API_KEY, http_transport=httpx.MockTransport(handler))
    with p1, pytest.raises(errors.AuthenticationError) as caught:
        p1.shops.list()
    assert_clean(str(caught.value))
    assert_clean(repr(caught.value))


def test_a_call_description_never_shows_its_body():
    from toolkit._transport import Call

    call = Call(
        "POST",
        "http://x/order-requests",
        label="POST /order-requests",
        json={"customer_email": "max@example.com"},
    )
    assert_clean(repr(call))
