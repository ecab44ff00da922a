"""The handbook's Python code is ruff-clean and ruff-formatted, as pyproject.toml configures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUFF = Path(sys.executable).parent / "ruff"  # .venv/bin/ruff when run as .venv/bin/pytest
CHECKED = ["hooks", "tests"]


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(["check", "--no-fix"], id="lint"),
        pytest.param(["format", "--check", "--diff"], id="format"),
    ],
)
def test_ruff_finds_nothing_to_change(command):
    result = subprocess.run(
        [str(RUFF), *command, *CHECKED],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, f"ruff {' '.join(command)}:\n{result.stdout}\n{result.stderr}"
