"""Keyed pseudonymisation of person keys, done inside DuckDB at the first load step.

A person key (`dn_individu_national`, `Identifiant France Travail`) becomes HMAC-SHA256(key, value) in hex, so the
same person gets the same pseudonym in every feed without the warehouse ever holding the real identifier. The HMAC
is written in SQL (RFC 2104 over DuckDB's `sha256`) so that millions of rows never round-trip through Python.
"""
from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

_BLOCK = 64  # SHA-256 block size in bytes


class MissingKeyError(RuntimeError):
    pass


def load_key(home: Path | None = None, create: bool = False) -> bytes:
    """The pseudonymisation key: `PRIC_PSEUDO_KEY` (hex or text), else `$PRIC_HOME/pseudo.key`.

    With `create`, a random key is written to `$PRIC_HOME/pseudo.key` (mode 600) when none exists: a demo or a
    first run works out of the box, and the key never sits in the repository.
    """
    env = os.environ.get("PRIC_PSEUDO_KEY")
    if env:
        return env.encode("utf-8")
    if home is None:
        raise MissingKeyError("PRIC_PSEUDO_KEY is not set and no PRIC_HOME was given to hold a key file")
    key_file = Path(home) / "pseudo.key"
    if key_file.exists():
        return key_file.read_text(encoding="ascii").strip().encode("utf-8")
    if not create:
        raise MissingKeyError(f"no pseudonymisation key: set PRIC_PSEUDO_KEY or create {key_file}")
    key_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(32))
    return key_file.read_text(encoding="ascii").strip().encode("utf-8")


def _blob_literal(data: bytes) -> str:
    return f"unhex('{data.hex()}')"


def hmac_sql(column_sql: str, key: bytes) -> str:
    """SQL expression: lowercase hex HMAC-SHA256 of the text in `column_sql`; NULL or blank stays NULL."""
    if len(key) > _BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_BLOCK, b"\x00")
    inner_pad = bytes(b ^ 0x36 for b in key)
    outer_pad = bytes(b ^ 0x5C for b in key)
    value = f"nullif(trim({column_sql}), '')"
    inner = f"sha256({_blob_literal(inner_pad)} || encode({value}))"
    return f"sha256({_blob_literal(outer_pad)} || unhex({inner}))"
