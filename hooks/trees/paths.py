"""Every path through each decision tree, as Markdown, for whoever reviews a change to a tree.

A reviewer of a changed YAML tree should not have to imagine what it now decides. This lists,
for each tree of the pages given (every page under docs/ when none is), every walk from
`start` to an outcome, the outcomes that no worked example reaches, and where each worked
example ends:

    .venv/bin/python hooks/trees/paths.py                          # every page under docs/
    .venv/bin/python hooks/trees/paths.py docs/fit/take-on-request.md

Pages are read exactly as the build reads them (front matter, encodings, where a tree
lives, every check of a tree and its examples), so a broken tree gets the build's own
messages and the command exits with status 1. Site-wide checks (links, tree ids used twice)
are the build's alone. Exit status 2: a file that cannot be read.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `trees`, `links` and `problems` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mkdocs.utils import meta

from links.collect import line_offset
from problems import Problem, page_path
from trees.model import Outcome, Question, Tree
from trees.site import TreeSite

ROOT = Path(__file__).resolve().parents[2]
MAX_LISTED = 100  # paths listed per tree; past it the count and the first ones


@dataclass(frozen=True)
class PageReport:
    """What reading one page gave: its path as the writer knows it, its trees, problems."""

    path: str
    trees: list[Tree]
    problems: list[Problem]


def read_page(file: Path, docs: Path) -> PageReport:
    """Read one page's trees with the build's own reader."""
    source = file.read_text(encoding="utf-8-sig")  # as MkDocs reads it: BOM off, any newline
    markdown, _ = meta.get_data(source)
    try:
        page = file.resolve().relative_to(docs.resolve()).as_posix()
        shown = page_path(page)
    except ValueError:  # a page outside docs/: named as given
        page = shown = file.as_posix()
    site = TreeSite()
    found = site.read_page(markdown, page, line_offset(source, markdown))
    trees = [slot.tree for slot in site.slots.get(page, []) if slot.tree is not None]
    problems = [replace(problem, path=shown) for problem in found.problems]
    return PageReport(shown, trees, sorted(problems))


def count_paths(tree: Tree) -> int:
    """How many walks lead from `start` to an outcome (a checked tree has no loops)."""
    counts: dict[str, int] = {}
    # Outcomes first, then each question once all its answers' targets are counted.
    stack = [tree.start]
    while stack:
        node = tree.nodes[stack[-1]]
        if isinstance(node, Outcome):
            counts[node.id] = 1
            stack.pop()
            continue
        pending = [a.next for a in node.answers if a.next not in counts]
        if pending:
            stack.extend(pending)
        else:
            counts[node.id] = sum(counts[a.next] for a in node.answers)
            stack.pop()
    return counts[tree.start]


def walks(tree: Tree) -> Iterator[tuple[list[tuple[Question, str]], Outcome]]:
    """Every walk from `start`, depth first in the order the writer wrote the answers."""
    stack: list[tuple[str, list[tuple[Question, str]]]] = [(tree.start, [])]
    while stack:
        node_id, steps = stack.pop()
        node = tree.nodes[node_id]
        if isinstance(node, Outcome):
            yield steps, node
            continue
        for answer in reversed(node.answers):
            stack.append((answer.next, [*steps, (node, answer.label)]))


def report_tree(tree: Tree, path: str) -> str:
    """One tree's paths, unreached outcomes and examples, as Markdown."""
    outcomes = [node for node in tree.nodes.values() if isinstance(node, Outcome)]
    total = count_paths(tree)
    examples = len(tree.examples)
    lines = [
        f"## {_md(tree.title)}",
        "",
        f"`{path}`, line {tree.pos.line}, tree `{tree.id}`: {_count(total, 'path')} to "
        f"{_count(len(outcomes), 'outcome')}; {_count(examples, 'worked example')}.",
        "",
        "### Every path",
        "",
    ]
    if total > MAX_LISTED:
        lines += [f"The first {MAX_LISTED} of {total:,} paths:", ""]
    for number, (steps, outcome) in enumerate(walks(tree), start=1):
        if number > MAX_LISTED:
            break
        lines.append(f"{number}. {_walk(steps, outcome)}")
    reached = {example.expect for example in tree.examples}
    unreached = [outcome for outcome in outcomes if outcome.id not in reached]
    lines += ["", "### Outcomes no example reaches", ""]
    if unreached:
        lines += [f"- {_md(o.text)} ({o.verdict}), `{o.id}`" for o in unreached]
    else:
        lines.append("Every outcome is reached by a worked example.")
    lines += ["", "### Worked examples", ""]
    if not tree.examples:
        lines.append("This tree has no worked examples: add them under `examples:`.")
    for number, example in enumerate(tree.examples, start=1):
        steps, outcome = tree.example_walk(example)
        walked = [(step.question, step.answer.label) for step in steps]
        lines.append(
            f"{number}. *{_md(example.situation)}*: {_walk(walked, outcome)}: reaches "
            f"`{outcome.id}` as expected"
        )
    return "\n".join(lines) + "\n"


def report(pages: Sequence[PageReport]) -> str:
    """Every page's trees, or its problems, as one Markdown document."""
    parts = []
    for page in pages:
        if page.problems:
            messages = "\n".join(str(problem) for problem in page.problems)
            parts.append(
                f"## `{page.path}`\n\nThe build refuses this page's trees; fix these first:\n\n"
                f"```text\n{messages}\n```\n"
            )
        elif not page.trees:
            parts.append(f"## `{page.path}`\n\nThis page holds no decision tree.\n")
        parts.extend(report_tree(tree, page.path) for tree in page.trees)
    return "\n".join(parts)


def _walk(steps: Sequence[tuple[Question, str]], outcome: Outcome) -> str:
    """question → answer → … → outcome (verdict)."""
    parts = [f"{_md(question.text)} → **{_md(label)}**" for question, label in steps]
    return " → ".join([*parts, f"{_md(outcome.text)} ({outcome.verdict})"])


def _count(number: int, thing: str) -> str:
    return f"{number:,} {thing}" + ("" if number == 1 else "s")


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def _md(text: str) -> str:
    """Plain text as Markdown that shows it as typed (a writer's `*` or `<b>` stays text)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="hooks/trees/paths.py",
        description="List every path through each decision tree, as Markdown.",
    )
    parser.add_argument(
        "files", nargs="*", type=Path, metavar="FILE.md", help="pages (default: all of docs/)"
    )
    args = parser.parse_args(argv)
    docs = ROOT / "docs"
    files = args.files or sorted(docs.rglob("*.md"))
    pages = []
    for file in files:
        try:
            pages.append(read_page(file, docs))
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) else "it is not UTF-8 text"
            print(f"{parser.prog}: cannot read {file}: {reason}", file=sys.stderr)
            return 2
    sys.stdout.write(report(pages))
    return 1 if any(page.problems for page in pages) else 0


if __name__ == "__main__":
    sys.exit(main())
