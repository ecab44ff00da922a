"""The reviewer's summary: which pages and trees a branch changes, and where pages are built.

A real git repository in a temp folder holds a tiny handbook on `main` and a writer's branch;
the summary is asserted whole, with the paths report faked, and once with the real
hooks/trees/paths.py.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

import review
from review import ChangedPage, artifact_link, changed_pages, changed_trees

TREE = (Path(__file__).parent / "data" / "first-call-tree.md").read_text(encoding="utf-8")
EDITED = TREE.replace("Ask what they need", "Ask them what they need")
RUN = "https://github.com/acme/handbook/actions/runs/42#artifacts"
IDENTITY = ["-c", "user.name=Writer", "-c", "user.email=writer@example.com"]
IDENTITY += ["-c", "commit.gpgsign=false"]  # whatever the machine's git config says


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(f"# A\n\n{TREE}", f"# A\n\n{TREE}", (0, 0), id="unchanged"),
        pytest.param(f"# A\n\n{TREE}", f"# A\n\nNew words.\n\n{TREE}", (0, 0), id="text-only"),
        pytest.param(f"# A\n\n{TREE}", f"# A\n\n{EDITED}", (1, 0), id="edited"),
        pytest.param("# A\n", f"# A\n\n{TREE}", (1, 0), id="added"),
        pytest.param(None, f"# A\n\n{TREE}", (1, 0), id="new-page"),
        pytest.param(f"# A\n\n{TREE}\n{EDITED}", f"# A\n\n{TREE}", (0, 1), id="one-removed"),
        pytest.param(f"# A\n\n{TREE}", None, (0, 1), id="page-removed"),
        pytest.param(f"# A\n\n{TREE}\n{TREE}", f"# A\n\n{TREE}\n{EDITED}", (1, 0), id="twin"),
        pytest.param("# A\n", f"# A\n\n````md\n{TREE}````\n", (0, 0), id="example-not-tree"),
    ],
)
def test_a_tree_changes_when_its_fence_changes(old, new, expected):
    assert changed_trees(old, new) == expected


# ---------------------------------------------------------------- a real branch


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *IDENTITY, *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A tiny handbook on main, and a branch `writer` that edits it."""
    write(
        tmp_path,
        {
            "mkdocs.yml": "site_name: Tiny\nexclude_docs: |\n  includes/\n",
            "docs/index.md": f"# Home\n\n{TREE}",
            "docs/other.md": "# Other\n\nBack [home](index.md).\n",
            "docs/old.md": "# Old\n",
            "docs/keep.md": f"# Keep\n\n{TREE.replace('first-call', 'second-call')}",
            "docs/includes/terms.md": "*[CI]: continuous integration\n",
            "docs/logo.svg": "<svg/>\n",
        },
    )
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "Start")
    git(tmp_path, "checkout", "-q", "-b", "writer")
    write(
        tmp_path,
        {
            "docs/index.md": f"# Home\n\n{EDITED}",
            "docs/other.md": "# Other\n\nBack [to the start](index.md).\n",
            "docs/fit/new page.md": f"# New\n\n{TREE.replace('first-call', 'third-call')}",
            "docs/includes/terms.md": "*[CI]: the checks every change passes\n",
            "docs/logo.svg": "<svg></svg>\n",
        },
    )
    (tmp_path / "docs" / "old.md").unlink()
    git(tmp_path, "mv", "docs/keep.md", "docs/kept.md")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "Edit")
    return tmp_path


def test_changed_pages_of_a_branch(repo):
    pages = changed_pages(repo, "main")
    assert [(page.path, page.old is None, page.new is None) for page in pages] == [
        ("docs/fit/new page.md", True, False),
        ("docs/includes/terms.md", False, False),
        ("docs/index.md", False, False),
        ("docs/kept.md", False, False),
        ("docs/old.md", False, True),
        ("docs/other.md", False, False),
    ]
    assert pages[2] == ChangedPage("docs/index.md", f"# Home\n\n{TREE}", f"# Home\n\n{EDITED}")


def test_what_main_gained_since_the_branch_left_it_is_not_listed(repo):
    git(repo, "checkout", "-q", "main")
    write(repo, {"docs/later.md": "# Later\n"})
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "Later on main")
    git(repo, "checkout", "-q", "writer")
    assert "docs/later.md" not in [page.path for page in changed_pages(repo, "main")]


def test_the_whole_summary(repo):
    asked = []

    def paths_report(pages: list[str]) -> tuple[str, int]:
        asked.append(pages)
        return "## First call\n\n(every path)\n", 0

    pages = changed_pages(repo, "main")
    text, status = review.summary(pages, review.handbook_files(repo), paths_report, RUN)
    assert status == 0
    assert asked == [["docs/fit/new page.md", "docs/index.md"]]
    assert text == (
        "## For reviewers\n"
        "\n"
        f"Pages this branch changes, and where each one is in the `site` artifact of [this run]"
        f"({RUN}) (download it, unzip it and open the file in a browser):\n"
        "\n"
        "| Page | In the built site |\n"
        "| --- | --- |\n"
        "| `docs/fit/new page.md` | `fit/new page/index.html` |\n"
        "| `docs/includes/terms.md` | not in the built site (`exclude_docs` or `draft_docs` in "
        "mkdocs.yml) |\n"
        "| `docs/index.md` | `index.html` |\n"
        "| `docs/kept.md` | `kept/index.html` |\n"
        "| `docs/old.md` | removed |\n"
        "| `docs/other.md` | `other/index.html` |\n"
        "\n"
        "## Decision trees this branch changes\n"
        "\n"
        "Trees added or edited: `docs/fit/new page.md` (1), `docs/index.md` (1). Every path "
        "through each tree on these pages, and where each worked example ends:\n"
        "\n"
        "## First call\n"
        "\n"
        "(every path)\n"
    )


def test_a_branch_that_changes_no_tree_says_so(repo):
    pages = [ChangedPage("docs/other.md", "# Other\n", "# Other, again\n")]
    text, status = review.summary(pages, review.handbook_files(repo), _never, None)
    assert status == 0
    assert text.endswith(
        "| `docs/other.md` | `other/index.html` |\n"
        "\n"
        "## Decision trees this branch changes\n"
        "\n"
        "No decision tree was added or edited.\n"
    )
    assert "the `site` artifact (download it" in text


def test_a_branch_that_changes_no_page_says_so():
    assert review.summary([], _never, _never, RUN) == (
        "## For reviewers\n\nNo page under docs/ changed.\n",
        0,
    )


def _never(*args: object) -> tuple[str, int]:
    raise AssertionError("not needed")


def test_the_command_lists_every_path_of_a_changed_tree(repo, capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_BASE_REF", raising=False)
    status = review.main(["--base", "main"], root=repo)
    out = capsys.readouterr().out
    assert status == 0
    assert out.count("## First call\n") == 2  # from index.md and from the new page
    assert "1. Do we know them? → **Yes** → Welcome them back (go)" in out
    assert "2. Do we know them? → **No** → Ask them what they need (caution)" in out


def test_a_broken_changed_tree_fails_with_the_builds_messages(repo, capsys, monkeypatch):
    write(repo, {"docs/index.md": f"# Home\n\n{EDITED.replace('next: ask', 'next: aks')}"})
    monkeypatch.setenv("GITHUB_BASE_REF", "main")
    git(repo, "branch", "-q", "-f", "origin/main", "main")  # as a pull request's checkout has it
    status = review.main([], root=repo)
    out = capsys.readouterr().out
    assert status == 1
    assert (
        "docs/index.md:14:15: nodes.known.answers[1].next: no node 'aks' (did you mean 'ask'?)"
        in out
    )


def test_git_that_cannot_compare_is_exit_status_2(repo, capsys):
    assert review.main(["--base", "no-such-branch"], root=repo) == 2
    assert capsys.readouterr().err.startswith("hooks/review.py: git merge-base no-such-branch")


def test_artifact_link_needs_the_run():
    environ = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/handbook"}
    assert artifact_link(environ | {"GITHUB_RUN_ID": "42"}) == RUN
    assert artifact_link(environ) is None
