"""Credentials at rest (dashboard/credentials.py): sealed with a key derived from the secret key, and every
way a blob can be wrong fails loudly."""

from __future__ import annotations

import pytest

from dashboard import credentials
from dashboard.credentials import CredentialError, decrypt_secret, encrypt_secret

SECRET = "s" * 64
OTHER_SECRET = "t" * 64


def test_round_trip_with_a_new_nonce_each_time():
    first = encrypt_secret("hunter2 ünïcode", purpose="mail", secret=SECRET)
    second = encrypt_secret("hunter2 ünïcode", purpose="mail", secret=SECRET)
    assert first != second  # a fresh nonce: the same password never gives the same blob
    assert b"hunter2" not in first
    assert decrypt_secret(first, purpose="mail", secret=SECRET) == "hunter2 ünïcode"
    assert decrypt_secret(memoryview(second), purpose="mail", secret=SECRET) == "hunter2 ünïcode"
    # version 1 + key id 4 + nonce 12 + 17 bytes of text (15 characters, ü and ï two bytes each) + tag 16
    assert len(first) == 1 + 4 + 12 + 17 + 16


def test_another_secret_fails_loudly():
    blob = encrypt_secret("hunter2", purpose="mail", secret=SECRET)
    with pytest.raises(CredentialError, match="another secret key"):
        decrypt_secret(blob, purpose="mail", secret=OTHER_SECRET)


def test_another_purpose_fails():
    blob = encrypt_secret("hunter2", purpose="mail", secret=SECRET)
    with pytest.raises(CredentialError):
        decrypt_secret(blob, purpose="calendar", secret=SECRET)


@pytest.mark.parametrize("position", [5, 17, -1])  # the nonce's first byte, the ciphertext's, the tag's last
def test_an_altered_blob_fails(position):
    blob = bytearray(encrypt_secret("hunter2", purpose="mail", secret=SECRET))
    blob[position] ^= 0x01
    with pytest.raises(CredentialError, match="altered"):
        decrypt_secret(bytes(blob), purpose="mail", secret=SECRET)


def test_an_altered_key_id_reads_as_another_secret():
    blob = bytearray(encrypt_secret("hunter2", purpose="mail", secret=SECRET))
    blob[1] ^= 0x01
    with pytest.raises(CredentialError, match="another secret key"):
        decrypt_secret(bytes(blob), purpose="mail", secret=SECRET)


@pytest.mark.parametrize("blob", [b"", b"hunter2", b"\x02" + bytes(40), b"\x01" + bytes(20)])
def test_what_is_not_a_blob_fails(blob):
    with pytest.raises(CredentialError, match="unknown format"):
        decrypt_secret(blob, purpose="mail", secret=SECRET)


def test_the_secret_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("CRM_SECRET_KEY", SECRET)
    blob = encrypt_secret("hunter2", purpose="mail")
    assert decrypt_secret(blob, purpose="mail", secret=SECRET) == "hunter2"


def test_a_server_database_without_a_secret_is_refused(monkeypatch):
    monkeypatch.delenv("CRM_SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql://example.invalid/crm")
    with pytest.raises(CredentialError, match="CRM_SECRET_KEY must be set"):
        encrypt_secret("hunter2", purpose="mail")


def test_the_embedded_setup_uses_the_instance_secret(monkeypatch, tmp_path):
    """Without DATABASE_URL, the worker and the commands read instance/secret_key, as `crm serve` does."""
    monkeypatch.delenv("CRM_SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("CRM_INSTANCE_PATH", str(tmp_path))
    blob = encrypt_secret("hunter2", purpose="mail")
    instance_secret = (tmp_path / "secret_key").read_text().strip()
    assert decrypt_secret(blob, purpose="mail", secret=instance_secret) == "hunter2"


def test_in_the_app_the_apps_secret_is_used(app, monkeypatch):
    monkeypatch.setenv("CRM_SECRET_KEY", OTHER_SECRET)
    with app.app_context():
        blob = encrypt_secret("hunter2", purpose="mail")
        assert credentials.secret_key() == app.config["SECRET_KEY"]
    assert decrypt_secret(blob, purpose="mail", secret=app.config["SECRET_KEY"]) == "hunter2"
