"""Every size limit of a tree, at its boundary: exactly the limit builds, one past it fails.

Each limit lives in hooks/trees/check.py (nodes, depth, answers, text lengths, ids, fence
size) or hooks/trees/parse.py (YAML nesting). A row here builds a tree at the limit, which
must load with no problems, and the same tree one past it, whose message is asserted whole.
The last test holds the writers' page on build messages to the same numbers.

The tree fence opens on line 1 of the page, so line 1 of the YAML is line 2 of the file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trees import check, parse
from trees.fences import find_fences
from trees.parse import load_tree

ROOT = Path(__file__).resolve().parent.parent
MESSAGES_PAGE = ROOT / "docs" / "writers" / "build-messages.md"


# ---------------------------------------------------------------- building trees


def question(node_id: str, text: str, answers: list[tuple[str, str]], help_: str = "") -> str:
    """A question node in block style; `answers` are (label, next) pairs."""
    lines = [f"  {node_id}:", f"    question: {text}"]
    if help_:
        lines.append(f"    help: {help_}")
    lines.append("    answers:")
    for label, target in answers:
        lines += [f"      - label: {label}", f"        next: {target}"]
    return "\n".join(lines) + "\n"


def outcome(node_id: str, text: str = "Done", body: str = "") -> str:
    """An outcome node in block style, reading on in a.md."""
    lines = [f"  {node_id}:", f"    outcome: {text}", "    verdict: go"]
    if body:
        lines.append(f"    body: {body}")
    lines.append("    read: [a.md]")
    return "\n".join(lines) + "\n"


def tree(nodes: str, tree_id: str = "t", title: str = "T", summary: str = "") -> str:
    """A whole tree starting at node `q0`."""
    top = f"id: {tree_id}\ntitle: {title}\nstart: q0\n"
    if summary:
        top += f"summary: {summary}\n"
    return top + "nodes:\n" + nodes


def small(
    *,
    tree_id: str = "t",
    title: str = "T",
    summary: str = "",
    text: str = "Q?",
    help_: str = "",
    label: str = "Yes",
    end: str = "Done",
    body: str = "",
    end_id: str = "yes",
) -> str:
    """The smallest valid tree, with any one of its texts or ids replaced."""
    nodes = question("q0", text, [(label, end_id), ("No", "no")], help_)
    return tree(nodes + outcome(end_id, end, body) + outcome("no"), tree_id, title, summary)


def binary(count: int) -> str:
    """A valid tree of exactly `count` nodes (at least 5): a full binary tree of questions
    and outcomes, plus one outcome more as the first question's third answer when `count`
    is even."""
    full = count if count % 2 else count - 1
    nodes = ""
    for i in range(full):
        left, right = 2 * i + 1, 2 * i + 2
        if right < full:
            answers = [("Left", f"n{left}"), ("Right", f"n{right}")]
            if i == 0 and full < count:
                answers.append(("Other", "extra"))
            nodes += question(f"n{i}", f"Q{i}?", answers)
        else:
            nodes += outcome(f"n{i}")
    if full < count:
        nodes += outcome("extra")
    return tree(nodes).replace("start: q0", "start: n0")


def chain(questions: int) -> str:
    """A valid tree whose longest walk asks `questions` questions in a row."""
    nodes = "".join(
        question(f"q{i}", f"Q{i}?", [("On", f"q{i + 1}" if i + 1 < questions else "last"),
                                    ("Stop", "stop")])
        for i in range(questions)
    )  # fmt: skip
    return tree(nodes + outcome("last") + outcome("stop"))


def many_answers(count: int) -> str:
    """A valid tree whose first question has `count` answers, each to its own outcome."""
    answers = [(f"Answer {i}", f"o{i}") for i in range(count)]
    return tree(question("q0", "Q?", answers) + "".join(outcome(f"o{i}") for i in range(count)))


def padded(length: int) -> str:
    """The smallest valid tree followed by comment lines, `length` characters in all."""
    body = small()
    while len(body) < length:
        room = length - len(body)
        # A comment line is '#', its text and a newline: at least two characters.
        line = "#" + "x" * min(room - 2, 78) + "\n" if room >= 2 else ""
        if not line:  # one character left over: make the last comment one longer
            body = body[:-1] + "x\n"
            continue
        body += line
    return body


def nested(levels: int) -> str:
    """A tree whose summary is a list nested so the whole YAML is `levels` collections deep
    (the tree's own mapping is the first)."""
    depth = levels - 1
    return small().replace("title: T\n", f"title: T\nsummary: {'[' * depth}{']' * depth}\n")


def load(body: str) -> tuple[object, list[str]]:
    """The tree (or None) and every message, for a page holding `body` in one fence."""
    (fence,) = find_fences(f"```decision-tree\n{body}```\n")
    loaded, problems = load_tree(fence, "t.md")
    return loaded, [str(problem) for problem in problems]


# ---------------------------------------------------------------- the boundaries

TEXT_FIT = "fit in the flowchart's boxes"
MARKDOWN_WHY = "keep each step short (longer explanations belong in the article it links to)"

LIMITS = [
    pytest.param(
        binary(150),
        binary(151),
        "docs/t.md:831:3: nodes.n150: 151 nodes in this tree, but at most 150 keep the "
        "flowchart readable and the page quick to load (this is node 151): split it into "
        "smaller trees whose outcomes link to each other",
        id="nodes",
    ),
    pytest.param(
        chain(25),
        chain(26),
        "docs/t.md:4:8: start: 26 questions on the longest walk from here to an outcome, but "
        "at most 25 keep a walk short enough for a reader to finish: ask fewer questions in a "
        "row, or split the tree",
        id="depth",
    ),
    pytest.param(
        many_answers(8),
        many_answers(9),
        "docs/t.md:25:9: nodes.q0.answers: 9 answers to this question, but at most 8 let a "
        "reader weigh them and keep the flowchart narrow: group some answers together, or "
        "split the question in two",
        id="answers",
    ),
    pytest.param(
        small(title="x" * 200),
        small(title="x" * 201),
        f"docs/t.md:3:8: title: 201 characters in this title, but at most 200 {TEXT_FIT}: "
        "shorten the title",
        id="title",
    ),
    pytest.param(
        small(text="x" * 200),
        small(text="x" * 201),
        "docs/t.md:7:15: nodes.q0.question: 201 characters in this question, but at most 200 "
        f"{TEXT_FIT}: shorten the question",
        id="question",
    ),
    pytest.param(
        small(end="x" * 200),
        small(end="x" * 201),
        "docs/t.md:14:14: nodes.yes.outcome: 201 characters in this outcome, but at most 200 "
        f"{TEXT_FIT}: shorten the outcome",
        id="outcome",
    ),
    pytest.param(
        small(label="x" * 80),
        small(label="x" * 81),
        "docs/t.md:9:16: nodes.q0.answers[0].label: 81 characters in this label, but at most "
        "80 fit on the flowchart's arrows: shorten the label",
        id="label",
    ),
    pytest.param(
        small(summary="x" * 3000),
        small(summary="x" * 3001),
        f"docs/t.md:5:10: summary: 3,001 characters in this summary, but at most 3,000 "
        f"{MARKDOWN_WHY}: shorten the summary",
        id="summary",
    ),
    pytest.param(
        small(help_="x" * 3000),
        small(help_="x" * 3001),
        f"docs/t.md:8:11: nodes.q0.help: 3,001 characters in this help, but at most 3,000 "
        f"{MARKDOWN_WHY}: shorten the help",
        id="help",
    ),
    pytest.param(
        small(body="x" * 3000),
        small(body="x" * 3001),
        f"docs/t.md:16:11: nodes.yes.body: 3,001 characters in this body, but at most 3,000 "
        f"{MARKDOWN_WHY}: shorten the body",
        id="body",
    ),
    pytest.param(
        small(tree_id="a" * 64),
        small(tree_id="a" * 65),
        "docs/t.md:2:5: id: 65 characters in this tree id, but at most 64 keep web addresses "
        "short: shorten the tree id",
        id="tree-id",
    ),
    pytest.param(
        small(end_id="a" * 64),
        small(end_id="a" * 65),
        f"docs/t.md:13:3: nodes.{'a' * 65}: 65 characters in this node id, but at most 64 "
        "keep web addresses short: shorten the node id",
        id="node-id",
    ),
    pytest.param(
        padded(100_000),
        padded(100_001),
        "docs/t.md:1:1: 100,001 characters of YAML in this tree, but at most 100,000 keep the "
        "build quick: split it into smaller trees whose outcomes link to each other",
        id="fence-size",
    ),
]


@pytest.mark.parametrize(("at_limit", "past_limit", "expected"), LIMITS)
def test_a_tree_at_the_limit_builds_and_one_past_fails_with_the_limit(
    at_limit, past_limit, expected
):
    loaded, problems = load(at_limit)
    assert problems == []
    assert loaded is not None
    loaded, problems = load(past_limit)
    assert problems == [expected]
    assert loaded is None


def test_yaml_nested_to_the_limit_is_read_and_one_level_more_is_refused():
    # No tree uses twenty levels, so at the limit the YAML is read and the list where text
    # belongs is what gets reported; one level more and the nesting limit speaks instead.
    assert load(nested(parse.MAX_NESTING))[1] == [
        "docs/t.md:4:10: summary: expected Markdown text but received a list: for several "
        "lines, write 'summary: |' and indent the text on the lines below"
    ]
    assert load(nested(parse.MAX_NESTING + 1))[1] == [
        "docs/t.md:4:29: the YAML is nested more than 20 levels deep here, but a tree needs "
        "five: check the brackets and the indentation"
    ]


def test_the_trees_at_the_limits_are_the_sizes_they_claim():
    # Guards the builders above: a boundary row means nothing if it is not at the boundary.
    assert len(load(binary(150))[0].nodes) == check.MAX_NODES
    assert len(load(many_answers(8))[0].nodes["q0"].answers) == check.MAX_ANSWERS
    assert len(padded(100_000)) == check.MAX_FENCE_CHARS
    assert len(load(small(end_id="a" * 64))[0].nodes) == 3


# ---------------------------------------------------------------- the writers' page agrees

DOCUMENTED = [
    pytest.param(check.MAX_NODES, "nodes", "in a tree", id="nodes"),
    pytest.param(check.MAX_DEPTH, "questions", "on the longest walk", id="depth"),
    pytest.param(check.MAX_ANSWERS, "answers", "to one question", id="answers"),
    pytest.param(check.MAX_TEXT, "characters", "in a title, question or outcome", id="text"),
    pytest.param(check.MAX_LABEL, "characters", "in a label", id="label"),
    pytest.param(check.MAX_MARKDOWN, "characters", "in a summary, help or body", id="markdown"),
    pytest.param(check.MAX_ID, "characters", "in an id", id="id"),
    pytest.param(check.MAX_FENCE_CHARS, "characters", "of YAML in one fence", id="fence"),
    pytest.param(parse.MAX_NESTING, "levels", "of nesting in the YAML", id="nesting"),
    pytest.param(check.MAX_EXAMPLES, "examples", "under a tree's `examples`", id="examples"),
    pytest.param(check.MAX_TEXT, "characters", "in an example's situation", id="situation"),
    pytest.param(check.MAX_DEPTH, "answers", "in one example", id="example-answers"),
]


@pytest.mark.parametrize(("limit", "unit", "what"), DOCUMENTED)
def test_the_build_messages_page_states_each_limit_as_the_build_applies_it(limit, unit, what):
    page = MESSAGES_PAGE.read_text(encoding="utf-8")
    row = f"| At most **{limit:,} {unit}** {what}"
    assert row in page, f"{MESSAGES_PAGE.name} has no row starting {row!r}"
    rows = re.findall(r"^\| At most \*\*([\d,]+) ([a-z]+)\*\* (.+?) \|", page, re.MULTILINE)
    assert len(rows) == len(DOCUMENTED), rows
