"""SM2 signatures (GB/T 32918-2016) on audit tree heads, beside the Ed25519 ones.

The curve arithmetic is gmssl's (a kept pure-Python implementation, checked against the
standard's example in the tests); this module adds what gmssl leaves to its caller: the
random ``k`` from the operating system's generator (gmssl's default uses ``random``),
the Z value of GB/T 32918.2 with the default signer ID, range checks on ``r`` and
``s`` before verifying, and a public key that is never passed through gmssl's
``lstrip("04")`` (which also strips leading hex digits of the key itself).
"""

from __future__ import annotations

import secrets
from functools import lru_cache

from gmssl.sm2 import CryptSM2, default_ecc_table

from . import keys
from .sm3 import sm3_hex

# GB/T 35276-2017: the default signer ID when none is agreed.
DEFAULT_ID = b"1234567812345678"
CONTEXT = "fullrecord-tree-head-sm2-v1"
_N = int(default_ecc_table["n"], 16)


def _crypt(private_hex: str, public_hex: str, table: dict) -> CryptSM2:
    crypt = CryptSM2(private_hex, "00" * 64, ecc_table=table)
    crypt.public_key = public_hex
    return crypt


def public_of(private: bytes, table: dict = default_ecc_table) -> str:
    """The public key as 128 hex digits (x | y), without the 04 prefix."""
    if table is default_ecc_table:
        return _public_on_sm2p256v1(private)
    crypt = _crypt(private.hex(), "00" * 64, table)
    return crypt._kg(int.from_bytes(private, "big"), table["g"])


@lru_cache(maxsize=8)
def _public_on_sm2p256v1(private: bytes) -> str:
    crypt = _crypt(private.hex(), "00" * 64, default_ecc_table)
    return crypt._kg(int.from_bytes(private, "big"), default_ecc_table["g"])


def digest_to_sign(message: bytes, public_hex: str, signer_id: bytes = DEFAULT_ID, table=None):
    """e = SM3(Z_A || M), Z_A = SM3(ENTL_A || ID_A || a || b || x_G || y_G || x_A || y_A)."""
    table = table or default_ecc_table
    z = bytes.fromhex(
        sm3_hex(
            (len(signer_id) * 8).to_bytes(2, "big")
            + signer_id
            + bytes.fromhex(table["a"] + table["b"] + table["g"] + public_hex)
        )
    )
    return bytes.fromhex(sm3_hex(z + message))


def sign(
    message: bytes,
    private: bytes | None = None,
    *,
    signer_id: bytes = DEFAULT_ID,
    table: dict | None = None,
    k_hex: str | None = None,
) -> str:
    """r | s as 128 hex digits."""
    table = table or default_ecc_table
    private = private if private is not None else keys.sm2_private_key()
    public = public_of(private, table)
    e = digest_to_sign(message, public, signer_id, table)
    crypt = _crypt(private.hex(), public, table)
    n = int(table["n"], 16)
    while True:
        k = k_hex or f"{secrets.randbelow(n - 1) + 1:064x}"
        signature = crypt.sign(e, k)
        if signature:
            return signature
        if k_hex:
            raise ValueError("this k gives no signature")


def verify(
    message: bytes,
    signature_hex: str,
    public_hex: str,
    *,
    signer_id: bytes = DEFAULT_ID,
    table: dict | None = None,
) -> bool:
    table = table or default_ecc_table
    n = int(table["n"], 16)
    try:
        r, s = int(signature_hex[:64], 16), int(signature_hex[64:], 16)
        bytes.fromhex(public_hex)
    except ValueError:
        return False
    if len(signature_hex) != 128 or len(public_hex) != 128 or not (0 < r < n and 0 < s < n):
        return False
    e = digest_to_sign(message, public_hex, signer_id, table)
    try:
        return bool(_crypt("00", public_hex, table).verify(signature_hex, e))
    except (ValueError, TypeError):
        return False


def key_id_of(public_hex: str) -> str:
    """hex(SM3(x | y)): the fingerprint each SM2-signed head names."""
    return sm3_hex(bytes.fromhex(public_hex))


def public_key() -> str:
    return public_of(keys.sm2_private_key())


def tree_head_message(tree_size: int, root_hex: str, signed_at_iso: str) -> bytes:
    """The bytes SM2 signs: the Ed25519 message's fields under their own context."""
    return f"{CONTEXT}\n{tree_size}\n{root_hex}\n{signed_at_iso}\n".encode()
