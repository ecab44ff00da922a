"""The writers' optional pre-commit hook: a valid configuration that builds strictly when the
handbook changes, and stops a commit whose page has a mistake."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, tiny_config

CONFIG = ROOT / ".pre-commit-config.yaml"
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"


def the_hook() -> dict:
    (repo,) = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))["repos"]
    assert repo["repo"] == "local"
    (hook,) = repo["hooks"]
    return hook


def test_pre_commit_accepts_the_configuration():
    result = subprocess.run(
        [str(PRE_COMMIT), "validate-config", str(CONFIG)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_hook_is_the_strict_build_run_once():
    hook = the_hook()
    assert hook["entry"] == "env NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs build --strict"
    assert hook["language"] == "system"
    assert hook["pass_filenames"] is False


@pytest.mark.parametrize(
    ("path", "builds"),
    [
        ("docs/fit/take-on-request.md", True),
        ("docs/assets/logo.svg", True),
        ("mkdocs.yml", True),
        ("hooks/trees/parse.py", True),
        ("theme_overrides/assets/decision-tree.js", True),
        ("README.md", False),
        ("tests/test_build.py", False),
        (".github/workflows/site.yml", False),
        ("mkdocs.yml.orig", False),
    ],
)
def test_the_hook_runs_when_the_handbook_changes(path, builds):
    assert bool(re.search(the_hook()["files"], path)) is builds


def test_a_commit_with_a_broken_link_is_stopped_with_its_message(tmp_path):
    repo = tmp_path / "repo"
    docs = repo / "docs"
    (docs / "includes").mkdir(parents=True)
    (docs / "includes" / "glossary-terms.md").write_text("", encoding="utf-8")
    (docs / "index.md").write_text("# Home\n\nSee [the guide](guide.md).\n", encoding="utf-8")
    (repo / "mkdocs.yml").write_text(tiny_config(docs), encoding="utf-8")
    (repo / ".pre-commit-config.yaml").write_text(CONFIG.read_text(encoding="utf-8"))
    (repo / ".venv").symlink_to(sys.prefix)  # the environment running these tests
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    for command in (["init", "-q"], ["add", "docs", "mkdocs.yml", ".pre-commit-config.yaml"]):
        subprocess.run(["git", *command], cwd=repo, check=True)
    result = subprocess.run(
        [str(PRE_COMMIT), "run", "--color", "never"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Build the handbook strictly" in result.stdout
    assert (
        "WARNING -  docs/index.md:3:17: broken link 'guide.md': no page 'guide.md' (did you "
        "mean 'index.md'?)"
    ) in result.stdout
