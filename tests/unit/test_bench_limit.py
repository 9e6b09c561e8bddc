"""`make bench` stops the pandas script once the pipeline-vs-pandas ratio is known to reach its target: the whole
process tree goes, and the table reports the ratio as a bound."""
from __future__ import annotations

import os
import sys

from benchmarks.run import TARGETS, _table, _timed

# A parent that starts a child which would outlive it, as `python -c _MEASURE` starts the pandas script.
_TREE = ("import subprocess, sys, time; "
         "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)']); "
         "open(sys.argv[1], 'w').write(str(child.pid)); time.sleep(120)")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A killed child of a killed parent is reaped by init; until then it is a zombie, which is gone too.
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        return stat.read().split(") ")[1][0] != "Z"


def test_a_command_past_its_limit_is_stopped_with_its_children(tmp_path):
    pid_file = tmp_path / "child.pid"
    seconds, peak, code = _timed([sys.executable, "-c", _TREE, str(pid_file)], dict(os.environ),
                                 tmp_path / "tree.log", limit=3)
    assert code is None, "stopped, not finished"
    assert seconds < 60
    assert peak > 0, "the peak memory of what ran until then is still measured"
    assert not _alive(int(pid_file.read_text()))


def test_a_command_within_its_limit_gives_its_exit_code(tmp_path):
    _, peak, code = _timed([sys.executable, "-c", "import sys; sys.exit(3)"], dict(os.environ),
                           tmp_path / "quick.log", limit=60)
    assert code == 3
    assert peak > 0


def _figures(**pandas) -> dict:
    return {"landing_bytes": 5.28e9, "scale_entries_per_year": 1_000_000, "years": "2018-2022",
            "full_build_seconds": 500.0, "full_build_peak_gib": 3.5, "add_month_seconds": 190.0,
            "incremental_equals_full_refresh": True, "full_refresh_seconds": 250.0, **pandas}


def test_the_table_gives_a_stopped_run_as_a_bound_and_a_finished_one_as_a_ratio():
    stopped = _table(_figures(pandas_seconds=None, pandas_peak_gib=16.5, pandas_ok=True,
                              pandas_stopped_after=5000.0, speedup_vs_pandas=10.0))
    assert "stopped unfinished after 5000.0 s" in stopped
    line = next(line for line in stopped.splitlines() if line.startswith("pipeline vs pandas"))
    assert "at least 10.0x" in line and line.endswith(" met")
    finished = _table(_figures(pandas_seconds=2000.0, pandas_peak_gib=16.5, pandas_ok=True,
                               pandas_stopped_after=None, speedup_vs_pandas=4.0))
    line = next(line for line in finished.splitlines() if line.startswith("pipeline vs pandas"))
    assert "4.0x" in line and "at least" not in line and line.endswith("NOT met")
    assert TARGETS["speedup_vs_pandas"] == 10
    # Stopped before the target ratio (a limit ratio below 10): the bound decides nothing.
    early = _table(_figures(pandas_seconds=None, pandas_peak_gib=16.5, pandas_ok=True,
                            pandas_stopped_after=2500.0, speedup_vs_pandas=5.0))
    line = next(line for line in early.splitlines() if line.startswith("pipeline vs pandas"))
    assert "at least 5.0x" in line and line.endswith("undecided")
