"""`pric`: generate a landing zone, run the pipeline through Dagster, read the indicators.

Exit codes: 0 success; 1 the run failed (a blocking check or a step), nothing was published; 2 bad usage.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path

from dagster_project.project import DBT_DIR, DBT_EXECUTABLE

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

# The Dagster instance `pric` sets up (run history in SQLite beside it, through dagster_project/instance_storage.py):
# no telemetry (no internet here); one warehouse writer at a time (the `warehouse` pool, and queued runs one at a
# time); a run whose worker crashed is retried twice. A run that failed in a step is not re-executed: the steps
# retry what a retry can cure themselves (dagster_project/ingestion.py, dbt.build_failure), and a failed check
# re-executed would only fail again.
INSTANCE_CONFIG = """telemetry:
  enabled: false
concurrency:
  pools:
    default_limit: 1
  runs:
    max_concurrent_runs: 1
run_retries:
  enabled: true
  max_retries: 2
  retry_on_asset_or_op_failure: false
"""


class UsageError(Exception):
    pass


def _home(value: str | None) -> Path:
    return Path(value or os.environ.get("PRIC_HOME") or "data").resolve()


def _dbt_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PRIC_HOME"] = str(home)
    env["DBT_PROFILES_DIR"] = str(DBT_DIR)
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    return env


def _manifest_is_stale() -> bool:
    manifest = DBT_DIR / "target" / "manifest.json"
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    sources = [DBT_DIR / "dbt_project.yml", DBT_DIR / "profiles.yml"]
    for folder in ("models", "macros", "seeds", "tests"):
        sources += [p for p in (DBT_DIR / folder).rglob("*") if p.is_file()]
    return any(p.stat().st_mtime > built for p in sources)


def prepare(home: Path, quiet: bool = False) -> None:
    """Build the dbt manifest that the Dagster definitions load (never at import)."""
    command = [DBT_EXECUTABLE, "parse", "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR)]
    if quiet:
        command.append("--quiet")
    completed = subprocess.run(command, env=_dbt_env(home), capture_output=True, text=True)
    if completed.returncode != 0:
        raise RuntimeError(f"dbt parse failed:\n{completed.stdout}\n{completed.stderr}")


def cmd_prepare(args: argparse.Namespace) -> int:
    prepare(_home(args.home))
    print(f"dbt manifest ready: {DBT_DIR / 'target' / 'manifest.json'}")
    return EXIT_OK


def cmd_generate(args: argparse.Namespace) -> int:
    from ingestion.generate import GenerateOptions, generate, parse_years

    try:
        first, last = parse_years(args.years)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    if args.scale <= 0:
        raise UsageError("--scale must be a positive number of entries per year")
    from dagster_project import progress

    started = time.monotonic()
    show = progress.wanted(sys.stdout, args.progress)

    def report(folder: str, files: list) -> None:
        if show:
            size = sum(Path(f).stat().st_size for f in files)
            print(f"[{time.monotonic() - started:6.1f} s] {folder}: {len(files)} files, {size / 1e6:,.1f} MB",
                  flush=True)

    try:
        written = generate(
            GenerateOptions(
                out=Path(args.out).resolve(), region=args.region, first_year=first, last_year=last,
                scale=args.scale, seed=args.seed, references=Path(args.references).resolve() if args.references else None,
            ),
            report,
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    if not show:
        for folder, files in written.items():
            print(f"{folder}: {len(files)} files")
    print(f"landing zone written to {Path(args.out).resolve()} in {time.monotonic() - started:.1f} s")
    return EXIT_OK


def _describe_warnings(result) -> list[str]:
    from dagster import AssetCheckSeverity

    return [
        f"warning: check {e.check_name} on {'/'.join(e.asset_key.path)} did not pass (see the Dagster UI)"
        for e in result.get_asset_check_evaluations()
        if not e.passed and e.severity == AssetCheckSeverity.WARN
    ]


def _describe_failures(result) -> list[str]:
    from dagster import AssetCheckSeverity

    lines = []
    for evaluation in result.get_asset_check_evaluations():
        if evaluation.passed or evaluation.severity != AssetCheckSeverity.ERROR:
            continue
        asset = "/".join(evaluation.asset_key.path)
        lines.append(f"blocking check failed: {evaluation.check_name} on {asset}")
        for key in ("failures", "offending_rows"):
            value = evaluation.metadata.get(key)
            if value is not None and getattr(value, "value", None) not in (None, "none"):
                lines.append(f"  {key}:\n    " + str(value.value).replace("\n", "\n    "))
    for event in result.get_step_failure_events():
        error = event.step_failure_data.error
        # Dagster wraps the exception raised in the step; its cause says what went wrong.
        while error is not None and error.cause is not None and "DagsterExecutionStepExecutionError" in error.cls_name:
            error = error.cause
        message = error.message.strip().splitlines()[0] if error else "unknown error"
        lines.append(f"step failed: {event.step_key}: {message}")
    # A step skipped with nothing failed means an upstream step gave no output (say dbt events that could not be
    # read): the run did not publish, and must not look green.
    from dagster import DagsterEventType

    skipped = [e.step_key for e in result.all_events if e.event_type == DagsterEventType.STEP_SKIPPED]
    if skipped and not lines:
        lines.append(f"steps skipped, nothing failed upstream: {', '.join(sorted(skipped))}")
    return lines


def _write_summary(path: Path, result, elapsed: float) -> None:
    """What the run did, for operators and scripts: success, every check with its outcome, failed steps."""
    summary = {
        "run_id": result.run_id,
        "success": result.success,
        "wall_seconds": round(elapsed, 1),
        "checks": [
            {"asset": "/".join(e.asset_key.path), "check": e.check_name, "passed": e.passed,
             "severity": e.severity.value}
            for e in result.get_asset_check_evaluations()
        ],
        "failed_steps": [event.step_key for event in result.get_step_failure_events()],
    }
    path.write_text(json.dumps(summary, indent=1), encoding="utf-8")


SUMMARY_KEYS = ("files_loaded", "files_unchanged", "files_rejected", "rows_loaded", "rows_quarantined", "funders")


def _describe_materializations(result) -> list[str]:
    """One line per Python asset: what it loaded or wrote (dbt models are summarised by dbt itself)."""
    lines, seen = [], set()
    for event in result.get_asset_materialization_events():
        materialization = event.event_specific_data.materialization
        # A ranged run materializes a monthly feed once per month, with the same step's figures.
        if materialization.asset_key in seen:
            continue
        seen.add(materialization.asset_key)
        metadata = materialization.metadata
        shown = [f"{key}={metadata[key].value}" for key in SUMMARY_KEYS if key in metadata]
        if shown:
            lines.append(f"{'/'.join(materialization.asset_key.path)}: {', '.join(shown)}")
        if "files_rejected" in metadata and metadata["files_rejected"].value:
            lines.append("  rejected files:\n  " + metadata["rejected_files"].value.replace("\n", "\n  "))
    return lines


def _write_instance_config(path: Path) -> None:
    """dagster.yaml for a new home; a home written before the storage block gets it appended, unless its
    configuration names a storage of its own (PostgreSQL, say)."""
    import yaml

    from dagster_project.instance_storage import STORAGE_CONFIG

    if not path.exists():
        path.write_text(INSTANCE_CONFIG + STORAGE_CONFIG, encoding="utf-8")
        return
    existing = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not {"storage", "run_storage", "event_log_storage", "schedule_storage"} & set(existing):
        with open(path, "a", encoding="utf-8") as handle:
            handle.write("\n" + STORAGE_CONFIG)


def cmd_run(args: argparse.Namespace) -> int:
    home = _home(args.home)
    landing = Path(args.landing or os.environ.get("PRIC_LANDING") or home / "landing").resolve()
    if not landing.is_dir():
        raise UsageError(f"landing zone not found: {landing} (generate one with `pric generate --out {landing}`)")
    home.mkdir(parents=True, exist_ok=True)
    if args.target:
        os.environ["PRIC_TARGET"] = args.target
    os.environ.update(_dbt_env(home))
    os.environ["PRIC_LANDING"] = str(landing)
    os.environ.setdefault("DAGSTER_HOME", str(home / "dagster"))
    dagster_home = Path(os.environ["DAGSTER_HOME"])
    dagster_home.mkdir(parents=True, exist_ok=True)
    _write_instance_config(dagster_home / "dagster.yaml")
    if _manifest_is_stale():
        prepare(home, quiet=True)

    from dagster import DagsterInstance

    from dagster_project.automation import RANGE_END, RANGE_START, pending_months_tags
    from dagster_project.definitions import defs

    started = time.monotonic()
    # Quiet by default: the summary below says what happened; Dagster's run log keeps the details (UI, --verbose).
    log_level = "INFO" if args.verbose else "CRITICAL"
    # dbt's own log goes to stdout; unless --verbose it is kept in a file under $PRIC_HOME/logs/.
    log_path = home / "logs" / f"pric-run-{time.strftime('%Y%m%dT%H%M%S')}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    from dagster_project import progress

    progress.STREAM[0] = sys.stdout if progress.wanted(sys.stdout, args.progress) else None
    months = pending_months_tags(home / "warehouse.duckdb", landing)
    if progress.STREAM[0] is not None:
        print(f"monthly feeds: {months[RANGE_START][:7]} to {months[RANGE_END][:7]} (months with new or changed "
              "files)", flush=True)
    with open(log_path, "w", encoding="utf-8") as log_file, DagsterInstance.get() as instance:
        with contextlib.redirect_stdout(sys.stdout if args.verbose else log_file):
            result = defs.resolve_job_def("full_run").execute_in_process(
                instance=instance,
                raise_on_error=False,
                tags=months,
                run_config={"loggers": {"console": {"config": {"log_level": log_level}}, "progress": {}},
                            "ops": {"pric_dbt_assets": {"config": {"full_refresh": args.full_refresh}}}},
            )
    elapsed = time.monotonic() - started
    quality_dir = home / "quality"
    if quality_dir.exists():  # every suite's latest result, passed or failed, in one HTML report
        from expectations import build_data_docs

        with contextlib.redirect_stdout(io.StringIO()):
            build_data_docs(quality_dir)
    if not args.verbose:
        print(f"dbt log: {log_path}")
    _write_summary(home / "logs" / "last_run.json", result, elapsed)
    for line in _describe_materializations(result) + _describe_warnings(result):
        print(line)
    failures = _describe_failures(result)
    if result.success and not failures:
        print(f"run {result.run_id} succeeded in {elapsed:.1f} s; warehouse {home / 'warehouse.duckdb'}; "
              f"quality reports {home / 'quality' / 'gx' / 'uncommitted' / 'data_docs' / 'local_site' / 'index.html'}")
        return EXIT_OK
    print(f"run {result.run_id} FAILED after {elapsed:.1f} s; nothing was published", file=sys.stderr)
    for line in failures:
        print(line, file=sys.stderr)
    return EXIT_FAILED


def cmd_indicators(args: argparse.Namespace) -> int:
    from ingestion.warehouse import connect

    home = _home(args.home)
    path = home / "warehouse.duckdb"
    if not path.exists():
        raise UsageError(f"no warehouse at {path}: run `pric run` first")
    filters, params = [], []
    for column, value in (
        ("indicator", args.indicator),
        ("territory_level", args.level),
        ("territory_code", args.territory),
        ("period_type", args.period_type),
        ("period", args.period),
        ("breakdown", args.breakdown),
        ("breakdown_value", args.breakdown_value),
    ):
        if value:
            filters.append(f"{column} = ?")
            params.append(value)
    where = "where " + " and ".join(filters) if filters else ""
    con = connect(path, read_only=True)
    try:
        frame = con.execute(
            f"select * from marts.indicators {where} "
            "order by indicator, period_type, period, territory_level, territory_code, breakdown, breakdown_value",
            params,
        ).fetchdf()
    finally:
        con.close()
    if args.format == "csv":
        frame.to_csv(sys.stdout, index=False, lineterminator="\n")
    elif args.format == "json":
        json.dump(json.loads(frame.to_json(orient="records")), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print(_as_table(frame))
    return EXIT_OK


def _as_table(frame) -> str:
    """Periods across when the selection is one territory and one breakdown value; the long table otherwise."""
    if frame.empty:
        return "(no indicator matches)"
    shown = frame.assign(
        shown=[
            "secret" if secret else (f"{v:,.0f}".replace(",", " ") if d != d or d is None else f"{v:.3f}")
            for v, d, secret in zip(frame["value"], frame["denominator"], frame["is_secret"])
        ]
    )
    cells = shown[["territory_level", "territory_code", "breakdown", "breakdown_value"]].drop_duplicates()
    if len(cells) == 1 and shown["period_type"].nunique() == 1:
        cell = cells.iloc[0]
        pivot = shown.pivot(index="indicator", columns="period", values="shown").fillna("")
        title = (
            f"{cell.territory_level} {cell.territory_code}, {cell.breakdown} {cell.breakdown_value} "
            f"(counts; shares as fractions)"
        )
        return title + "\n" + pivot.to_string()
    columns = ["indicator", "period", "territory_level", "territory_code", "breakdown", "breakdown_value", "shown"]
    return shown[columns].to_string(index=False)


def cmd_export(args: argparse.Namespace) -> int:
    """Redo the published table and the funder extracts from the current warehouse (no run, no checks)."""
    from datetime import datetime, timezone

    from dagster_project.publish import extracts
    from dagster_project.settings import SecrecySettings
    from ingestion.warehouse import connect

    home = _home(args.home)
    path = home / "warehouse.duckdb"
    if not path.exists():
        raise UsageError(f"no warehouse at {path}: run `pric run` first")
    settings = SecrecySettings.from_environment()
    con = connect(path)
    try:
        extracts.build_published_table(con)
        written = extracts.write_all(con, home / "exports", datetime.now(timezone.utc).date(), settings.min_count,
                                     settings.min_denominator, only=args.funder)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    finally:
        con.close()
    for extract in written:
        print(f"{extract.funder}: {extract.rows} -> {extract.folder}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pric", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("generate", help="write a deterministic sample landing zone")
    p.add_argument("--out", required=True, help="landing zone folder to write")
    p.add_argument("--region", default="44", help="INSEE région code (default 44, Grand Est)")
    p.add_argument("--years", default="2018-2022", help="first-last year (default 2018-2022)")
    p.add_argument("--scale", type=int, default=5000, help="entries per year (default 5000)")
    p.add_argument("--seed", type=int, default=44)
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="one line per feed as it is written (default: on a terminal, not under CI)")
    p.add_argument("--references", help="folder of real public reference files laid out as ../shared/realdata "
                   "(ROME, FAP, bassins BMO, tension); without it only the shipped COG is written")
    p.set_defaults(func=cmd_generate)

    p = commands.add_parser("run", help="load every feed, build the warehouse, check, publish")
    p.add_argument("--landing", help="landing zone (default $PRIC_LANDING, else $PRIC_HOME/landing)")
    p.add_argument("--home", help="where the warehouse and exports live (default $PRIC_HOME, else ./data)")
    p.add_argument("--verbose", action="store_true", help="show Dagster's and dbt's logs")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="one line per step and dbt model as they finish (default: on a terminal, not under CI)")
    p.add_argument("--target", choices=["duckdb", "postgres", "spark"],
                   help="SQL engine dbt builds on (default $PRIC_TARGET, else duckdb; docs/scaling.md)")
    p.add_argument("--full-refresh", action="store_true",
                   help="rebuild every dbt model from scratch (by default only what the new files change)")
    p.set_defaults(func=cmd_run)

    p = commands.add_parser("indicators", help="print the published indicators")
    p.add_argument("--home")
    p.add_argument("--indicator")
    p.add_argument("--level", help="region, departement, bassin, or a Région's grouping (maison_de_la_region)")
    p.add_argument("--territory", help="territory code, e.g. 44, 08, 2A")
    p.add_argument("--period-type", choices=["year", "quarter", "month"])
    p.add_argument("--period", help="2019, 2019-T1 or 2019-01")
    p.add_argument("--breakdown", help="ensemble, financeur, dispositif, formacode_domaine, rome, fap, public")
    p.add_argument("--breakdown-value", help="e.g. a funder code (2) or a scheme (PRIC)")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(func=cmd_indicators)

    p = commands.add_parser("export", help="redo the funder extracts from the current warehouse")
    p.add_argument("--home")
    p.add_argument("--funder", help="one funder only (conseil_regional, france_travail, agefiph, opco, etat, cpf)")
    p.set_defaults(func=cmd_export)

    p = commands.add_parser("prepare", help="build the dbt manifest (done by the Makefile)")
    p.add_argument("--home")
    p.set_defaults(func=cmd_prepare)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # exits 2 on bad usage, with argparse's one-line reason
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"pric {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # `pric indicators | head`: the reader left, which is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def console() -> int:
    """The `pric` command. After the command's own output, the interpreter's exit is silenced: DuckDB 2.0's
    Python module (built with nanobind) reports its own type objects as "leaked" when Python tears it down after
    a Dagster run, forty lines of noise that nanobind documents as benign at shutdown."""
    # PySpark, imported by Great Expectations when it is installed (the `engines` extra), warns about pandas 3;
    # the Spark target does not go through pandas.
    warnings.filterwarnings("ignore", category=FutureWarning, module=r"pyspark\.")
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stderr.fileno())
    return code


if __name__ == "__main__":
    sys.exit(console())
