"""`hooks/trees/paths.py`: every path of each tree as Markdown, for a reviewer of a change."""

# ruff: noqa: E501 - the expected output has one path per line, as a reviewer reads it

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from trees import paths
from trees.fences import find_fences
from trees.parse import load_tree

ROOT = Path(__file__).resolve().parents[1]

PAGE = """\
---
tags: [fit]
---
# Requests

```decision-tree
id: req
title: Take on <this> request?
start: core
nodes:
  core:
    question: Is it *our* core work?
    answers:
      - label: Yes
        next: staff
      - label: No
        next: refer
  staff:
    question: Can we staff it?
    answers:
      - label: Yes
        next: take
      - label: Not now
        next: refer
  take:
    outcome: Take it on
    verdict: go
    read: [a.md]
  refer:
    outcome: Decline and refer
    verdict: decline
    read: [b.md]
examples:
  - situation: A retainer client wants one more report
    answers: [Yes, Yes]
    expect: take
```
"""

EXPECTED = """\
## Take on \\<this\\> request?

`docs/fit/req.md`, line 6, tree `req`: 3 paths to 2 outcomes; 1 worked example.

### Every path

1. Is it \\*our\\* core work? → **Yes** → Can we staff it? → **Yes** → Take it on (go)
2. Is it \\*our\\* core work? → **Yes** → Can we staff it? → **Not now** → Decline and refer (decline)
3. Is it \\*our\\* core work? → **No** → Decline and refer (decline)

### Outcomes no example reaches

- Decline and refer (decline), `refer`

### Worked examples

1. *A retainer client wants one more report*: Is it \\*our\\* core work? → **Yes** → Can we staff it? → **Yes** → Take it on (go): reaches `take` as expected
"""


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """The command as a reviewer runs it."""
    return subprocess.run(
        [sys.executable, str(ROOT / "hooks/trees/paths.py"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A docs/ folder that `paths.main` reads as the handbook's."""
    (tmp_path / "docs/fit").mkdir(parents=True)
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    return tmp_path / "docs"


def test_every_path_unreached_outcomes_and_examples(docs, capsys):
    (docs / "fit/req.md").write_text(PAGE)
    assert paths.main([str(docs / "fit/req.md")]) == 0
    assert capsys.readouterr().out == EXPECTED


def test_crlf_and_bom_read_as_the_build_reads_them(docs, capsys):
    (docs / "fit/req.md").write_bytes(b"\xef\xbb\xbf" + PAGE.replace("\n", "\r\n").encode())
    assert paths.main([str(docs / "fit/req.md")]) == 0
    assert capsys.readouterr().out == EXPECTED


def test_all_pages_under_docs_when_none_is_given(docs, capsys):
    (docs / "fit/req.md").write_text(PAGE)
    (docs / "index.md").write_text("# Home\n")
    assert paths.main([]) == 0
    assert (
        capsys.readouterr().out
        == EXPECTED + "\n## `docs/index.md`\n\nThis page holds no decision tree.\n"
    )


def test_a_broken_tree_gets_the_build_messages_and_status_1(docs, capsys):
    broken = PAGE.replace("answers: [Yes, Yes]", "answers: [Yes, Yess]").replace(
        "next: refer\n  staff", "next: refr\n  staff"
    )
    (docs / "fit/req.md").write_text(broken)
    assert paths.main([str(docs / "fit/req.md")]) == 1
    assert capsys.readouterr().out == (
        "## `docs/fit/req.md`\n\nThe build refuses this page's trees; fix these first:\n\n"
        "```text\n"
        "docs/fit/req.md:17:15: nodes.core.answers[1].next: no node 'refr' (did you mean "
        "'refer'?)\n"
        "docs/fit/req.md:35:20: examples[0].answers[1]: the question 'staff' (Can we staff "
        "it?) offers no answer 'Yess' (did you mean 'Yes'?): write one of 'Yes' or 'Not now' "
        "exactly as the question has it\n"
        "```\n"
    )


def chain(questions: int) -> str:
    """A tree of `questions` questions in a row, each answer leading to the next."""
    lines = ["id: wide", "title: Wide", "start: q0", "nodes:"]
    for n in range(questions):
        after = f"q{n + 1}" if n + 1 < questions else "end"
        lines += [f"  q{n}:", f"    question: Q{n}?", "    answers:"]
        lines += [f"      - label: a{n}", f"        next: {after}"]
        lines += [f"      - label: b{n}", f"        next: {after}"]
    lines += ["  end:", "    outcome: End", "    verdict: go", "    read: [a.md]"]
    return "# Wide\n\n```decision-tree\n" + "\n".join(lines) + "\n```\n"


def test_a_tree_of_more_than_100_paths_gets_the_count_and_the_first_100(docs, capsys):
    (docs / "wide.md").write_text(chain(7))  # 2**7 = 128 paths
    assert paths.main([str(docs / "wide.md")]) == 0
    out = capsys.readouterr().out
    assert "tree `wide`: 128 paths to 1 outcome; 0 worked examples." in out
    assert "The first 100 of 128 paths:\n\n1. Q0? → **a0** → Q1? → **a1**" in out
    listed = [line for line in out.splitlines() if line[:1].isdigit()]
    assert len(listed) == 100 and listed[-1].startswith("100. ")
    assert "- End (go), `end`" in out
    assert "This tree has no worked examples: add them under `examples:`." in out


def test_counting_does_not_walk_every_path():
    """The deepest tree allowed, 2**25 paths, is counted at once."""
    (fence,) = find_fences(chain(25))
    tree, problems = load_tree(fence, "wide.md")
    assert problems == [] and tree is not None
    assert paths.count_paths(tree) == 2**25


def test_as_a_command_from_the_repository_root(tmp_path):
    page = tmp_path / "req.md"
    page.write_text(PAGE)
    result = run(str(page))
    assert result.returncode == 0, result.stderr
    assert result.stdout == EXPECTED.replace("`docs/fit/req.md`", f"`{page.as_posix()}`")


def test_a_file_that_cannot_be_read_exits_2_with_one_line(tmp_path):
    result = run(str(tmp_path / "missing.md"))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"hooks/trees/paths.py: cannot read {tmp_path / 'missing.md'}: No such file or directory\n"
    )
