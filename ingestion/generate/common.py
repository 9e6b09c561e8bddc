"""What every part of the sample generator shares: options, calendar arrival times, the région's communes."""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class GenerateOptions:
    out: Path
    region: str = "44"
    first_year: int = 2018
    last_year: int = 2022
    scale: int = 5000  # France Travail entries per year
    seed: int = 44
    references: Path | None = None  # folder of real public reference files (layout of ../shared/realdata)

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))


def parse_years(text: str) -> tuple[int, int]:
    parts = text.split("-")
    try:
        first, last = (int(parts[0]), int(parts[-1]))
    except ValueError as exc:
        raise ValueError(f"--years must look like 2018-2022, got {text!r}") from exc
    if len(parts) > 2 or first > last or first < 2000 or last > 2100:
        raise ValueError(f"--years must look like 2018-2022, got {text!r}")
    return first, last


def shipped(name: str) -> Path:
    return Path(str(resources.files("ingestion") / "reference_data" / name))


def set_arrival(path: Path, when: datetime | pd.Timestamp) -> None:
    """Give a file the modification time of its arrival: supersession orders files by it."""
    when = pd.Timestamp(when).to_pydatetime().replace(tzinfo=timezone.utc)
    os.utime(path, (when.timestamp(), when.timestamp()))


def arrival_after(period: pd.Period, days: int = 4) -> pd.Timestamp:
    """A period's file arrives a few days after the period ends."""
    return (period + 1).to_timestamp() + pd.Timedelta(days=days)


def communes_of_region(region: str) -> pd.DataFrame:
    import duckdb

    con = duckdb.connect()
    try:
        return con.execute(
            "select code, department_code from read_parquet(?) where type_code = 'COM' and region_code = ? "
            "order by code",
            [str(shipped("cog_communes_2025.parquet")), region],
        ).fetchdf()
    finally:
        con.close()


def french_number(values, decimals: int = 0) -> np.ndarray:
    """`1 234,50` as French sources write amounts (thousands space, decimal comma)."""
    out = []
    for value in values:
        text = f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",")
        out.append(text)
    return np.array(out, dtype=object)


def french_dates(dates) -> np.ndarray:
    """`dd/mm/yyyy`; missing stays missing."""
    series = pd.Series(pd.to_datetime(dates))
    text = series.dt.strftime("%d/%m/%Y").to_numpy(dtype=object)
    text[series.isna().to_numpy()] = None
    return text


# Distributions below are set to resemble PRIC trainee populations (order of magnitude, not published figures).
ROMES = np.array([
    "N1103", "N4101", "H2909", "J1501", "K2204", "D1106", "G1603", "F1703", "M1607", "K1302",
    "H2913", "I1304", "M1203", "D1507", "N1105", "J1301", "F1602", "G1602", "H3302", "A1201",
    "K2111", "M1805", "I1607", "F1604", "H2102", "N4105", "D1214", "K1303", "M1602", "A1414",
])
FORMACODES = np.array([
    "31734", "15235", "42829", "22403", "31654", "32154", "44541", "22684", "23684", "43409",
    "31812", "42056", "21046", "35054", "24054", "13030", "15064", "32663", "31795", "42752",
])
FIRST_NAMES = np.array(["Camille", "Léa", "Lucas", "Hugo", "Chloé", "Nathan", "Inès", "Théo", "Zoé", "Adam"])
LAST_NAMES = np.array(["MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DUBOIS", "MOREAU", "SCHMITT",
                       "LŒWENBRÜCK"])
