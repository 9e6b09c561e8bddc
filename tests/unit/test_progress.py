"""Progress lines of `pric run`: shown on a terminal, silent otherwise; per-model lines kept out of the run history."""
from __future__ import annotations

import io
import re

from dagster import DagsterInstance, job, op

from dagster_project import progress


@op
def load_feed(context):
    context.log.info(f"{progress.PREFIX}feed: 3 files loaded")
    progress.show("dbt stg_feed (0.4 s)")


@job(logger_defs={"progress": progress.progress_logger})
def tiny_run():
    load_feed()


def _run(stream):
    progress.STREAM[0] = stream
    try:
        with DagsterInstance.ephemeral() as instance:
            result = tiny_run.execute_in_process(instance=instance, run_config={"loggers": {"progress": {}}})
            logs = [r.user_message for r in instance.all_logs(result.run_id) if r.dagster_event is None]
    finally:
        progress.STREAM[0] = None
    return result, logs


def test_a_terminal_sees_each_line_stamped_and_each_step_end():
    stream = io.StringIO()
    result, logs = _run(stream)
    assert result.success
    lines = stream.getvalue().splitlines()
    assert [re.sub(r"^\[ *\d+\.\d s\] ", "", line) for line in lines][:2] == ["feed: 3 files loaded",
                                                                             "dbt stg_feed (0.4 s)"]
    assert re.fullmatch(r"\[ *\d+\.\d s\] done load_feed \(\d+\.\d s\)", lines[2])
    # The step's own line is in the run's history (the UI shows it); the per-model line only on the terminal.
    assert any("feed: 3 files loaded" in message for message in logs)
    assert not any("stg_feed" in message for message in logs)


def test_nothing_is_printed_when_progress_is_not_wanted(monkeypatch):
    result, _ = _run(None)
    assert result.success
    assert progress.wanted(io.StringIO()) is False  # not a terminal
    assert progress.wanted(io.StringIO(), choice=True) is True
    monkeypatch.setenv("CI", "1")

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    assert progress.wanted(Terminal()) is False
    monkeypatch.delenv("CI")
    assert progress.wanted(Terminal()) is True
