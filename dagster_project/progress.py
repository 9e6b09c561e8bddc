"""Where a long `pric` command is, shown on a terminal; silent when piped or in CI (the final summary remains).

Steps and dbt models report through Dagster's log with a `progress: ` prefix; `progress_logger` prints those
lines and each step's end with its duration. Nothing here changes what a run does.
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


class _ProgressHandler(logging.Handler):
    def __init__(self):
        super().__init__()
        self.stream = None
        self.started = time.monotonic()

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
        if text and STREAM[0] is not None:
            self.stream = STREAM[0]
            self.stream.write(f"[{time.monotonic() - self.started:6.1f} s] {text}\n")
            self.stream.flush()


# Where progress goes: set by `pric run` (its terminal, before stdout is redirected to the dbt log file); None
# (the default: piped output, CI, the Dagster UI) keeps the logger silent.
STREAM: list[TextIO | None] = [None]


@logger(description="One line per step and dbt model, with durations (pric run on a terminal).")
def progress_logger(init_context):
    log = logging.getLogger("pric.progress")
    log.setLevel(logging.DEBUG)
    log.handlers = [_ProgressHandler()]
    log.propagate = False
    return log
