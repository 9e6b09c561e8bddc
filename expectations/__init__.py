"""Great Expectations suites as code, one per published table or indicator family.

Suites validate pandas frames read from DuckDB (GX's SQL datasource does not work on DuckDB). `run_suite` is the
one place that talks to GX; each module beside it declares a suite.
"""
from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field

import pandas as pd

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")  # no telemetry: the machine has no internet


@dataclass
class FailedExpectation:
    expectation: str
    column: str | None
    unexpected_count: int | None
    examples: list = field(default_factory=list)

    def describe(self) -> str:
        where = f" on {self.column}" if self.column else ""
        count = f": {self.unexpected_count} unexpected" if self.unexpected_count is not None else ""
        sample = f", e.g. {self.examples[:3]}" if self.examples else ""
        return f"{self.expectation}{where}{count}{sample}"


@dataclass
class SuiteOutcome:
    suite: str
    success: bool
    evaluated: int
    failures: list[FailedExpectation]
    offending_rows: pd.DataFrame  # a few rows that broke an expectation, for the error message


def run_suite(suite_name: str, expectations: list, frame: pd.DataFrame) -> SuiteOutcome:
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    batch_definition = (
        context.data_sources.add_pandas("warehouse")
        .add_dataframe_asset(suite_name)
        .add_batch_definition_whole_dataframe("whole_table")
    )
    suite = context.suites.add(gx.ExpectationSuite(name=suite_name, expectations=expectations))
    batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = batch.validate(suite, result_format={"result_format": "COMPLETE"})
    failures, offending = [], set()
    for item in result.results:
        if item.success:
            continue
        kwargs = item.expectation_config.kwargs
        details = item.result or {}
        offending.update((details.get("unexpected_index_list") or [])[:5])
        failures.append(
            FailedExpectation(
                expectation=item.expectation_config.type,
                column=kwargs.get("column") or kwargs.get("column_A") or str(kwargs.get("column_list") or "") or None,
                unexpected_count=details.get("unexpected_count"),
                examples=list(details.get("partial_unexpected_list") or [])[:3],
            )
        )
    rows = frame.loc[sorted(i for i in offending if i in frame.index)] if offending else frame.head(0)
    return SuiteOutcome(suite_name, bool(result.success), len(result.results), failures, rows)
