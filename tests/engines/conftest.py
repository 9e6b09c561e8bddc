"""`make test-engines`: the demo landing zone built on DuckDB, PostgreSQL and Spark by `pric run --target`.

A real PostgreSQL server is started for the session by `scripts/postgres` (initdb into a temp folder, a free
loopback port) and stopped at the end; Spark runs in local mode inside dbt. These tests run only when
PRIC_ENGINE_TESTS=1 (the Makefile sets it): they need the `engines` extra and take minutes, not seconds.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TARGETS = ("duckdb", "postgres", "spark")


def pytest_collection_modifyitems(config, items):
    if os.environ.get("PRIC_ENGINE_TESTS") == "1":
        return
    skip = pytest.mark.skip(reason="engine tests run with `make test-engines` (PRIC_ENGINE_TESTS=1)")
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def engines_dir(tmp_path_factory) -> Path:
    return Path(os.environ.get("PRIC_ENGINES_DIR") or tmp_path_factory.mktemp("engines")).resolve()


@pytest.fixture(scope="session")
def postgres(engines_dir) -> dict[str, str]:
    """A PostgreSQL server of this session, with an empty database `pric`: its PRIC_PG_* settings."""
    folder = engines_dir / "postgres-server"
    script = REPO / "scripts" / "postgres"
    subprocess.run([str(script), "start", str(folder)], check=True)
    settings = {}
    for line in (folder / "env").read_text().splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        settings[name] = value
    import psycopg2

    admin = psycopg2.connect(host=settings["PRIC_PG_HOST"], port=int(settings["PRIC_PG_PORT"]),
                             user=settings["PRIC_PG_USER"], dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("drop database if exists pric")
        cursor.execute("create database pric")
    admin.close()
    settings["PRIC_PG_DATABASE"] = "pric"
    yield settings
    subprocess.run([str(script), "stop", str(folder)], check=False)


@pytest.fixture(scope="session")
def demo_landing(engines_dir) -> Path:
    """The demo's landing zone (make demo's options; ENGINES_SCALE to change the size)."""
    landing = engines_dir / "landing"
    if not (landing / ".complete").exists():
        command = [str(Path(sys.executable).with_name("pric")), "generate", "--out", str(landing), "--region", "44",
                   "--years", "2018-2022", "--scale", os.environ.get("ENGINES_SCALE", "4000"), "--seed", "44"]
        realdata = Path(os.environ.get("PRIC_REALDATA", REPO.parent / "shared" / "realdata"))
        if realdata.is_dir():
            command += ["--references", str(realdata)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        (landing / ".complete").write_text("")
    return landing


@pytest.fixture(scope="session")
def built(engines_dir, demo_landing, postgres) -> dict[str, Path]:
    """`pric run` on each target, each with its own PRIC_HOME; the run summaries are kept for the assertions.

    The three runs go side by side: each is mostly one busy core (dbt, Dagster) waiting on its engine, so together
    they take little more than the slowest (Spark) alone."""
    homes, runs = {}, {}
    for target in TARGETS:
        home = engines_dir / target
        home.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, **postgres, "PRIC_TARGET": target, "PRIC_HOME": str(home),
               "DAGSTER_HOME": str(home / "dagster"), "PRIC_PSEUDO_KEY": "engines-test-key"}
        output = open(home / "pric-run.out", "w+", encoding="utf-8")  # a file: a full pipe would stall the run
        process = subprocess.Popen(
            [str(Path(sys.executable).with_name("pric")), "run", "--landing", str(demo_landing), "--home", str(home),
             "--no-progress"], env=env, stdout=output, stderr=subprocess.STDOUT, text=True)
        homes[target], runs[target] = home, (process, output)
    failed = []
    for target, (process, output) in runs.items():
        returncode = process.wait()
        output.seek(0)
        text = output.read()
        output.close()
        print(f"pric run --target {target}: exit {returncode}\n{text[-2000:]}")
        if returncode != 0:
            failed.append(f"{target}: exit {returncode}\n{text[-3000:]}")
    assert not failed, "\n".join(failed)
    return homes
