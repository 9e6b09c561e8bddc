"""Settings read from the environment when a run starts (never at import)."""
from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class SecrecySettings:
    """Statistical secrecy thresholds (indicators.md): passed to dbt as vars and used by every published form."""

    min_count: int = 5
    min_denominator: int = 20

    @classmethod
    def from_environment(cls) -> "SecrecySettings":
        return cls(
            min_count=int(os.environ.get("PRIC_SECRET_MIN_COUNT", cls.min_count)),
            min_denominator=int(os.environ.get("PRIC_SECRET_MIN_DENOMINATOR", cls.min_denominator)),
        )

    def dbt_vars(self) -> dict[str, int]:
        return {"secret_min_count": self.min_count, "secret_min_denominator": self.min_denominator}
