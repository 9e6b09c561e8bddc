"""Replaying the arrival of a month: a landing zone without its last month, then that month's files.

Used by the benchmark (time to add a month) and the incremental-build tests. Files keep their modification time
(their arrival time), which supersession orders by.
"""
from __future__ import annotations

import shutil
from pathlib import Path


def _files_of_month(root: Path, month: str) -> list[Path]:
    """Monthly files naming `month` (YYYYMM) in their name."""
    return sorted(p for p in root.rglob("*") if p.is_file() and month in p.name)


def copy_without_month(source: Path, target: Path, month: str) -> list[Path]:
    """Copy the landing zone `source` to `target`, holding back the files of `month`; returns the held files."""
    held = set(_files_of_month(source, month))
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        if path not in held:
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)
    return sorted(held)


def release_month(source: Path, target: Path, month: str) -> list[Path]:
    """The files of `month` arrive in `target`."""
    released = []
    for path in _files_of_month(source, month):
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
        released.append(destination)
    return released
