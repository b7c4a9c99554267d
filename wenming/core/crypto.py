"""National cryptography (国密) primitives for personal data and the audit chain.

- SM4-GCM for fields at rest (ID numbers, phones): ``encrypt`` / ``decrypt``. Tokens carry a key id
  (``k1:``) so that keys can be rotated.
- HMAC-SM3 for blind indexes (exact search and uniqueness without plaintext) and the audit chain.

Keys come from settings, which read them from the environment; they never enter the repository,
the database or a log line.
"""

from __future__ import annotations

import base64
import os
import unicodedata

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_ID = "k1"


class CryptoError(Exception):
    """A token could not be decrypted (wrong key or tampered data)."""


def _key(name: str, length: int) -> bytes:
    raw = getattr(settings, name, "")
    if not raw:
        raise ImproperlyConfigured(f"{name} 未配置")
    try:
        key = bytes.fromhex(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} 必须是十六进制字符串") from exc
    if len(key) < length:
        raise ImproperlyConfigured(f"{name} 至少需要 {length} 字节")
    return key[:length] if length == 16 else key


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def hmac_sm3(key: bytes, data: bytes) -> str:
    mac = hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize().hex()


def encrypt(plaintext: str) -> str:
    """SM4-GCM with a random 96-bit nonce; returns ``k1:<base64(nonce‖ciphertext‖tag)>``."""
    key = _key("WENMING_FIELD_KEY", 16)
    nonce = os.urandom(12)
    enc = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    ct = enc.update(plaintext.encode("utf-8")) + enc.finalize()
    return f"{KEY_ID}:" + base64.b64encode(nonce + ct + enc.tag).decode("ascii")


def decrypt(token: str) -> str:
    try:
        key_id, body = token.split(":", 1)
        if key_id != KEY_ID:
            raise CryptoError(f"unknown key id {key_id}")
        raw = base64.b64decode(body)
        nonce, ct, tag = raw[:12], raw[12:-16], raw[-16:]
        dec = Cipher(algorithms.SM4(_key("WENMING_FIELD_KEY", 16)), modes.GCM(nonce, tag)).decryptor()
        return (dec.update(ct) + dec.finalize()).decode("utf-8")
    except (ValueError, InvalidTag) as exc:
        raise CryptoError("cannot decrypt") from exc


def normalize_for_index(value: str) -> str:
    """NFKC, no white space, ``x`` upper-cased: one key per real-world value."""
    return "".join(unicodedata.normalize("NFKC", value).split()).upper()


def blind_index(value: str, purpose: str) -> str:
    """HMAC-SM3(index key, purpose ‖ normalised value): stable, keyed, not reversible."""
    key = _key("WENMING_INDEX_KEY", 32)
    return hmac_sm3(key, f"{purpose}\x1f{normalize_for_index(value)}".encode())


def audit_key() -> bytes:
    return _key("WENMING_AUDIT_KEY", 32)
