"""`make bench`: national-scale landing zone, full build, one added month, and the pandas comparison.

    python -m benchmarks.run [--scale N] [--years 2018-2022] [--home DIR]

Generates (once per scale, years and seed) a landing zone for the 13 régions of mainland France with about `scale`
France Travail entries a year (`BENCH_SCALE`, default 1 000 000), holds back its last month, runs the whole
pipeline on the rest (wall time, peak memory), releases the month and runs again (the incremental update), rebuilds
the same files with `--full-refresh` and compares the tables the added month updated in place (they must be
identical), then times benchmarks/pandas_indicators.py (I1, I3, I4 from the same files), stopped once it has run 10
times as long as the full build: the ratio is then at least the target (`BENCH_PANDAS_LIMIT_RATIO`, 0 to let it
finish). Prints a table; writes the
figures as JSON under `$PRIC_HOME/bench/`. Targets (issue 8, on 2 cores and 24 GiB): full build <= 180 s and
<= 4 GiB; one month <= 20 s; the pipeline >= 10x faster than pandas.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from ingestion.generate.months import copy_without_month, release_month

TARGETS = {"full_build_seconds": 180, "full_build_peak_gib": 4, "add_month_seconds": 20, "speedup_vs_pandas": 10}

# Tables an incremental build updates in place (not rebuilt), with the key that orders them: after an added month,
# a full refresh on the same files must give the same rows (here at national scale; tests/pipeline/
# test_incremental.py checks the same tables at test scale).
_CUBE_KEY = ["month_start", "region_code", "departement_code", "bassin_code", "grouping_code", "breakdown",
             "breakdown_value"]
_INDICATOR_KEY = ["indicator", "period_type", "period", "territory_level", "territory_code", "breakdown",
                  "breakdown_value"]
UPDATED_IN_PLACE = {
    "marts.indicators": _INDICATOR_KEY,
    "marts.fct_entrees": ["entry_id"],
    "marts.fct_sorties": ["entry_id"],
    "marts.fct_parcours": ["person_key", "entry_rank"],
    "marts.bridge_entrees_financeurs": ["entry_id", "code_financeur"],
    "marts.bridge_entrees_dispositifs": ["entry_id", "source_system", "scheme_code"],
    "marts.ind_cube__entrees": _CUBE_KEY,
    "marts.ind_cube__sorties": _CUBE_KEY,
    # No unique key (the same hiring may come in two files): compared as a multiset of rows.
    "marts.fct_embauches": None,
    # Published with secrecy, only its changed partitions written again (secrecy.publish_changed_partitions).
    "delivery.indicateurs_publies": _INDICATOR_KEY,
}


# Runs one command and prints the peak resident memory (KiB) of its largest process: a fresh process per
# measurement, since ru_maxrss of children is a running maximum over everything a process ever waited for. It
# outlives a SIGTERM sent to its process group (a handler, which the command does not inherit, unlike an ignored
# signal), so that a command stopped at its limit still has its peak written.
_MEASURE = ("import resource, signal, subprocess, sys; signal.signal(signal.SIGTERM, lambda *_: None); "
            "code = subprocess.run(sys.argv[2:]).returncode; "
            "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)); "
            "sys.exit(code)")
_DONE = re.compile(r"\] done (\S+) \(([\d.]+) s\)")
_MODEL = re.compile(r"\] dbt (?!test )(\S+) \(([\d.]+) s\)")


def _timed(command: list[str], env: dict[str, str], log: Path,
           limit: float | None = None) -> tuple[float, float, int | None]:
    """Wall seconds, peak resident memory (GiB) of the largest process of the command's tree, exit code; the exit
    code is None when the command ran past `limit` seconds and was stopped (its whole process group)."""
    peak_file = log.with_suffix(".peak")
    peak_file.unlink(missing_ok=True)
    started = time.monotonic()
    with open(log, "w", encoding="utf-8") as out:
        process = subprocess.Popen([sys.executable, "-c", _MEASURE, str(peak_file), *command], env=env, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        try:
            code = process.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:  # a command that ignores SIGTERM
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            code = None
    elapsed = time.monotonic() - started
    peak_kib = float(peak_file.read_text()) if peak_file.exists() else float("nan")
    return elapsed, peak_kib / 1024 / 1024, code


def _profile(log: Path, top: int = 8) -> dict[str, dict[str, float]]:
    """The slowest Dagster steps and dbt models of a `pric run --progress` log: where the time goes."""
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    def slowest(pattern: re.Pattern) -> dict[str, float]:
        found = {name: float(seconds) for name, seconds in pattern.findall(text)}
        return dict(sorted(found.items(), key=lambda item: -item[1])[:top])
    return {"steps": slowest(_DONE), "dbt_models": slowest(_MODEL)}


def _differences(warehouse: Path, saved: Path, table: str, key: list[str] | None) -> int:
    """Rows of `table` in the warehouse and of its saved copy that do not match on key and every column (doubles
    within 1e-9, relative: sums of doubles may differ in their last bits between two builds). `key` None: the
    table has no unique key; distinct rows are matched on every column and their numbers of copies compared."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        schema, name = table.split(".")
        columns = con.execute("select column_name, data_type from information_schema.columns where table_schema = ? "
                              "and table_name = ? order by ordinal_position", [schema, name]).fetchall()
        now_rows, saved_rows = table, f"read_parquet('{saved}')"
        if key is None:
            key = [c for c, _ in columns]
            now_rows, saved_rows = (f"(select *, count(*) as _copies from {rows} group by all)"
                                    for rows in (now_rows, saved_rows))
            columns.append(("_copies", "BIGINT"))
        same = [f"(now.{c} is null and saved.{c} is null) or abs(now.{c} - saved.{c}) <= "
                f"1e-9 * greatest(1, abs(saved.{c}))" if kind == "DOUBLE" else f"now.{c} is not distinct from saved.{c}"
                for c, kind in columns if c not in key]
        on = " and ".join(f"now.{c} is not distinct from saved.{c}" for c in key)
        # A marker on each side tells an unmatched row, whatever its key holds (a key column may be NULL).
        return con.execute(
            f"select count(*) from (select *, true as _in_now from {now_rows}) as now "
            f"full join (select *, true as _in_saved from {saved_rows}) as saved on {on} "
            f"where now._in_now is null or saved._in_saved is null "
            f"or not ({' and '.join(f'coalesce({condition}, false)' for condition in same) or 'true'})").fetchone()[0]
    finally:
        con.close()


def _save(warehouse: Path, folder: Path) -> dict[str, Path]:
    """The tables an incremental build updated in place, as Parquet files, before the full refresh replaces them."""
    import duckdb

    folder.mkdir(parents=True, exist_ok=True)
    saved = {table: folder / f"{table}.parquet" for table in UPDATED_IN_PLACE}
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for table, path in saved.items():
            con.execute(f"copy {table} to '{path}' (format parquet)")
    finally:
        con.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=int(os.environ.get("BENCH_SCALE", 1_000_000)))
    parser.add_argument("--years", default=os.environ.get("BENCH_YEARS", "2018-2022"))
    parser.add_argument("--seed", type=int, default=44)
    # The pandas script takes most of a national run (tens of minutes): skip it while iterating on the pipeline.
    parser.add_argument("--skip-pandas", action="store_true", default=os.environ.get("BENCH_SKIP_PANDAS") == "1")
    parser.add_argument("--pandas-limit-ratio", type=float,
                        default=float(os.environ.get("BENCH_PANDAS_LIMIT_RATIO", TARGETS["speedup_vs_pandas"])))
    # The full refresh after the added month (a check that incremental equals full, a few minutes).
    parser.add_argument("--skip-full-refresh", action="store_true",
                        default=os.environ.get("BENCH_SKIP_FULL_REFRESH") == "1")
    parser.add_argument("--home", type=Path, default=Path(os.environ.get("PRIC_HOME", "data")) / "bench")
    parser.add_argument("--references", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "realdata")
    args = parser.parse_args(argv)

    bench = args.home.resolve()
    bench.mkdir(parents=True, exist_ok=True)
    bin_dir = Path(sys.executable).parent
    pric = str(bin_dir / "pric")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    figures: dict[str, object] = {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"), "scale_entries_per_year": args.scale,
        "years": args.years, "regions": 13, "cpus": os.cpu_count(), "python": platform.python_version(),
        "duckdb_threads": os.environ.get("PRIC_DUCKDB_THREADS", "2"),
        "duckdb_memory_limit": os.environ.get("PRIC_DUCKDB_MEMORY_LIMIT", "3GB"),
    }

    source = bench / f"landing-source-{args.scale}-{args.years}-{args.seed}"
    if not (source / ".complete").exists():
        shutil.rmtree(source, ignore_errors=True)
        command = [pric, "generate", "--out", str(source), "--region", "national", "--years", args.years,
                   "--scale", str(args.scale), "--seed", str(args.seed)]
        if args.references.is_dir():
            command += ["--references", str(args.references)]
        print(f"generating the national landing zone (scale {args.scale:,} entries a year)…", flush=True)
        seconds, _, code = _timed(command, env, bench / "generate.log")
        if code:
            print(f"generation failed, see {bench / 'generate.log'}", file=sys.stderr)
            return code
        (source / ".complete").write_text("", encoding="utf-8")
        figures["generate_seconds"] = round(seconds, 1)
    figures["landing_bytes"] = sum(p.stat().st_size for p in source.rglob("*") if p.is_file())
    last_month = f"{args.years.split('-')[-1]}12"

    landing, home = bench / "landing", bench / "home"
    shutil.rmtree(landing, ignore_errors=True)
    shutil.rmtree(home, ignore_errors=True)
    copy_without_month(source, landing, last_month)
    run_env = {**env, "PRIC_HOME": str(home), "DAGSTER_HOME": str(home / "dagster")}

    print("full build (every feed, dbt, checks, extracts, snapshot)…", flush=True)
    seconds, peak, code = _timed([pric, "run", "--progress", "--landing", str(landing), "--home", str(home)],
                                 run_env, bench / "full_build.log")
    figures.update(full_build_seconds=round(seconds, 1), full_build_peak_gib=round(peak, 2),
                   full_build_ok=code == 0, full_build_profile=_profile(bench / "full_build.log"))

    print(f"adding month {last_month}…", flush=True)
    release_month(source, landing, last_month)
    seconds, peak, code = _timed([pric, "run", "--progress", "--landing", str(landing), "--home", str(home)],
                                 run_env, bench / "add_month.log")
    figures.update(add_month_seconds=round(seconds, 1), add_month_peak_gib=round(peak, 2), add_month_ok=code == 0,
                   add_month_profile=_profile(bench / "add_month.log"))

    if args.skip_full_refresh:
        figures.update(full_refresh_seconds=None, incremental_equals_full_refresh=None)
    else:
        print("full refresh on the same files, compared with the incremental result…", flush=True)
        warehouse = home / "warehouse.duckdb"
        saved = _save(warehouse, bench / "incremental")
        seconds, _, code = _timed([pric, "run", "--progress", "--full-refresh", "--landing", str(landing), "--home",
                                   str(home)], run_env, bench / "full_refresh.log")
        differences = {table: _differences(warehouse, path, table, UPDATED_IN_PLACE[table])
                       for table, path in saved.items()} if code == 0 else {}
        shutil.rmtree(bench / "incremental", ignore_errors=True)
        figures.update(full_refresh_seconds=round(seconds, 1), full_refresh_ok=code == 0,
                       full_refresh_differences=differences,
                       incremental_equals_full_refresh=code == 0 and not any(differences.values()))

    figures.update(pandas_seconds=None, pandas_peak_gib=None, pandas_ok=True, pandas_stopped_after=None,
                   speedup_vs_pandas=None)
    if not args.skip_pandas:
        # Once pandas has run `pandas_limit_ratio` times as long as the full build, the ratio is at least that:
        # the script is stopped there, and the table gives the bound (0: no limit, for the exact ratio).
        limit = args.pandas_limit_ratio * figures["full_build_seconds"] if args.pandas_limit_ratio else None
        print("pandas comparison (I1, I3, I4 from the same files)"
              + (f", stopped after {limit:.0f} s if still running…" if limit else "…"), flush=True)
        seconds, peak, code = _timed(
            [sys.executable, "-m", "benchmarks.pandas_indicators", str(landing), "--key-file",
             str(home / "pseudo.key"), "--out", str(bench / "pandas_indicators.csv")], env, bench / "pandas.log",
            limit=limit)
        figures["pandas_peak_gib"] = round(peak, 2)
        if code is None:
            figures["pandas_stopped_after"] = round(seconds, 1)
        else:
            figures.update(pandas_seconds=round(seconds, 1), pandas_ok=code == 0)
        if code in (0, None):
            figures["speedup_vs_pandas"] = round(seconds / figures["full_build_seconds"], 2)

    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    (bench / f"bench-{stamp}.json").write_text(json.dumps(figures, indent=1), encoding="utf-8")
    (bench / "latest.json").write_text(json.dumps(figures, indent=1), encoding="utf-8")
    print(_table(figures))
    print(f"figures: {bench / 'latest.json'}; logs: {bench}/*.log")
    ok = all(figures[k] for k in ("full_build_ok", "add_month_ok", "pandas_ok"))
    return 0 if ok and figures["incremental_equals_full_refresh"] is not False else 1


def _table(figures: dict) -> str:
    def verdict(key: str, lower_is_better: bool = True) -> str:
        value, target = figures[key], TARGETS[key]
        if value is None:
            return "skipped"
        met = value <= target if lower_is_better else value >= target
        if not met and key == "speedup_vs_pandas" and figures.get("pandas_stopped_after") is not None:
            return "undecided"  # stopped below the target ratio (BENCH_PANDAS_LIMIT_RATIO < 10): a bound too low
        return "met" if met else "NOT met"

    same_as_full = {None: "skipped (--skip-full-refresh)", True: "identical tables",
                    False: f"rows differ: {figures.get('full_refresh_differences')}"}[
        figures["incremental_equals_full_refresh"]]
    if figures["full_refresh_seconds"] is not None:
        same_as_full += f" (full refresh {figures['full_refresh_seconds']} s)"
    stopped = figures.get("pandas_stopped_after") is not None
    if stopped:
        pandas = f"stopped unfinished after {figures['pandas_stopped_after']} s ({figures['pandas_peak_gib']} GiB)"
    elif figures["pandas_seconds"] is None:
        pandas = "skipped (--skip-pandas)"
    else:
        pandas = (f"{figures['pandas_seconds']} s ({figures['pandas_peak_gib']} GiB)"
                  + ("" if figures["pandas_ok"] else ", failed: see pandas.log"))
    rows = [
        ("landing zone", f"{figures['landing_bytes'] / 1e9:.2f} GB, {figures['scale_entries_per_year']:,} entries/yr, "
                         f"{figures['years']}", "", ""),
        ("full build", f"{figures['full_build_seconds']} s", "<= 180 s", verdict("full_build_seconds")),
        ("full build peak memory", f"{figures['full_build_peak_gib']} GiB", "<= 4 GiB", verdict("full_build_peak_gib")),
        ("add one month", f"{figures['add_month_seconds']} s", "<= 20 s", verdict("add_month_seconds")),
        ("added month = full refresh", same_as_full, "identical",
         {None: "skipped", True: "met", False: "NOT met"}[figures["incremental_equals_full_refresh"]]),
        ("pandas I1, I3, I4", pandas, "", ""),
        ("pipeline vs pandas", "" if figures["speedup_vs_pandas"] is None else
         f"{'at least ' if stopped else ''}{figures['speedup_vs_pandas']}x", ">= 10x",
         verdict("speedup_vs_pandas", False)),
    ]
    width = max(len(r[0]) for r in rows)
    lines = [f"{'measure'.ljust(width)}  {'measured':45}  {'target':9}  verdict"]
    lines += [f"{name.ljust(width)}  {value:45}  {target:9}  {ok}" for name, value, target, ok in rows]
    for run in ("full_build", "add_month"):
        profile = figures.get(f"{run}_profile") or {}
        for kind, label in (("steps", "slowest steps"), ("dbt_models", "slowest dbt models")):
            if profile.get(kind):
                shown = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in profile[kind].items())
                lines.append(f"{run} {label}: {shown}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
