"""The CI workflows: valid, free of known Actions pitfalls, and publishing only green builds.

The schema and zizmor checks run the pinned tools from the test environment on every
workflow; the rest reads the YAML and pins what the README promises: pull requests are tested
and built strictly, and only a green build of main is ever published to GitHub Pages.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
SITE_WORKFLOW = WORKFLOWS / "site.yml"
BIN = Path(sys.executable).parent  # .venv/bin when the suite runs as .venv/bin/pytest
MAIN_ONLY = "github.event_name == 'push' && github.ref == 'refs/heads/main'"
# `.ci/run` may only prepare the shell before running the README's command.
SHELL_PREAMBLE = ["set -euo pipefail", 'cd "$(dirname "$0")/.."']


# ---------------------------------------------------------------- helpers


def workflow_files() -> list[Path]:
    """Every workflow file in the repository."""
    return sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])


def load_workflow(path: Path) -> dict:
    """A workflow as data; YAML 1.1 reads the key `on` as True, so it is put back as 'on'."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    """Run a tool from the test environment's bin folder, capturing what it says."""
    return subprocess.run(
        [str(BIN / args[0]), *args[1:]],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def step_named(job: dict, name: str) -> tuple[int, dict]:
    """The position and body of the step called `name` in a job."""
    for index, step in enumerate(job["steps"]):
        if step.get("name") == name:
            return index, step
    names = [step.get("name") for step in job["steps"]]
    raise AssertionError(f"no step named {name!r}; steps are {names}")


def step_using(job: dict, action: str) -> tuple[int, dict]:
    """The position and body of the first step that uses `action` (owner/name, any ref)."""
    for index, step in enumerate(job["steps"]):
        if step.get("uses", "").split("@")[0] == action:
            return index, step
    raise AssertionError(f"no step uses {action}")


def readme_test_command(readme: str) -> str:
    """The command in the first sh/bash block of README.md whose lead-in line mentions tests."""
    lines = readme.splitlines()
    for number, line in enumerate(lines):
        if line.strip() not in ("```sh", "```bash"):
            continue
        lead_in = next((text for text in reversed(lines[:number]) if text.strip()), "")
        if re.search(r"\btests?\b", lead_in, re.IGNORECASE):
            end = lines.index("```", number + 1)
            return "\n".join(lines[number + 1 : end]).strip()
    raise AssertionError("README.md has no ```sh block after a line about running the tests")


def script_commands(script: str) -> list[str]:
    """The command lines of a shell script, without the shebang, comments and blank lines."""
    return [
        line.strip()
        for line in script.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


# ---------------------------------------------------------------- the tools agree


def test_there_is_a_workflow_to_check():
    assert SITE_WORKFLOW in workflow_files()


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(
            ["check-jsonschema", "--builtin-schema", "vendor.github-workflows"], id="schema"
        ),
        pytest.param(["zizmor", "--offline", "--pedantic"], id="zizmor"),
    ],
)
def test_workflows_pass_the_checker(command):
    result = run_tool(*command, *[str(path) for path in workflow_files()])
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"


def test_zizmor_rejects_a_template_injection_and_a_tag_pin(tmp_path):
    # Guards the check above: a workflow with known flaws must fail, or "passes" means nothing.
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "name: bad\n"
        "on: pull_request\n"
        "permissions:\n  contents: read\n"
        "jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "        with:\n          persist-credentials: false\n"
        '      - run: echo "${{ github.event.pull_request.title }}"\n',
        encoding="utf-8",
    )
    result = run_tool("zizmor", "--offline", str(bad))
    assert result.returncode != 0
    assert "error[template-injection]" in result.stdout
    assert "error[unpinned-uses]" in result.stdout


def test_every_action_is_pinned_to_a_commit_with_its_version_beside_it():
    text = SITE_WORKFLOW.read_text(encoding="utf-8")
    uses = re.findall(r"^\s*(?:- )?uses: (\S+)(.*)$", text, re.MULTILINE)
    assert uses, "the workflow uses no actions"
    for reference, rest in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", reference), reference
        assert re.fullmatch(r" # v\d+(\.\d+)*", rest), f"{reference}: no '# vX.Y.Z' comment"


# ---------------------------------------------------------------- what the workflow does


@pytest.fixture(scope="module")
def workflow() -> dict:
    return load_workflow(SITE_WORKFLOW)


def test_runs_on_pull_requests_and_pushes_to_main(workflow):
    assert workflow["on"] == {"pull_request": None, "push": {"branches": ["main"]}}


def test_top_level_token_only_reads_the_repository(workflow):
    assert workflow["permissions"] == {"contents": "read"}


def test_build_checks_out_full_history_without_keeping_the_token(workflow):
    _, checkout = step_using(workflow["jobs"]["build"], "actions/checkout")
    assert checkout["with"] == {"fetch-depth": 0, "persist-credentials": False}


def test_build_sets_up_python_3_11(workflow):
    _, python = step_using(workflow["jobs"]["build"], "actions/setup-python")
    assert python["with"] == {"python-version": "3.11"}


def test_build_runs_the_test_suite_then_builds_strictly(workflow):
    build = workflow["jobs"]["build"]
    tests_at, tests = step_named(build, "Set up and run the tests")
    strict_at, strict = step_named(build, "Build strictly")
    assert tests["run"] == ".ci/run"
    assert strict["run"] == ".venv/bin/mkdocs build --strict"
    assert build["env"]["NO_MKDOCS_2_WARNING"] == "1"
    assert tests_at < strict_at


def test_build_tells_mkdocs_where_the_repository_and_site_live(workflow):
    build = workflow["jobs"]["build"]
    _, strict = step_named(build, "Build strictly")
    assert build["env"]["HANDBOOK_REPO_URL"] == "${{ github.server_url }}/${{ github.repository }}"
    assert "steps.pages.outputs.base_url" in strict["env"]["HANDBOOK_SITE_URL"]


@pytest.mark.parametrize(
    ("name", "path"),
    [("site", "site/"), ("screenshots", "tests/screenshots/")],
)
def test_build_keeps_an_artifact_for_review(workflow, name, path):
    build = workflow["jobs"]["build"]
    artifacts = [
        step["with"]
        for step in build["steps"]
        if step.get("uses", "").startswith("actions/upload-artifact@")
    ]
    assert any(artifact["name"] == name and artifact["path"] == path for artifact in artifacts)


def test_only_a_strict_build_of_main_is_packaged_for_pages(workflow):
    build = workflow["jobs"]["build"]
    strict_at, _ = step_named(build, "Build strictly")
    package_at, package = step_using(build, "actions/upload-pages-artifact")
    assert package["if"] == MAIN_ONLY
    assert package["with"] == {"path": "site/"}
    assert package_at > strict_at
    assert "if" not in build["steps"][strict_at]  # a skipped build step must not look green


def test_deploy_needs_every_other_job_green_and_runs_only_for_main(workflow):
    jobs = workflow["jobs"]
    deploy = jobs["deploy"]
    assert sorted(deploy["needs"]) == sorted(name for name in jobs if name != "deploy")
    assert {"check", "build"} <= set(deploy["needs"])
    assert deploy["if"] == MAIN_ONLY


# ---------------------------------------------------------------- the publishing gate


def test_deploy_needs_the_gate_that_refuses_a_public_site(workflow):
    jobs = workflow["jobs"]
    assert "gate" in jobs["deploy"]["needs"]
    assert jobs["gate"]["if"] == MAIN_ONLY
    assert "needs" not in jobs["gate"]  # it starts at once: a public site fails the run early


def test_the_gate_reads_pages_and_the_repository_and_writes_nothing(workflow):
    gate = workflow["jobs"]["gate"]
    assert gate["permissions"] == {"contents": "read", "pages": "read"}
    _, checkout = step_using(gate, "actions/checkout")
    assert checkout["with"] == {
        "persist-credentials": False,
        "sparse-checkout": ".ci/pages_gate.py",
        "sparse-checkout-cone-mode": False,
    }
    assert (ROOT / ".ci" / "pages_gate.py").is_file()


def test_the_gate_runs_the_tested_script_with_the_variable_that_allows_a_public_site(workflow):
    gate = workflow["jobs"]["gate"]
    _, step = step_named(gate, "Refuse to publish to a public Pages site")
    assert step["run"] == "python3 .ci/pages_gate.py"
    assert step["env"] == {
        "GITHUB_TOKEN": "${{ github.token }}",
        "HANDBOOK_PUBLIC_OK": "${{ vars.HANDBOOK_PUBLIC_OK }}",
    }
    assert "if" not in step and "continue-on-error" not in step


# ---------------------------------------------------------------- the quick check


def test_the_quick_check_and_the_full_suite_start_together(workflow):
    jobs = workflow["jobs"]
    assert "needs" not in jobs["check"]
    assert "needs" not in jobs["build"]


def test_the_quick_check_installs_only_the_site_and_builds_strictly(workflow):
    check = workflow["jobs"]["check"]
    _, checkout = step_using(check, "actions/checkout")
    _, python = step_using(check, "actions/setup-python")
    setup_at, setup = step_named(check, "Set up the site's packages only")
    strict_at, strict = step_named(check, "Build strictly, with messages on the pull request")
    assert checkout["with"] == {"fetch-depth": 0, "persist-credentials": False}
    assert python["with"] == {"python-version": "3.11"}
    assert setup["run"] == ".ci/setup"  # the site group alone: no Chromium, no test packages
    assert strict["run"] == ".venv/bin/mkdocs build --strict"
    assert "if" not in strict and "HANDBOOK_ANNOTATIONS" not in strict.get("env", {})
    assert check["env"]["NO_MKDOCS_2_WARNING"] == "1"
    assert check["permissions"] == {"contents": "read"}
    assert setup_at < strict_at
    assert check["timeout-minutes"] <= 10


def test_the_quick_check_summarises_a_pull_request_for_its_reviewer(workflow):
    check = workflow["jobs"]["check"]
    strict_at, _ = step_named(check, "Build strictly, with messages on the pull request")
    review_at, review = step_named(check, "Summarise the changes for reviewers")
    _, setup = step_named(check, "Set up the site's packages only")
    assert review["if"] == (
        "${{ !cancelled() && github.event_name == 'pull_request' "
        f"&& steps.{setup['id']}.outcome == 'success' }}}}"
    )
    assert review["run"] == '.venv/bin/python hooks/review.py >> "$GITHUB_STEP_SUMMARY"'
    assert review_at > strict_at


def test_the_full_build_leaves_the_annotations_to_the_quick_check(workflow):
    _, strict = step_named(workflow["jobs"]["build"], "Build strictly")
    assert strict["env"]["HANDBOOK_ANNOTATIONS"] == "off"


def test_deploy_publishes_one_at_a_time_without_cutting_one_short(workflow):
    assert workflow["jobs"]["deploy"]["concurrency"] == {
        "group": "pages",
        "cancel-in-progress": False,
    }


def test_only_deploy_may_write_pages(workflow):
    jobs = workflow["jobs"]
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["build"]["permissions"] == {"contents": "read", "pages": "read"}


def test_deploy_publishes_the_pages_artifact_to_its_environment(workflow):
    deploy = workflow["jobs"]["deploy"]
    assert deploy["environment"]["name"] == "github-pages"
    assert [step["uses"].split("@")[0] for step in deploy["steps"]] == ["actions/deploy-pages"]


# ---------------------------------------------------------------- CI runs what the README says


def test_ci_runs_exactly_the_readme_test_command():
    readme = ROOT / "README.md"
    assert readme.is_file(), "README.md is missing: it must give the command that runs the tests"
    command = readme_test_command(readme.read_text(encoding="utf-8"))
    assert command == ".ci/setup --test && .venv/bin/pytest"
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert script_commands(script) == [*SHELL_PREAMBLE, command]


@pytest.mark.parametrize(
    ("readme", "command"),
    [
        ("# T\n\nServe:\n\n```sh\nserve\n```\n\nRun the tests:\n\n```sh\nrun\n```\n", "run"),
        ("## The test suite\n\n```bash\nrun\n```\n", "run"),
        ("Latest news:\n\n```sh\nnot this\n```\n\nTests:\n```sh\nthis\n```\n", "this"),
    ],
)
def test_readme_test_command_is_the_block_after_a_line_about_tests(readme, command):
    assert readme_test_command(readme) == command


def test_built_site_is_ignored_and_never_committed():
    ignored = subprocess.run(
        ["git", "check-ignore", "--quiet", "site/index.html"], cwd=ROOT, check=False
    )
    tracked = subprocess.run(
        ["git", "ls-files", "--", "site"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert ignored.returncode == 0, "site/ is not in .gitignore"
    assert tracked.stdout == "", f"built files are committed:\n{tracked.stdout}"
