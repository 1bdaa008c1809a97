"""The cost of 密评's algorithms where they run, each beside its baseline in the same run.

- sm3_mib_s vs sha256_mib_s: hashing throughput of an original (the worker computes the
  SM3 digest after ingest; the SHA-256 is what ingest computes while receiving).
- sm4_seal_us vs plain_us: sealing one party field with SM4-GCM against building the
  plain string (the per-field cost of saving a party).
- sm2_sign_ms vs ed25519_sign_ms: signing one tree head (pure-Python gmssl against
  OpenSSL's Ed25519): paid once per head, at most every minute or every 1000 entries.

    .venv/bin/python bench/bench_security.py
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("FULLRECORD_DATA_DIR", tempfile.mkdtemp(prefix="fullrecord-bench-sec-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fullrecord.settings")

import django  # noqa: E402

django.setup()

from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

from fullrecord.security import sm2, sm4  # noqa: E402

DATA = os.urandom(64 * 1024 * 1024)


def rate(fn, size: int, rounds: int = 3) -> float:
    best = min(_timed(fn) for _ in range(rounds))
    return size / (1024 * 1024) / best


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def per_call(fn, n: int) -> float:
    return min(_timed(lambda: [fn() for _ in range(n)]) for _ in range(3)) / n


def main() -> None:
    print("# command: .venv/bin/python bench/bench_security.py (64 MiB random, best of 3)")

    def sm3_all():
        digest = hashes.Hash(hashes.SM3())
        for i in range(0, len(DATA), 1024 * 1024):
            digest.update(DATA[i : i + 1024 * 1024])
        digest.finalize()

    def sha_all():
        digest = hashlib.sha256()
        for i in range(0, len(DATA), 1024 * 1024):
            digest.update(DATA[i : i + 1024 * 1024])

    print(f"sm3_mib_s: {rate(sm3_all, len(DATA)):.0f}")
    print(f"sha256_mib_s: {rate(sha_all, len(DATA)):.0f}")
    value = "110101199003074258"
    print(f"sm4_seal_us: {per_call(lambda: sm4.seal(value), 2000) * 1e6:.1f}")
    print(f"plain_us: {per_call(lambda: str(value), 2000) * 1e6:.2f}")
    message = sm2.tree_head_message(1000, "ab" * 32, "2026-01-01T00:00:00.000000+00:00")
    private = bytes.fromhex("3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8")
    sm2.public_of(private)
    ed = Ed25519PrivateKey.generate()
    print(f"sm2_sign_ms: {per_call(lambda: sm2.sign(message, private), 20) * 1e3:.1f}")
    print(f"ed25519_sign_ms: {per_call(lambda: ed.sign(message), 200) * 1e3:.3f}")
    public = sm2.public_of(private)
    signature = sm2.sign(message, private)
    print(
        f"sm2_verify_ms: {per_call(lambda: sm2.verify(message, signature, public), 20) * 1e3:.1f}"
    )


if __name__ == "__main__":
    main()
