"""Field encryption (AES-256-GCM) and keyed blind indexes (HMAC-SHA256) for personal data.

Both keys are derived from VAORA_DATA_KEY with HKDF, so one secret is kept and backed up, while
the cipher key and the index key are never the same bytes. Ciphertexts carry a short key id so the
data key can rotate: new writes use the current key; old keys (VAORA_OLD_DATA_KEYS) still decrypt.
Blind indexes cannot rotate without re-indexing (`vaora rotate-data-key`, core/rotation.py); until
it is done, lookups match the index under every configured key (blind_indexes).
"""

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIX = "v1"
NONCE_BYTES = 12


class DecryptionError(Exception):
    """A stored value cannot be decrypted with any configured key (wrong or missing key)."""


def _derive(master: bytes, label: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label).derive(master)


def key_id(master: bytes) -> str:
    return hashlib.sha256(b"vaora-key-id" + master).hexdigest()[:8]


@lru_cache(maxsize=8)
def _keyring(current: bytes, old: tuple[bytes, ...]) -> tuple[str, dict[str, AESGCM], bytes]:
    ciphers = {key_id(k): AESGCM(_derive(k, b"vaora field encryption")) for k in (current, *old)}
    index_key = _derive(current, b"vaora blind index")
    return key_id(current), ciphers, index_key


@lru_cache(maxsize=8)
def _old_index_keys(old: tuple[bytes, ...]) -> tuple[bytes, ...]:
    return tuple(_derive(k, b"vaora blind index") for k in old)


def _current_keyring() -> tuple[str, dict[str, AESGCM], bytes]:
    return _keyring(settings.VAORA_DATA_KEY, tuple(settings.VAORA_OLD_DATA_KEYS))


def current_key_id() -> str:
    return _current_keyring()[0]


def key_id_of(token: str) -> str:
    """The id of the key a stored ciphertext was sealed with ("" if it is not one)."""
    parts = token.split(".", 2)
    return parts[1] if len(parts) == 3 and parts[0] == PREFIX else ""


def encrypt(plaintext: str, context: str) -> str:
    """Encrypts text; `context` (e.g. "people.Person.phone") is bound as associated data so a
    ciphertext copied into another column or table does not decrypt there."""
    current_id, ciphers, _ = _current_keyring()
    nonce = os.urandom(NONCE_BYTES)
    sealed = ciphers[current_id].encrypt(nonce, plaintext.encode(), context.encode())
    return f"{PREFIX}.{current_id}.{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def decrypt(token: str, context: str) -> str:
    try:
        prefix, kid, body = token.split(".", 2)
    except ValueError:
        raise DecryptionError("stored value is not a vaora ciphertext") from None
    _, ciphers, _ = _current_keyring()
    cipher = ciphers.get(kid)
    if prefix != PREFIX or cipher is None:
        raise DecryptionError(f"no configured data key has id {kid}")
    raw = base64.urlsafe_b64decode(body)
    try:
        return cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode()).decode()
    except InvalidTag:
        raise DecryptionError("ciphertext failed authentication") from None


def _index_with(key: bytes, kind: str, normalised_value: str) -> str:
    digest = hmac.new(key, f"{kind}:{normalised_value}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def blind_index(kind: str, normalised_value: str) -> str:
    """A keyed, deterministic digest for exact lookup: equal inputs give equal indexes, and
    without the key nobody can test guesses (a phone number has only ~10^9 values). This is
    what is stored; look up with blind_indexes()."""
    _, _, index_key = _current_keyring()
    return _index_with(index_key, kind, normalised_value)


def blind_indexes(kind: str, normalised_value: str) -> list[str]:
    """Every index the value may be stored under: the current key's, then each old key's —
    rows not yet re-indexed by a key rotation are found too. One element without old keys."""
    found = [blind_index(kind, normalised_value)]
    for key in _old_index_keys(tuple(settings.VAORA_OLD_DATA_KEYS)):
        found.append(_index_with(key, kind, normalised_value))
    return found
