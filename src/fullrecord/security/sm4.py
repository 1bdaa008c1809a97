"""SM4 (GB/T 32907-2016) for personal data at rest, and its blind index.

Each value is sealed with SM4 in GCM mode (an authenticated mode: a changed byte in the
database is found, not decrypted to garbage) under a key derived from the personal-data
key (``keys.data_key``); the stored text is ``sm4$<key id>$<base64(nonce | ciphertext |
tag)>``. The blind index is HMAC-SM3 of the normalised value under a second derived key:
the same ID number always gives the same index, so an officer can still find a case by a
party's ID number, while the database holds neither the number nor a plain hash of it
(an 18-digit ID number has too few possibilities for a plain hash to hide it).
"""

from __future__ import annotations

import base64
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from . import keys
from .sm3 import hmac_sm3, sm3_hex

PREFIX = "sm4$"


class DecryptionFailed(ValueError):
    """The stored value was changed, or sealed under another key."""


def _sm4_key() -> bytes:
    return _derived(keys.data_key())[0]


def _index_key() -> bytes:
    return _derived(keys.data_key())[1]


def key_id() -> str:
    return _derived(keys.data_key())[2]


@lru_cache(maxsize=4)
def _derived(master: bytes) -> tuple[bytes, bytes, str]:
    """The SM4 key, the blind-index key and the key id, derived once per master key."""
    sm4_key = hmac_sm3(master, b"fullrecord-sm4-personal-data")[:16]
    return sm4_key, hmac_sm3(master, b"fullrecord-blind-index"), sm3_hex(sm4_key)[:8]


def is_sealed(value: str | None) -> bool:
    return bool(value) and value.startswith(PREFIX)


def seal(plain: str) -> str:
    key, _index, kid = _derived(keys.data_key())
    nonce = os.urandom(12)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    body = encryptor.update(plain.encode("utf-8")) + encryptor.finalize()
    blob = base64.b64encode(nonce + body + encryptor.tag).decode("ascii")
    return f"{PREFIX}{kid}${blob}"


def _key_for(kid: str) -> bytes | None:
    """The SM4 key whose id is ``kid``: the current one, or an earlier one kept for reading
    while a rotation re-seals (keys.previous_data_keys)."""
    for master in (keys.data_key(), *keys.previous_data_keys()):
        key, _index, candidate = _derived(master)
        if candidate == kid:
            return key
    return None


def key_id_of(stored: str) -> str:
    """The id of the key ``stored`` was sealed under ("" for a value that is not sealed)."""
    if not is_sealed(stored):
        return ""
    return stored.split("$", 2)[1]


def open_sealed(stored: str) -> str:
    try:
        _, kid, blob = stored.split("$", 2)
        raw = base64.b64decode(blob, validate=True)
    except ValueError as exc:
        raise DecryptionFailed("not a sealed value") from exc
    key = _key_for(kid)
    if key is None:
        raise DecryptionFailed(f"sealed under key {kid}, the key in use is {key_id()}")
    nonce, body, tag = raw[:12], raw[12:-16], raw[-16:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    try:
        return (decryptor.update(body) + decryptor.finalize()).decode("utf-8")
    except InvalidTag as exc:
        raise DecryptionFailed("the stored value does not match its tag") from exc


def normalise(value: str) -> str:
    return "".join((value or "").split()).upper()


def blind_index(value: str) -> str:
    """The searchable stand-in of an ID number: HMAC-SM3, hex."""
    if not value:
        return ""
    return hmac_sm3(_index_key(), normalise(value).encode("utf-8")).hex()


def blind_indexes(value: str) -> list[str]:
    """The blind index of ``value`` under the current key and every earlier key still kept:
    a party not yet re-indexed by a rotation is found all the same."""
    if not value:
        return []
    text = normalise(value).encode("utf-8")
    masters = (keys.data_key(), *keys.previous_data_keys())
    return list(dict.fromkeys(hmac_sm3(_derived(m)[1], text).hex() for m in masters))


def mask(value: str) -> str:
    """110***********1234: the first three and last four characters (个人信息保护法)."""
    if not value:
        return ""
    if len(value) <= 7:
        return value[0] + "*" * (len(value) - 1)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_text(value: str) -> str:
    """Addresses and contacts: the first few characters, the rest starred."""
    if not value:
        return ""
    keep = min(6, max(1, len(value) // 3))
    return value[:keep] + "*" * min(8, len(value) - keep)
