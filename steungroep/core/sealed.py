"""Secrets the app must be able to read back (a school's OpenID client secret), stored
encrypted: Fernet (AES-128-CBC with HMAC-SHA256) under a key derived from SECRET_KEY. A copy
of the database alone does not give the secret away; a new SECRET_KEY makes old secrets
unreadable, and the admin types the secret again."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app


def _fernet() -> Fernet:
    secret = current_app.secret_key
    secret = secret.encode() if isinstance(secret, str) else secret
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"steungroep",
               info=b"sealed secrets v1").derive(secret)
    return Fernet(base64.urlsafe_b64encode(key))


def seal(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def unseal(token: str) -> str | None:
    """The text, or None when it was sealed under another SECRET_KEY (or is damaged)."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return None
