"""One-time codes with SM3, after GM/T 0021-2012 (动态口令密码应用技术规范).

Why there are two kinds of device: the TOTP of RFC 6238 that phone authenticator apps
compute uses HMAC-SHA1, which is a sound second factor (等保 8.1.4.1 d asks for two
factors, one of them cryptographic) but not a commercial-cryptography algorithm, so 密评
(GB/T 39786-2021, identity authentication) does not accept it. Hardware tokens sold to
Chinese government bodies compute the GM/T 0021 code with SM3. The compliance self-check
therefore passes the 密评 item only when every account that must use a second factor has
an SM3 device; accounts with a phone-app TOTP device are named there as the reason it
fails. Nothing pretends a SHA-1 code is an SM algorithm.

The code: ID = T (the time step, 8 bytes big-endian; no event counter, no challenge);
S = SM3(K || ID); OD = the sum of S's eight 32-bit big-endian words mod 2^32;
code = OD mod 10^digits.
"""

from __future__ import annotations

import time

from cryptography.hazmat.primitives import hashes


def sm3_code(key: bytes, step_number: int, digits: int = 6) -> int:
    digest = hashes.Hash(hashes.SM3())
    digest.update(key + step_number.to_bytes(8, "big"))
    s = digest.finalize()
    od = sum(int.from_bytes(s[i : i + 4], "big") for i in range(0, 32, 4)) % 2**32
    return od % 10**digits


def step_at(moment: float, step: int, t0: int = 0) -> int:
    return int((moment - t0) // step)


def verify(
    key: bytes, token: str, *, step: int, digits: int, tolerance: int, after: int, now=None
) -> int | None:
    """The time step the token belongs to (newer than ``after``, within ``tolerance``
    steps of now), or None."""
    try:
        value = int(token)
    except (TypeError, ValueError):
        return None
    current = step_at(time.time() if now is None else now, step)
    for candidate in range(current - tolerance, current + tolerance + 1):
        if candidate > after and sm3_code(key, candidate, digits) == value:
            return candidate
    return None
