"""`p1 orders`, `p1 order ID`, `p1 stock QUERY` through typer's runner, against the session sandbox."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from toolkit.cli import app

runner = CliRunner()


@pytest.fixture
def settings(sandbox, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "200")
    for name, value in (
        ("P1_BASE_URL", sandbox.base_url),
        ("P1_ORG_ID", sandbox.org_id),
        ("P1_API_KEY", sandbox.api_key),
    ):
        monkeypatch.setenv(name, value)


@pytest.fixture
def no_settings(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "200")
    for name in ("P1_BASE_URL", "P1_ORG_ID", "P1_API_KEY", "P1_SHOP_URL"):
        monkeypatch.delenv(name, raising=False)


def test_orders_lists_the_newest(settings, p1):
    newest = p1.orders.list(status="pending", shop_id="shop1", max_rows=3)
    result = runner.invoke(app, ["orders", "--status", "pending", "--shop", "shop1", "--limit", "3"])
    assert result.exit_code == 0, result.output
    assert "3 newest orders" in result.output
    for order_id in newest["id"]:
        assert order_id in result.output


def test_order_shows_items_and_next_statuses(settings, p1):
    order = p1.orders.get(p1.orders.list(status="pending", max_rows=1)["id"].iloc[0])
    result = runner.invoke(app, ["order", order.id])
    assert result.exit_code == 0, result.output
    assert order.id in result.output and "awaiting_packing" in result.output
    assert order.items[0].name in result.output
    assert order.shipping_address is None or order.shipping_address.street not in result.output


def test_stock_finds_by_name_and_id(settings):
    by_name = runner.invoke(app, ["stock", "zainbow"])
    by_id = runner.invoke(app, ["stock", "57672"])
    for result in (by_name, by_id):
        assert result.exit_code == 0, result.output
        assert "24/1 IUVO KC OJ Zainbow" in result.output and "57672" in result.output
    nothing = runner.invoke(app, ["stock", "no such flower"])
    assert nothing.exit_code == 0 and "No product matches 'no such flower'" in nothing.output


def test_missing_settings_are_named_and_sandbox_suggested(no_settings):
    result = runner.invoke(app, ["orders"])
    assert result.exit_code == 2
    assert "P1_BASE_URL, P1_ORG_ID, P1_API_KEY" in result.output and "--sandbox" in result.output
    assert "Traceback" not in result.output


def test_pharmaone_errors_are_a_line_not_a_traceback(settings):
    result = runner.invoke(app, ["order", "ORD_20200101_doesnotexist"])
    assert result.exit_code == 1
    assert "Error: GET /orders/ORD_20200101_doesnotexist: not found" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_bad_arguments_are_refused_before_connecting(no_settings):
    for arguments, expected in (
        (["order", "12345"], "ORD_20260614_8v039dhnrv"),
        (["orders", "--status", "open"], "one of pending"),
        (["orders", "--limit", "0"], "greater than 0"),
    ):
        result = runner.invoke(app, arguments)
        assert result.exit_code == 2 and expected in result.output, result.output


def test_sandbox_flag_needs_no_settings(no_settings):
    result = runner.invoke(app, ["orders", "--sandbox", "--limit", "2"])
    assert result.exit_code == 0, result.output
    assert "2 newest orders" in result.output


@pytest.mark.parametrize("command", ["orders", "order", "stock"])
def test_help_has_an_example_per_option(no_settings, command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert result.output.count("Example") >= 2 and "--sandbox" in result.output
