"""Great Expectations suites as code, one per published table or indicator family.

Suites validate pandas frames read from DuckDB (GX's SQL datasource does not work on DuckDB). `run_suite` is the
one place that talks to GX; each module beside it declares a suite.
"""
from __future__ import annotations

import os
import shutil
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")  # no telemetry: the machine has no internet


@dataclass
class FailedExpectation:
    expectation: str
    column: str | None
    unexpected_count: int | None
    examples: list = field(default_factory=list)
    unexpected_index: list = field(default_factory=list)  # every row of the frame that broke it (its index)

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


def data_docs_index(quality_dir: Path) -> Path:
    return Path(quality_dir) / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"


def build_data_docs(quality_dir: Path) -> Path:
    """Rebuild the Data Docs (HTML) from the latest result of every suite kept in `quality_dir`."""
    import great_expectations as gx

    gx.get_context(mode="file", project_root_dir=str(quality_dir)).build_data_docs()
    return data_docs_index(quality_dir)


def forget_suites(quality_dir: Path, pattern: str) -> None:
    """Remove the suites whose names match `pattern` (a glob) from the GX project in `quality_dir`: definitions,
    results and their Data Docs pages. For suites the project no longer runs, whose last result Data Docs would
    otherwise keep showing."""
    root = Path(quality_dir) / "gx"
    site = "uncommitted/data_docs/local_site"
    for folder, suffix in (("expectations", ".json"), ("checkpoints", ".json"), ("validation_definitions", ".json"),
                           ("uncommitted/validations", ""), (f"{site}/expectations", ".html"),
                           (f"{site}/validations", "")):
        for path in (root / folder).glob(pattern + suffix):
            shutil.rmtree(path) if path.is_dir() else path.unlink()


def run_suite(suite_name: str, expectations: list, frame: pd.DataFrame, quality_dir: Path | None = None,
              build_docs: bool = False) -> SuiteOutcome:
    """Validate `frame` against the expectations. With `quality_dir`, the result is kept in a GX project there;
    with `build_docs` too, the Data Docs are rebuilt (`data_docs_index(quality_dir)`): about 0.4 s, so a run does
    it once, not after every suite."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    if quality_dir is None:
        context = gx.get_context(mode="ephemeral")
    else:
        Path(quality_dir).mkdir(parents=True, exist_ok=True)
        # Data Docs show each suite's latest run: older results would make every rebuild slower, run after run.
        shutil.rmtree(Path(quality_dir) / "gx" / "uncommitted" / "validations" / suite_name, ignore_errors=True)
        context = gx.get_context(mode="file", project_root_dir=str(quality_dir))
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_or_update_pandas("warehouse")
    asset = next((a for a in source.assets if a.name == suite_name), None) or source.add_dataframe_asset(suite_name)
    batch_definition = next((b for b in asset.batch_definitions if b.name == "whole_table"), None) or (
        asset.add_batch_definition_whole_dataframe("whole_table"))
    suite = context.suites.add_or_update(gx.ExpectationSuite(name=suite_name, expectations=expectations))
    validation = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=suite_name, data=batch_definition, suite=suite))
    actions = [gx.checkpoint.UpdateDataDocsAction(name="data_docs")] if quality_dir is not None and build_docs else []
    checkpoint = context.checkpoints.add_or_update(
        gx.Checkpoint(name=suite_name, validation_definitions=[validation], actions=actions,
                      result_format={"result_format": "COMPLETE"}))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run = checkpoint.run(batch_parameters={"dataframe": frame})
    result = next(iter(run.run_results.values()))
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
                unexpected_index=list(details.get("unexpected_index_list") or []),
            )
        )
    rows = frame.loc[sorted(i for i in offending if i in frame.index)] if offending else frame.head(0)
    return SuiteOutcome(suite_name, bool(result.success), len(result.results), failures, rows)
