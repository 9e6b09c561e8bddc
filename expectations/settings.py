"""Bounds of the quality checks. Each can be set from the environment (the name in brackets); the defaults suit a
Région's monthly run."""
from __future__ import annotations

import os
from dataclasses import dataclass


def _float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


@dataclass(frozen=True)
class QualitySettings:
    # Share of a file's rows that may go to quarantine before the file is suspect [PRIC_MAX_QUARANTINE_RATE].
    max_quarantine_rate: float = 0.05
    # France Travail entries of a year / mean ABC job-seeker stock of the département [PRIC_MAX_ENTRIES_PER_STOCK].
    max_entries_per_job_seeker: float = 0.5
    # Entries on an action / places bought, by year and bassin [PRIC_MAX_FILLING_RATE].
    max_filling_rate: float = 1.5
    # Year-over-year change of a count beyond this factor is flagged (warning) [PRIC_MAX_YEARLY_CHANGE].
    max_yearly_change: float = 2.0
    # A département without entries in a published year blocks publication ("error"), or only warns ("warn"),
    # for partial landing zones such as tests and pilots [PRIC_COMPLETENESS_SEVERITY].
    completeness_severity: str = "error"
    # The row-level suite `indicators` runs in pandas: beyond this many rows it validates every yearly région row
    # plus a sample of the others chosen by a hash of their key (dbt's SQL tests still cover every row) [PRIC_GX_MAX_ROWS].
    gx_max_rows: int = 500_000

    @classmethod
    def from_environment(cls) -> "QualitySettings":
        return cls(
            max_quarantine_rate=_float("PRIC_MAX_QUARANTINE_RATE", cls.max_quarantine_rate),
            max_entries_per_job_seeker=_float("PRIC_MAX_ENTRIES_PER_STOCK", cls.max_entries_per_job_seeker),
            max_filling_rate=_float("PRIC_MAX_FILLING_RATE", cls.max_filling_rate),
            max_yearly_change=_float("PRIC_MAX_YEARLY_CHANGE", cls.max_yearly_change),
            completeness_severity=os.environ.get("PRIC_COMPLETENESS_SEVERITY", cls.completeness_severity).lower(),
            gx_max_rows=int(_float("PRIC_GX_MAX_ROWS", cls.gx_max_rows)),
        )
