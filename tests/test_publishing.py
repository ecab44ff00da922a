"""Publishing: a writer's mistake stops the strict build, and only a green build is published.

The first test runs the real `mkdocs build --strict` command on a copy of the handbook with
two mistakes in it, as CI would. The rest read the workflows for what tests/test_workflows.py
leaves open: nothing lets a failed step pass, and Pages is packaged and published at exactly
one place each, so no other path leads to a publication.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
MKDOCS = Path(sys.executable).parent / "mkdocs"

BROKEN_TREE = """
```decision-tree
id: publishing-check
title: Is this tree drawn?
start: ask
nodes:
  ask:
    question: Is it?
    answers:
      - label: "Yes"
        next: drawn
      - label: "No"
        next: drawn
  drawn:
    outcome: It is
    verdict: maybe
    read: [focus.md]
```
"""


def workflows() -> dict[str, dict]:
    """Every workflow file by name, as data (YAML 1.1 reads the key `on` as True)."""
    loaded = {}
    for path in sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")]):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["on"] = data.pop(True, data.get("on"))
        loaded[path.name] = data
    return loaded


def steps_using(action: str) -> list[tuple[str, str, int]]:
    """(workflow, job, step index) of every step in every workflow that uses `action`."""
    return [
        (name, job_name, index)
        for name, workflow in workflows().items()
        for job_name, job in workflow["jobs"].items()
        for index, step in enumerate(job.get("steps", []))
        if step.get("uses", "").split("@")[0] == action
    ]


# ---------------------------------------------------------------- a broken build fails


@pytest.mark.slow
def test_strict_build_of_the_handbook_with_mistakes_exits_non_zero_and_names_them(tmp_path):
    for name in ("docs", "hooks", "theme_overrides"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    page = tmp_path / "docs" / "fit" / "focus.md"
    text = page.read_text(encoding="utf-8").rstrip("\n") + "\n"
    link_line = text.count("\n") + 2
    page.write_text(text + "\nSee [the missing page](nope.md).\n" + BROKEN_TREE, encoding="utf-8")
    tree_line = link_line + 2  # the fence opens after the link line and one blank line
    result = subprocess.run(
        [str(MKDOCS), "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=tmp_path,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    warnings = re.findall(r"^WARNING +- +(.*)$", output, re.MULTILINE)
    assert warnings == [
        f"docs/fit/focus.md:{tree_line + 14}:14: nodes.drawn.verdict: expected one of: go, "
        "caution, decline but received: 'maybe'",
        f"docs/fit/focus.md:{link_line}:24: broken link 'nope.md': no page 'fit/nope.md' "
        "(did you mean 'index.md'?)",
    ], output
    assert "Aborted with 2 warnings in strict mode!" in output
    assert "Traceback" not in output


# ---------------------------------------------------------------- only a green build is published


def test_no_job_or_step_lets_a_failure_pass():
    for name, workflow in workflows().items():
        for job_name, job in workflow["jobs"].items():
            assert "continue-on-error" not in job, f"{name}: job {job_name}"
            for step in job.get("steps", []):
                assert "continue-on-error" not in step, f"{name}: {job_name}: {step.get('name')}"


def test_the_tests_and_the_strict_build_always_run_before_anything_is_packaged():
    build = workflows()["site.yml"]["jobs"]["build"]
    names = [step.get("name") for step in build["steps"]]
    package = next(
        i
        for i, step in enumerate(build["steps"])
        if "upload-pages-artifact" in step.get("uses", "")
    )
    for name in ("Set up and run the tests", "Build strictly"):
        step = build["steps"][names.index(name)]
        assert names.index(name) < package
        assert "if" not in step, f"{name!r} can be skipped, and a skipped step looks green"


@pytest.mark.parametrize(
    ("action", "job"),
    [
        pytest.param("actions/upload-pages-artifact", "build", id="packaged-by-the-build"),
        pytest.param("actions/deploy-pages", "deploy", id="published-by-deploy"),
    ],
)
def test_pages_is_packaged_and_published_at_one_place_only(action, job):
    assert [(name, job_name) for name, job_name, _ in steps_using(action)] == [("site.yml", job)]


def test_deploy_waits_for_the_build_whatever_happened_before():
    deploy = workflows()["site.yml"]["jobs"]["deploy"]
    # `always()`, `failure()` or `!cancelled()` in the condition would run it after a red build.
    assert not re.search(r"always\(\)|failure\(\)|cancelled\(\)", deploy["if"])
    assert "build" in deploy["needs"]
