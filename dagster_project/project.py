"""Where the dbt project is. The manifest is built ahead of time (`pric prepare`, run by the Makefile and CI),
so importing the Dagster definitions never parses the dbt project."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

from dagster_dbt import DbtProject

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_DIR = REPO_ROOT / "dbt"

dbt_project = DbtProject(project_dir=DBT_DIR, profiles_dir=DBT_DIR)

# The dbt installed beside this Python (the virtual environment's), whether or not the venv is on PATH.
_beside_python = Path(sys.executable).with_name("dbt")
DBT_EXECUTABLE = str(_beside_python) if _beside_python.exists() else (shutil.which("dbt") or "dbt")
