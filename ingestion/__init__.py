"""Reading the landing zone into the warehouse's raw layer.

Pure Python and SQL on DuckDB, no Dagster import: every function here takes a DuckDB connection and explicit
arguments, so the same code runs under Dagster, from the `pric` command and in tests.
"""
