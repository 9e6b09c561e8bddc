"""What leaves the warehouse: secrecy applied, personal data checked, funder extracts, the BI snapshot.
Plain Python and DuckDB; the Dagster assets that call it are in `dagster_project/delivery.py`."""
