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
    region: str = "44"  # an INSEE région code, several joined by commas, or "national" (the 13 of mainland France)
    first_year: int = 2018
    last_year: int = 2022
    scale: int = 5000  # France Travail entries per year
    seed: int = 44
    references: Path | None = None  # folder of real public reference files (layout of ../shared/realdata)

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    @property
    def regions(self) -> list[str]:
        if self.region == "national":
            return list(MAINLAND_REGIONS)
        return [code.strip() for code in self.region.split(",") if code.strip()]

    @property
    def label(self) -> str:
        """How file names that carry the scope name it: the région code, or `national`."""
        return self.region if len(self.regions) == 1 else "national"


# The 13 régions of mainland France (COG 2025): the national benchmark's scope.
MAINLAND_REGIONS = ("11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94")


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


def communes_of_regions(regions: list[str]) -> pd.DataFrame:
    import duckdb

    con = duckdb.connect()
    try:
        return con.execute(
            "select code, department_code, region_code from read_parquet(?) "
            "where type_code = 'COM' and list_contains(?, region_code) order by code",
            [str(shipped("cog_communes_2025.parquet")), list(regions)],
        ).fetchdf()
    finally:
        con.close()


def region_names() -> dict[str, str]:
    names = pd.read_csv(shipped("cog_regions_2025.csv"), dtype=str)
    return dict(zip(names["code"], names["name"]))


def write_csv(frame: pd.DataFrame, path: Path, *, sep: str, encoding: str = "utf-8", null: str = "",
              crlf: bool = False) -> None:
    """Write a frame as the sources do, fast enough for national volumes: DuckDB writes UTF-8 (several times faster
    than pandas), then the text is transcoded when the source uses another encoding or CRLF line ends."""
    import duckdb

    con = duckdb.connect()
    try:
        con.register("frame", frame)
        target = path if encoding == "utf-8" and not crlf else path.with_name(path.name + ".utf8")
        con.execute(f"copy (select * from frame) to '{target}' (header, delimiter '{sep}', nullstr '{null}')")
    finally:
        con.close()
    if target != path:
        text = target.read_text(encoding="utf-8")
        path.write_bytes((text.replace("\n", "\r\n") if crlf else text).encode(encoding))
        target.unlink()


def french_number(values, decimals: int = 0) -> np.ndarray:
    """`1 234,50` as French sources write amounts (thousands space, decimal comma)."""
    out = []
    for value in values:
        text = f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",")
        out.append(text)
    return np.array(out, dtype=object)


def format_days(dates, pattern: str) -> np.ndarray:
    """Dates as text; missing stays missing. Each distinct day is formatted once (there are a few thousand in
    millions of rows), which is what makes national volumes quick to write."""
    days = np.asarray(pd.to_datetime(np.asarray(dates)).to_numpy(), dtype="datetime64[D]")
    distinct, position = np.unique(days, return_inverse=True)
    text = pd.to_datetime(distinct).strftime(pattern).to_numpy(dtype=object)[position.reshape(-1)]
    text[np.isnat(days)] = None
    return text


def french_dates(dates) -> np.ndarray:
    """`dd/mm/yyyy`; missing stays missing."""
    return format_days(dates, "%d/%m/%Y")


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
