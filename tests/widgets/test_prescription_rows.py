"""Reading and checking prescription CSVs, without widgets, including the shipped sample."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from toolkit.widgets.prescription_rows import (
    CsvFormatError,
    check_rows,
    failed_rows_csv,
    ingest_fields,
    read_rows,
)

SAMPLE = Path(__file__).parents[2] / "notebooks" / "data" / "prescriptions_sample.csv"
SHOPS = ("shop1", "testtttt", "release23", "shop3")


def test_rows_keep_text_and_their_line_in_the_file() -> None:
    rows = read_rows("shop_id, customer_email\nshop1 , max@example.com\nshop3,\n")
    assert rows.to_dict("records") == [
        {"line": 2, "shop_id": "shop1", "customer_email": "max@example.com"},
        {"line": 3, "shop_id": "shop3", "customer_email": ""},
    ]


def test_ids_stay_text() -> None:
    rows = read_rows("shop_id,customer_email,external_id\nshop1,max@example.com,007\n")
    assert rows.loc[0, "external_id"] == "007"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "The CSV is empty"),
        ("shop_id\nshop1\n", "missing column(s) customer_email"),
        ("shop_id,customer_email,custmer_name\n", "unknown column(s) custmer_name"),
    ],
)
def test_a_csv_that_does_not_fit_is_refused_with_what_is_expected(text: str, expected: str) -> None:
    with pytest.raises(
        CsvFormatError, match="(?s)" + expected.replace("(", r"\(").replace(")", r"\)")
    ) as info:
        read_rows(text)
    if text:
        assert "Expected shop_id, customer_email" in str(info.value)


def test_the_sample_has_good_rows_and_marked_bad_rows() -> None:
    checked = check_rows(read_rows(SAMPLE.read_text(encoding="utf-8")), SHOPS)
    bad = checked[checked["problem"] != ""]
    assert list(bad["external_id"]) == ["RX-SAMPLE-004", "RX-SAMPLE-005", "RX-SAMPLE-006"]
    assert all(comment.startswith("EXAMPLE OF A BAD ROW") for comment in bad["comment"])
    assert not checked.loc[checked["problem"] == "", "comment"].str.contains("BAD").any()
    problems = dict(zip(bad["external_id"], bad["problem"], strict=True))
    assert "Enter the customer's e-mail" in problems["RX-SAMPLE-004"]
    assert "'tom.example.com' is not an e-mail address" in problems["RX-SAMPLE-005"]
    assert "Unknown shop 'shop9'" in problems["RX-SAMPLE-006"]


def test_a_repeated_external_id_is_a_problem_of_the_later_row() -> None:
    text = "shop_id,customer_email,external_id\nshop1,a@example.com,RX-1\nshop1,b@example.com,RX-1\n"
    checked = check_rows(read_rows(text), SHOPS)
    assert checked.loc[0, "problem"] == ""
    assert "Same external_id as line 2" in checked.loc[1, "problem"]


def test_only_filled_columns_are_sent_and_the_comment_never() -> None:
    row = {
        "line": 2,
        "shop_id": "shop1",
        "customer_email": "a@example.com",
        "customer_name": "",
        "comment": "x",
    }
    assert ingest_fields(row) == {"shop_id": "shop1", "customer_email": "a@example.com"}


def test_failed_rows_come_back_as_csv_with_the_reason() -> None:
    checked = check_rows(
        read_rows("shop_id,customer_email\nshop1,a@example.com\nshop9,b@example.com\n"), SHOPS
    )
    results = pd.DataFrame(
        {"line": [2, 3], "id": ["org1-pq-AAAAAA", pd.NA], "error": [pd.NA, checked.loc[1, "problem"]]}
    )
    again = read_rows(failed_rows_csv(checked, results))
    assert again[["shop_id", "customer_email"]].to_dict("records") == [
        {"shop_id": "shop9", "customer_email": "b@example.com"}
    ]
    assert "Unknown shop 'shop9'" in again.loc[0, "comment"]
