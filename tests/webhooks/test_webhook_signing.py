"""toolkit.webhooks.verify/sign: the reference's HMAC scheme, several secrets, and what must fail."""

import hashlib
import hmac
import json

import pytest

from toolkit.webhooks import SIGNATURE_PREFIX, sign, verify

BODY = json.dumps({"id": "e1", "event_type": "order_status_updated"}).encode()


def reference_signature(body: bytes, secret: str) -> str:
    """Exactly the verification snippet of the reference (§13.2)."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def test_sign_matches_the_reference_scheme():
    assert sign(BODY, "s3cret") == reference_signature(BODY, "s3cret")
    assert sign(BODY, "s3cret").startswith(SIGNATURE_PREFIX)


def test_a_correct_signature_verifies():
    assert verify(BODY, reference_signature(BODY, "s3cret"), ["s3cret"])


def test_a_signature_made_with_another_secret_is_refused():
    assert not verify(BODY, reference_signature(BODY, "other"), ["s3cret"])


@pytest.mark.parametrize("signing_secret", ["old-secret", "new-secret"])
def test_during_rotation_either_configured_secret_verifies(signing_secret):
    assert verify(BODY, sign(BODY, signing_secret), ["new-secret", "old-secret"])


def test_a_secret_dropped_after_rotation_no_longer_verifies():
    assert not verify(BODY, sign(BODY, "old-secret"), ["new-secret"])


def test_a_tampered_body_is_refused():
    signature = sign(BODY, "s3cret")
    tampered = BODY.replace(b"order_status_updated", b"order_marked_paid")
    assert not verify(tampered, signature, ["s3cret"])
    assert not verify(BODY + b" ", signature, ["s3cret"])


@pytest.mark.parametrize("header", [None, "", "sha256=", "sha256=zz", "deadbeef", "sha1=abc", "sha256=ä"])
def test_missing_or_malformed_headers_are_refused(header):
    assert not verify(BODY, header, ["s3cret"])


def test_bare_hex_without_the_prefix_is_refused():
    assert not verify(BODY, sign(BODY, "s3cret").removeprefix(SIGNATURE_PREFIX), ["s3cret"])


def test_uppercase_hex_is_refused_because_the_reference_sends_lowercase():
    digest = sign(BODY, "s3cret").removeprefix(SIGNATURE_PREFIX)
    assert not verify(BODY, SIGNATURE_PREFIX + digest.upper(), ["s3cret"])


@pytest.mark.parametrize("secrets", [[], [""]])
def test_no_configured_secret_is_a_configuration_error(secrets):
    with pytest.raises(ValueError, match="no webhook signing secret"):
        verify(BODY, sign(BODY, "s3cret"), secrets)
