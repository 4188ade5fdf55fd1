"""Client.from_env(): P1_* variables or a .env file; missing ones are named."""

from __future__ import annotations

import pytest

from toolkit import Client, errors

VARIABLES = ("P1_BASE_URL", "P1_ORG_ID", "P1_API_KEY", "P1_SHOP_URL")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env from the working directory


def test_from_env_reads_the_variables(monkeypatch):
    monkeypatch.setenv("P1_BASE_URL", "https://manager.example/")
    monkeypatch.setenv("P1_ORG_ID", "org1")
    monkeypatch.setenv("P1_API_KEY", "sk-secret-123")
    monkeypatch.setenv("P1_SHOP_URL", "https://shop1.example")
    with Client.from_env(max_retries=1) as p1:
        assert (p1.base_url, p1.org_id, p1.shop_url) == (
            "https://manager.example",
            "org1",
            "https://shop1.example",
        )
        assert "sk-secret-123" not in repr(p1)


def test_from_env_reads_a_dotenv_file(tmp_path):
    (tmp_path / ".env").write_text("P1_BASE_URL=http://127.0.0.1:9\nP1_ORG_ID=org2\nP1_API_KEY=k-123456\n")
    with Client.from_env() as p1:
        assert (p1.base_url, p1.org_id, p1.shop_url) == ("http://127.0.0.1:9", "org2", None)


def test_missing_variables_are_named(monkeypatch):
    monkeypatch.setenv("P1_ORG_ID", "org1")
    with pytest.raises(errors.ConfigurationError) as caught:
        Client.from_env()
    assert caught.value.missing == ("P1_BASE_URL", "P1_API_KEY")
    assert "missing: P1_BASE_URL, P1_API_KEY" in str(caught.value)


def test_an_empty_key_counts_as_invalid(monkeypatch):
    monkeypatch.setenv("P1_BASE_URL", "http://x")
    monkeypatch.setenv("P1_ORG_ID", "org1")
    monkeypatch.setenv("P1_API_KEY", "")
    with pytest.raises(errors.ConfigurationError, match="invalid: P1_API_KEY"):
        Client.from_env()


def test_a_base_url_given_with_the_api_prefix_still_works(monkeypatch):
    monkeypatch.setenv("P1_BASE_URL", "https://manager.prod.pharmaone.shop/api/v2/public/orgs/org1/")
    monkeypatch.setenv("P1_ORG_ID", "org1")
    monkeypatch.setenv("P1_API_KEY", "sk-secret-123")
    with Client.from_env() as p1:
        assert p1.base_url == "https://manager.prod.pharmaone.shop"
