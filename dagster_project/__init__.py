"""Dagster orchestration of the PRIC warehouse: one Definitions object in `definitions.py`."""
