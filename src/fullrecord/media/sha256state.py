"""A SHA-256 whose running state can be written down and taken up by another process.

tus PATCHes of one upload may reach different gunicorn workers (or machines sharing
the spool). hashlib cannot export its state, so a process that did not see the
previous PATCH had to hash the whole received prefix again: with two workers a
1 GiB upload in 64 MiB chunks took 4x the time of one, growing with the square of
the size. Here OpenSSL's own ``SHA256_Init/Update/Final`` (the same code hashlib
runs, with the CPU's SHA extensions) work on a context this module owns, whose 112
bytes are the whole state; :func:`save` keeps them, with the offset they cover, in an
extended attribute of the spool file (so they go wherever the file goes and vanish
with it), and :func:`load` takes them up again.

Nothing depends on it for correctness: when libcrypto is missing, the self-test at
import fails, the file system refuses extended attributes, or the saved offset is not
the upload's committed one, the caller hashes the prefix from disk as before.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import hashlib
import os
import struct

ATTRIBUTE = "user.fullrecord.sha256-state"
_MAGIC = b"FRS1"
_CTX_SIZE = 112  # SHA256_CTX: h[8], Nl, Nh, data[16], num, md_len (4-byte words)
_HEADER = struct.Struct(">4sQH")


def _libcrypto():
    name = ctypes.util.find_library("crypto")
    if not name:
        return None
    try:
        lib = ctypes.CDLL(name)  # CDLL: the GIL is released during each call
        lib.SHA256_Init.argtypes = [ctypes.c_void_p]
        lib.SHA256_Update.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t]
        lib.SHA256_Final.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        for function in (lib.SHA256_Init, lib.SHA256_Update, lib.SHA256_Final):
            function.restype = ctypes.c_int
    except (OSError, AttributeError):
        return None
    return lib


_lib = _libcrypto()


class ResumableSHA256:
    """hashlib's sha256 interface (update, copy, digest, hexdigest) plus :meth:`state`."""

    name = "sha256"
    digest_size = 32
    block_size = 64

    def __init__(self, state: bytes | None = None) -> None:
        self._ctx = ctypes.create_string_buffer(_CTX_SIZE)
        if state is None:
            if _lib.SHA256_Init(self._ctx) != 1:
                raise ValueError("SHA256_Init failed")
        else:
            if len(state) != _CTX_SIZE:
                raise ValueError("not a SHA-256 state")
            ctypes.memmove(self._ctx, state, _CTX_SIZE)

    def update(self, data) -> None:
        if not data:
            return
        if isinstance(data, bytes):
            _lib.SHA256_Update(self._ctx, data, len(data))
            return
        view = memoryview(data).cast("B")
        if view.readonly:
            chunk = bytes(view)
            _lib.SHA256_Update(self._ctx, chunk, len(chunk))
        else:
            buffer = (ctypes.c_char * len(view)).from_buffer(view)
            _lib.SHA256_Update(self._ctx, buffer, len(view))

    def copy(self) -> ResumableSHA256:
        return ResumableSHA256(self.state())

    def state(self) -> bytes:
        return self._ctx.raw

    def digest(self) -> bytes:
        ctx = ctypes.create_string_buffer(self._ctx.raw, _CTX_SIZE)  # Final spoils its context
        out = ctypes.create_string_buffer(32)
        _lib.SHA256_Final(out, ctx)
        return out.raw

    def hexdigest(self) -> str:
        return self.digest().hex()


def _self_test() -> bool:
    """Saving at an odd offset and continuing in a new object gives hashlib's answer."""
    if _lib is None:
        return False
    try:
        data = bytes(range(256)) * 41 + b"tail"
        first = ResumableSHA256()
        first.update(data[:1001])
        second = ResumableSHA256(first.state())
        second.update(memoryview(bytearray(data[1001:5000])))
        second.update(data[5000:])
        return second.hexdigest() == hashlib.sha256(data).hexdigest()
    except Exception:  # any surprise from the library: not available, hash from disk
        return False


# FULLRECORD_TUS_SAVED_HASH=0 turns it off (every process then hashes the prefix again, as
# before; bench/bench_tus_processes.py measures both).
AVAILABLE = os.environ.get("FULLRECORD_TUS_SAVED_HASH", "1") != "0" and _self_test()


def new():
    """A running SHA-256 that can be saved when available, else hashlib's."""
    return ResumableSHA256() if AVAILABLE else hashlib.sha256()


def save(fd: int, offset: int, digest) -> bool:
    """Keep ``digest`` (covering the file's first ``offset`` bytes) on the open file."""
    if not isinstance(digest, ResumableSHA256):
        return False
    state = digest.state()
    body = _HEADER.pack(_MAGIC, offset, len(state)) + state
    value = body + hashlib.sha256(body).digest()[:8]
    try:
        os.setxattr(fd, ATTRIBUTE, value)
    except OSError:  # no extended attributes here (or no room): hashing from disk it is
        return False
    return True


def load(fd: int, offset: int) -> ResumableSHA256 | None:
    """The saved state if it covers exactly ``offset`` bytes and is intact, else None."""
    if not AVAILABLE:
        return None
    try:
        value = os.getxattr(fd, ATTRIBUTE)
    except OSError:
        return None
    if len(value) != _HEADER.size + _CTX_SIZE + 8:
        return None
    body, check = value[:-8], value[-8:]
    if hashlib.sha256(body).digest()[:8] != check:
        return None
    magic, saved_offset, size = _HEADER.unpack_from(body)
    if magic != _MAGIC or size != _CTX_SIZE or saved_offset != offset:
        return None
    return ResumableSHA256(body[_HEADER.size :])


def forget(target) -> None:
    """Drop the saved state (before the file becomes an original in the store)."""
    with contextlib.suppress(OSError):
        os.removexattr(target, ATTRIBUTE)
