import json

from bot.privacy import customer_details, ensure_shareable, find_patient_data

ORDER = {
    "id": "ORD_20260614_8v039dhnrv",
    "customer_name": "Max Mustermann",
    "customer_email": "max@example.com",
    "shipping_address": {
        "street": "Musterstr. 1",
        "city": "Berlin",
        "postal_code": "10115",
        "phone": "+49123456789",
    },
}


def test_known_details_emails_and_phones_are_found_even_inside_json_strings():
    payload = {"blocks": json.dumps([{"type": "section", "text": {"text": "for max mustermann"}}])}
    assert find_patient_data(payload, customer_details(ORDER)) == ["max mustermann"]
    assert find_patient_data({"text": "write to someone@else.org"}) == ["someone@else.org"]
    assert find_patient_data({"text": "call 030 1234567 or +49 170 1234567"}) == [
        "030 1234567",
        "+49 170 1234567",
    ]
    assert find_patient_data({"text": "Musterstr. 1, 10115"}, customer_details(ORDER)) == [
        "Musterstr. 1",
        "10115",
    ]


def test_order_ids_money_times_and_product_ids_are_not_mistaken_for_patient_data():
    text = (
        "`ORD_20260614_8v039dhnrv` · €98.25 · 14.06.2026 13:44 CEST · `57672` 24/1 IUVO KC OJ Zainbow — 989"
    )
    assert find_patient_data({"text": text}, customer_details(ORDER)) == []


def test_ensure_shareable_refuses_without_repeating_the_data():
    try:
        ensure_shareable({"text": "Max Mustermann"}, ["Max Mustermann"])
    except Exception as exc:
        assert "Mustermann" not in str(exc)
    else:
        raise AssertionError("a name went through")
