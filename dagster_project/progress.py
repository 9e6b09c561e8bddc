"""Where a long `pric` command is, shown on a terminal; silent when piped or in CI (the final summary remains).

Steps report through Dagster's log with a `progress: ` prefix; `progress_logger` prints those lines and each
step's end with its duration. The line of each dbt model and test goes straight to `show`: through Dagster's log
each was also an event stored in the run's history (12 ms apiece, for 190 lines that the model's materialization
and dbt's own log already hold). Nothing here changes what a run does.
"""
from __future__ import annotations

import logging
import os
import time
from typing import TextIO

from dagster import DagsterEventType, logger

PREFIX = "progress: "


def wanted(stream: TextIO, choice: bool | None = None) -> bool:
    """`choice` (--progress / --no-progress) wins; else only on a terminal, and never under CI."""
    if choice is not None:
        return choice
    return stream.isatty() and not os.environ.get("CI")


def show(text: str) -> None:
    """Print one progress line, stamped with the time since the run started, when progress is wanted."""
    if STREAM[0] is not None:
        STREAM[0].write(f"[{time.monotonic() - STARTED[0]:6.1f} s] {text}\n")
        STREAM[0].flush()


class _ProgressHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        message = meta.get("orig_message") or ""
        event = meta.get("dagster_event")
        text = None
        if isinstance(message, str) and message.startswith(PREFIX):
            text = message[len(PREFIX):]
        elif event is not None and event.event_type == DagsterEventType.STEP_SUCCESS:
            text = f"done {event.step_key} ({event.event_specific_data.duration_ms / 1000:.1f} s)"
        elif event is not None and event.event_type == DagsterEventType.STEP_FAILURE:
            text = f"FAILED {event.step_key}"
        if text:
            show(text)


# Where progress goes: set by `pric run` (its terminal, before stdout is redirected to the dbt log file); None
# (the default: piped output, CI, the Dagster UI) keeps the logger silent.
STREAM: list[TextIO | None] = [None]
STARTED = [time.monotonic()]  # when the run started: set as its progress logger starts


@logger(description="One line per step and dbt model, with durations (pric run on a terminal).")
def progress_logger(init_context):
    log = logging.getLogger("pric.progress")
    log.setLevel(logging.DEBUG)
    STARTED[0] = time.monotonic()
    log.handlers = [_ProgressHandler()]
    log.propagate = False
    return log
