"""Reading a tree fence's YAML: the model it gives, and every message a writer can get.

Each mistake is one row of a table that asserts the whole message, place included. The tree
fence opens on line 10 of the page, so line 1 of the YAML is line 11 of the file.
"""

from __future__ import annotations

import pytest

from problems import Problem
from trees import parse
from trees.fences import Fence, find_fences
from trees.model import Answer, MarkdownText, Outcome, Pos, Question, ReadLink, Tree
from trees.parse import load_tree

BASE = """\
id: t
title: T
start: q
nodes:
  q:
    question: Q?
    answers:
      - label: "Yes"
        next: go
      - label: No
        next: stop
  go:
    outcome: Go
    verdict: go
    read: [a.md]
  stop:
    outcome: Stop
    verdict: decline
    read: [b.md]
"""


# Two questions whose answers only lead to each other.
LOOP = """\
  a:
    question: A?
    answers:
      - label: x
        next: b
      - label: y
        next: b
  b:
    question: B?
    answers:
      - label: x
        next: a
      - label: y
        next: a
"""


def edit(*pairs: str) -> str:
    """`BASE` with each (old, new) pair replaced once; every `old` must be there."""
    text = BASE
    for old, new in zip(pairs[::2], pairs[1::2], strict=True):
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def fence_of(body: str, line: int = 10, indent: str = "") -> Fence:
    """The one fence of a page whose tree fence, holding `body`, opens on `line`."""
    if body and not body.endswith("\n"):
        body += "\n"
    indented = "".join(f"{indent}{text}\n" if text else "\n" for text in body.split("\n")[:-1])
    # An indented fence stands in a list item: at the top level it would be indented code.
    above = "\n" * (line - 2) + "- A step\n" if indent else "\n" * (line - 1)
    page = above + f"{indent}```decision-tree\n{indented}{indent}```\n"
    (fence,) = find_fences(page)
    return fence


def messages(body: str, line: int = 10, indent: str = "") -> list[str]:
    """Every message for `body` as the writer reads it."""
    _, problems = load_tree(fence_of(body, line, indent), "fit/t.md")
    return [str(problem) for problem in problems]


def test_base_tree_is_valid():
    assert messages(BASE) == []


MISTAKES = [
    pytest.param(
        edit("    question: Q?", "\tquestion: Q?"),
        [
            (
                "docs/fit/t.md:16:1: a tab character: YAML indents with spaces only; "
                "replace the tab with spaces"
            ),
        ],
        id="tab",
    ),
    pytest.param(
        edit("title: T", "title: 'T"),
        [
            (
                "docs/fit/t.md:12:8: this quote is never closed: add the closing quote "
                "at the end of the text (write '' for a ' inside single quotes)"
            ),
        ],
        id="unclosed-quote",
    ),
    pytest.param(
        edit("    verdict: go", "   verdict: go"),
        [
            (
                "docs/fit/t.md:24:4: this line does not line up with the lines above "
                "it: indent it exactly like the other keys of the same group"
            ),
        ],
        id="bad-indent",
    ),
    pytest.param(
        edit("title: T", "title T"),
        [
            (
                "docs/fit/t.md:12:1: this line has no ':' after its key: write 'key: "
                "value', or, if it continues the text of the line above, indent it "
                "further"
            ),
        ],
        id="missing-colon",
    ),
    pytest.param(
        edit("read: [a.md]", "read: [a.md"),
        [
            (
                "docs/fit/t.md:25:11: a list in '[ ]' is not closed, or two of its items "
                "have no ',' between them: close the list that opens here with ']', and "
                "put text that contains ',' in quotes"
            ),
        ],
        id="unclosed-bracket",
    ),
    pytest.param(
        edit("read: [a.md]", "read: [a.md]\n    body: {a: b"),
        [
            (
                "docs/fit/t.md:26:11: a mapping in '{ }' is not closed, or two of its "
                "entries have no ',' between them: close the mapping that opens here with "
                "'}', and put text that contains ',' in quotes"
            ),
        ],
        id="unclosed-brace",
    ),
    pytest.param(
        edit("title: T", "title: `T`"),
        [
            (
                "docs/fit/t.md:12:8: '`' cannot start a value in YAML: put the whole "
                'value in quotes, like "..."'
            ),
        ],
        id="backtick",
    ),
    pytest.param(
        edit('"Yes"', '"Yes" please'),
        [
            (
                "docs/fit/t.md:18:22: unexpected text after a value: put the whole "
                "value in quotes, or move this to its own line"
            ),
        ],
        id="text-after-quote",
    ),
    pytest.param(
        "- a\n- b\n",
        [
            (
                "docs/fit/t.md:11:1: expected the tree's 'key: value' lines (id, title, "
                "start, nodes) but received a list"
            ),
        ],
        id="top-list",
    ),
    pytest.param(
        "just text\n",
        [
            (
                "docs/fit/t.md:11:1: expected the tree's 'key: value' lines (id, title, "
                "start, nodes) but received the text 'just text'"
            ),
        ],
        id="top-text",
    ),
    pytest.param(
        "",
        [
            (
                "docs/fit/t.md:10:1: this tree is empty: write its id, title, start and "
                "nodes between the fence lines"
            ),
        ],
        id="empty",
    ),
    pytest.param(
        edit("title: T", "titel: T"),
        [
            (
                "docs/fit/t.md:11:1: missing required key 'title': add 'title:' with "
                "the tree's heading"
            ),
            (
                "docs/fit/t.md:12:1: titel: unknown key 'titel' (did you mean "
                "'title'?): a tree takes only id, title, start, nodes, summary, examples"
            ),
        ],
        id="missing-and-unknown",
    ),
    pytest.param(
        edit("    question: Q?", "    question: Q?\n    hlep: x"),
        [
            (
                "docs/fit/t.md:17:5: nodes.q.hlep: unknown key 'hlep' (did you mean "
                "'help'?): a question takes only question, answers, help"
            ),
        ],
        id="unknown-node-key",
    ),
    pytest.param(
        edit("title: T", "title: [a, b]"),
        [
            (
                "docs/fit/t.md:12:8: title: expected text but received a list: write "
                "the title on the same line, after the ':'"
            ),
        ],
        id="wrong-type-title",
    ),
    pytest.param(
        edit("id: t", "id: Take On"),
        [
            (
                "docs/fit/t.md:11:5: id: the tree id 'Take On' is not allowed: use "
                "lowercase letters a-z and digits, with single hyphens between words, "
                "like 'take-on'; ids appear in web addresses"
            ),
        ],
        id="tree-id-bad",
    ),
    pytest.param(
        edit("  stop:", "  Stop_Now:", "next: stop", "next: Stop_Now"),
        [
            (
                "docs/fit/t.md:26:3: nodes.Stop_Now: the node id 'Stop_Now' is not "
                "allowed: use lowercase letters a-z and digits, with single hyphens "
                "between words, like 'stop-now'; ids appear in web addresses"
            ),
        ],
        id="node-id-bad",
    ),
    pytest.param(
        edit("  stop:", "  go:", "next: stop", "next: go"),
        [
            (
                "docs/fit/t.md:26:3: nodes.go: the node id 'go' appears twice, on lines "
                "22 and 26: node ids must be unique within a tree: rename one of the "
                "nodes"
            ),
        ],
        id="dup-node",
    ),
    pytest.param(
        edit("start: q", "start: q\ntitle: Again"),
        [
            (
                "docs/fit/t.md:14:1: title: the key 'title' appears twice, on lines 12 "
                "and 14: keep only one of them"
            ),
        ],
        id="dup-top-key",
    ),
    pytest.param(
        edit("    verdict: decline", "    verdict: decline\n    verdict: go"),
        [
            (
                "docs/fit/t.md:29:5: nodes.stop.verdict: the key 'verdict' appears "
                "twice, on lines 28 and 29: keep only one of them"
            ),
        ],
        id="dup-field",
    ),
    pytest.param(
        edit("title: T", "title: !!python/object:os.system T"),
        [
            (
                "docs/fit/t.md:12:8: '!!python/object:os.system' is a YAML tag, which a "
                "tree does not use: remove it (put text starting with '!' in quotes)"
            ),
        ],
        id="tag",
    ),
    pytest.param(
        edit("title: T", "title: !<x> T"),
        [
            (
                "docs/fit/t.md:12:8: '!<x>' is a YAML tag, which a tree does not use: "
                "remove it (put text starting with '!' in quotes)"
            ),
        ],
        id="verbatim-tag",
    ),
    pytest.param(
        edit(
            "  stop:\n    outcome: Stop\n    verdict: decline\n    read: [b.md]\n",
            "  stop: " + "Stop here, " * 10 + "\n",
        ),
        [
            (
                "docs/fit/t.md:26:9: nodes.stop: expected the node's 'key: value' lines, "
                "indented below its id (question and answers, or outcome, verdict and read), "
                "but received the text 'Stop here, Stop here, Stop here, Stop h…'"
            ),
        ],
        id="node-long-text",
    ),
    pytest.param(
        edit("read: [a.md]", "read: &r [a.md]"),
        [
            (
                "docs/fit/t.md:25:11: '&r' is a YAML anchor, which a tree does not use: "
                "remove it (put text starting with '&' in quotes)"
            ),
        ],
        id="anchor",
    ),
    pytest.param(
        edit("read: [b.md]", "read: *r"),
        [
            (
                "docs/fit/t.md:29:11: '*r' is a YAML alias, which a tree does not use: "
                "write the value out in full (put text starting with '*' in quotes)"
            ),
        ],
        id="alias",
    ),
    pytest.param(
        edit("    outcome: Go", "    <<: {outcome: Go}\n    outcome: Go"),
        [
            (
                "docs/fit/t.md:23:5: nodes.go.<<: merge keys ('<<') are not allowed in "
                "a tree: write each key out in full"
            ),
        ],
        id="merge",
    ),
    pytest.param(
        BASE + "---\nid: u\n",
        [
            (
                "docs/fit/t.md:30:1: a second YAML document starts here ('---'), but a "
                "fence holds one tree: remove the '---' line, or put the second tree in "
                "its own fence"
            ),
        ],
        id="two-docs",
    ),
    pytest.param(
        edit("verdict: go", "verdict: maybe"),
        [
            (
                "docs/fit/t.md:24:14: nodes.go.verdict: expected one of: go, caution, "
                "decline but received: 'maybe'"
            ),
        ],
        id="verdict-maybe",
    ),
    pytest.param(
        edit("verdict: go", "verdict: Go"),
        [
            (
                "docs/fit/t.md:24:14: nodes.go.verdict: expected one of: go, caution, "
                "decline but received: 'Go' (did you mean 'go'?)"
            ),
        ],
        id="verdict-Go",
    ),
    pytest.param(
        edit("    outcome: Stop", "    outcome: Stop\n    question: Really?"),
        [
            (
                "docs/fit/t.md:26:3: nodes.stop: this node has both 'question' and "
                "'outcome', but a node is either a question (question, answers) or an "
                "outcome (outcome, verdict, read): split it into two nodes"
            ),
        ],
        id="both",
    ),
    pytest.param(
        edit("    outcome: Stop", "    text: Stop"),
        [
            (
                "docs/fit/t.md:26:3: nodes.stop: this node has neither 'question' nor "
                "'outcome': add 'question:' and 'answers:' to ask something, or "
                "'outcome:', 'verdict:' and 'read:' to end a walk"
            ),
            (
                "docs/fit/t.md:27:5: nodes.stop.text: unknown key 'text': a node takes "
                "only question, answers, help, outcome, verdict, body, read"
            ),
        ],
        id="neither",
    ),
    pytest.param(
        edit(
            "      - label: No\n        next: stop\n",
            "",
            "  stop:\n    outcome: Stop\n    verdict: decline\n    read: [b.md]\n",
            "",
        ),
        [
            (
                "docs/fit/t.md:17:5: nodes.q.answers: a question needs at least two "
                "answers, but received 1: add another answer, or make this node an "
                "outcome"
            ),
        ],
        id="one-answer",
    ),
    pytest.param(
        edit(
            "      - label: No\n        next: stop\n",
            "".join(f"      - label: No {i}\n        next: stop\n" for i in range(8)),
        ),
        [
            (
                "docs/fit/t.md:34:9: nodes.q.answers: 9 answers to this question, but "
                "at most 8 let a reader weigh them and keep the flowchart narrow: group "
                "some answers together, or split the question in two"
            ),
        ],
        id="nine-answers",
    ),
    pytest.param(
        edit("label: No", "label: yes"),
        [
            (
                "docs/fit/t.md:20:16: nodes.q.answers[1].label: the label 'yes' is "
                "already used by answers[0] (line 18): give each answer of a question a "
                "different label"
            ),
        ],
        id="dup-label",
    ),
    pytest.param(
        edit("label: No", "label:"),
        [
            (
                "docs/fit/t.md:20:9: nodes.q.answers[1].label: the label is empty: "
                "write it after the ':'"
            ),
        ],
        id="empty-label",
    ),
    pytest.param(
        edit("title: T", 'title: ""'),
        [
            "docs/fit/t.md:12:8: title: the title is empty: write it after the ':'",
        ],
        id="empty-quoted-title",
    ),
    pytest.param(
        edit("question: Q?", "question:"),
        [
            ("docs/fit/t.md:16:5: nodes.q.question: the question is empty: write it after the ':'"),
        ],
        id="empty-question",
    ),
    pytest.param(
        edit("read: [a.md]", "read: []"),
        [
            (
                "docs/fit/t.md:25:11: nodes.go.read: expected a link, or a list of "
                "links, to the article that explains this outcome, like 'read: "
                "[../fit/focus.md#core]', but received an empty list"
            ),
        ],
        id="read-empty",
    ),
    pytest.param(
        edit("read: [a.md]", "read: {a: b}"),
        [
            (
                "docs/fit/t.md:25:11: nodes.go.read: expected a link, or a list of "
                "links, to the article that explains this outcome, like 'read: "
                "[../fit/focus.md#core]', but received a group of 'key: value' lines"
            ),
        ],
        id="read-mapping",
    ),
    pytest.param(
        edit("    read: [a.md]\n", ""),
        [
            (
                "docs/fit/t.md:22:3: nodes.go: missing required key 'read': add 'read:' "
                "with a link to the article that explains this outcome"
            ),
        ],
        id="read-missing",
    ),
    pytest.param(
        edit("read: [a.md]", "read: [' JavaScript:alert(1)']"),
        [
            (
                "docs/fit/t.md:25:12: nodes.go.read[0]: 'javascript:' links are not "
                "allowed: they can run code or hide content in the page; link to the "
                "handbook article that explains this outcome"
            ),
        ],
        id="read-js",
    ),
    pytest.param(
        edit("read: [b.md]", "read:\n      - data:text/html,x"),
        [
            (
                "docs/fit/t.md:30:9: nodes.stop.read[0]: 'data:' links are not allowed: "
                "they can run code or hide content in the page; link to the handbook "
                "article that explains this outcome"
            ),
        ],
        id="read-data",
    ),
    pytest.param(
        edit("read: [a.md]", "read: [[a.md]]"),
        [
            (
                "docs/fit/t.md:25:12: nodes.go.read[0]: expected text but received a "
                "list: write the link on the same line, after the ':'"
            ),
        ],
        id="read-list-item",
    ),
    pytest.param(
        edit("start: q", "start: Q"),
        [
            "docs/fit/t.md:13:8: start: no node 'Q' (did you mean 'q'?)",
        ],
        id="start-typo",
    ),
    pytest.param(
        edit("next: stop", "next: sotp"),
        [
            ("docs/fit/t.md:21:15: nodes.q.answers[1].next: no node 'sotp' (did you mean 'stop'?)"),
        ],
        id="next-typo",
    ),
    pytest.param(
        edit("next: stop", "next: elsewhere"),
        [
            (
                "docs/fit/t.md:21:15: nodes.q.answers[1].next: no node 'elsewhere': use "
                "the id of one of the nodes under 'nodes'"
            ),
        ],
        id="next-nothing-near",
    ),
    pytest.param(
        BASE + "  lost:\n    outcome: Lost\n    verdict: go\n    read: [c.md]\n",
        [
            (
                "docs/fit/t.md:30:3: nodes.lost: a reader starting at 'q' can never "
                "reach this node: point an answer's 'next' at 'lost', or remove the "
                "node"
            ),
        ],
        id="unreachable",
    ),
    pytest.param(
        edit("next: stop", "next: q"),
        [
            (
                "docs/fit/t.md:21:15: nodes.q.answers[1].next: this answer leads back "
                "to 'q', so a walk could go round forever (q → q): point it at a node "
                "further on, so that every walk ends at an outcome"
            ),
            (
                "docs/fit/t.md:26:3: nodes.stop: a reader starting at 'q' can never "
                "reach this node: point an answer's 'next' at 'stop', or remove the "
                "node"
            ),
        ],
        id="cycle",
    ),
    pytest.param(
        edit(
            "  stop:\n    outcome: Stop\n    verdict: decline\n    read: [b.md]\n",
            "",
            "next: stop",
            "next: a",
        )
        + LOOP,
        [
            (
                "docs/fit/t.md:26:3: nodes.a: no outcome can be reached from this "
                "question: every answer leads round a loop; point an answer at an "
                "outcome, or at a question that leads to one"
            ),
            (
                "docs/fit/t.md:33:3: nodes.b: no outcome can be reached from this "
                "question: every answer leads round a loop; point an answer at an "
                "outcome, or at a question that leads to one"
            ),
            (
                "docs/fit/t.md:37:15: nodes.b.answers[0].next: this answer leads back "
                "to 'a', so a walk could go round forever (a → b → a): point it at a "
                "node further on, so that every walk ends at an outcome"
            ),
            (
                "docs/fit/t.md:39:15: nodes.b.answers[1].next: this answer leads back "
                "to 'a', so a walk could go round forever (a → b → a): point it at a "
                "node further on, so that every walk ends at an outcome"
            ),
        ],
        id="dead-end",
    ),
    pytest.param(
        edit("title: T", "title: " + "x" * 201),
        [
            (
                "docs/fit/t.md:12:8: title: 201 characters in this title, but at most "
                "200 fit in the flowchart's boxes: shorten the title"
            ),
        ],
        id="long-title",
    ),
    pytest.param(
        edit("label: No", "label: " + "n" * 81),
        [
            (
                "docs/fit/t.md:20:16: nodes.q.answers[1].label: 81 characters in this "
                "label, but at most 80 fit on the flowchart's arrows: shorten the label"
            ),
        ],
        id="long-label",
    ),
    pytest.param(
        edit("    question: Q?", "    question: Q?\n    help: " + "h" * 3001),
        [
            (
                "docs/fit/t.md:17:11: nodes.q.help: 3,001 characters in this help, but "
                "at most 3,000 keep each step short (longer explanations belong in the "
                "article it links to): shorten the help"
            ),
        ],
        id="long-help",
    ),
    pytest.param(
        edit("    question: Q?", "    question: Q?\n    help:"),
        [
            ("docs/fit/t.md:17:5: nodes.q.help: the help is empty: write it, or remove 'help:'"),
        ],
        id="empty-help",
    ),
    pytest.param(
        edit(
            '    answers:\n      - label: "Yes"\n        next: go\n',
            "    answers: Yes or no\n",
            "      - label: No\n        next: stop\n",
            "",
        ),
        [
            (
                "docs/fit/t.md:17:14: nodes.q.answers: expected a list of answers, one "
                "'- label: ...' item per answer with its 'next:' indented below, but "
                "received the text 'Yes or no'"
            ),
        ],
        id="answers-text",
    ),
    pytest.param(
        edit("      - label: No\n        next: stop\n", "      - No\n"),
        [
            (
                "docs/fit/t.md:20:9: nodes.q.answers[1]: expected an answer's 'label:' "
                "and 'next:' lines but received the text 'No'"
            ),
        ],
        id="answer-text",
    ),
    pytest.param(
        edit("        next: stop\n", ""),
        [
            (
                "docs/fit/t.md:20:9: nodes.q.answers[1]: missing required key 'next': "
                "add 'next:' with the id of the node this answer leads to"
            ),
        ],
        id="answer-no-next",
    ),
    pytest.param(
        "id: t\ntitle: T\nstart: q\nnodes:\n",
        [
            (
                "docs/fit/t.md:14:1: nodes: expected the tree's nodes, each an id "
                "followed by its indented 'key: value' lines, but received no nodes"
            ),
        ],
        id="nodes-empty",
    ),
    pytest.param(
        "id: t\ntitle: T\nstart: q\nnodes: [q]\n",
        [
            (
                "docs/fit/t.md:14:8: nodes: expected the tree's nodes, each an id "
                "followed by its indented 'key: value' lines, but received a list"
            ),
        ],
        id="nodes-list",
    ),
    pytest.param(
        edit(
            "  stop:\n    outcome: Stop\n    verdict: decline\n    read: [b.md]\n",
            "  stop: Stop here\n",
        ),
        [
            (
                "docs/fit/t.md:26:9: nodes.stop: expected the node's 'key: value' "
                "lines, indented below its id (question and answers, or outcome, "
                "verdict and read), but received the text 'Stop here'"
            ),
        ],
        id="node-text",
    ),
    pytest.param(
        edit("  stop:\n    outcome: Stop\n    verdict: decline\n    read: [b.md]\n", "  stop:\n"),
        [
            (
                "docs/fit/t.md:26:3: nodes.stop: expected the node's 'key: value' "
                "lines, indented below its id (question and answers, or outcome, "
                "verdict and read), but received nothing"
            ),
        ],
        id="node-empty",
    ),
    pytest.param(
        edit("id: t", "id: t\n[a, b]: c"),
        [
            "docs/fit/t.md:12:1: a key must be a plain word, but received a list",
        ],
        id="complex-key",
    ),
    pytest.param(
        edit("    question: Q?", "    question: Q?\n    verdict: go"),
        [
            (
                "docs/fit/t.md:17:5: nodes.q.verdict: 'verdict' belongs to outcomes, "
                "but this node is a question: remove it, or split the node in two"
            ),
        ],
        id="question-verdict",
    ),
    pytest.param(
        edit("id: t", "id: t\nsummary: [x]"),
        [
            (
                "docs/fit/t.md:12:10: summary: expected Markdown text but received a "
                "list: for several lines, write 'summary: |' and indent the text on the "
                "lines below"
            ),
        ],
        id="summary-list",
    ),
    pytest.param(
        edit("start: q", "start: [q]"),
        [
            (
                "docs/fit/t.md:13:8: start: expected text but received a list: write "
                "the start on the same line, after the ':'"
            ),
        ],
        id="start-list",
    ),
    pytest.param(
        "[" * 10000,
        [
            (
                "docs/fit/t.md:11:21: the YAML is nested more than 20 levels deep "
                "here, but a tree needs five: check the brackets and the indentation"
            ),
        ],
        id="deep",
    ),
    pytest.param(
        "[" * 10000 + "]" * 10000,
        [
            (
                "docs/fit/t.md:11:21: the YAML is nested more than 20 levels deep "
                "here, but a tree needs five: check the brackets and the indentation"
            ),
        ],
        id="deep-closed",
    ),
    pytest.param(
        "a: " + "[" * 25 + "]" * 25,
        [
            (
                "docs/fit/t.md:11:23: the YAML is nested more than 20 levels deep here, "
                "but a tree needs five: check the brackets and the indentation"
            ),
        ],
        id="nested-25",
    ),
    pytest.param(
        edit("title: T", "title:", "verdict: go", "verdict: maybe", "next: stop", "next: sotp"),
        [
            "docs/fit/t.md:12:1: title: the title is empty: write it after the ':'",
            ("docs/fit/t.md:21:15: nodes.q.answers[1].next: no node 'sotp' (did you mean 'stop'?)"),
            (
                "docs/fit/t.md:24:14: nodes.go.verdict: expected one of: go, caution, "
                "decline but received: 'maybe'"
            ),
        ],
        id="several",
    ),
]


@pytest.mark.parametrize(("body", "expected"), MISTAKES)
def test_mistake_is_reported_with_place_and_fix(body, expected):
    assert messages(body) == expected


# What the YAML parser itself rejects or flags, where LibYAML and PyYAML word things apart.
PARSER_MISTAKES = {
    "tab",
    "unclosed-quote",
    "bad-indent",
    "missing-colon",
    "unclosed-bracket",
    "unclosed-brace",
    "backtick",
    "text-after-quote",
    "tag",
    "anchor",
    "alias",
    "two-docs",
    "empty-label",
    "nodes-empty",
    "complex-key",
    "deep",
    "deep-closed",
    "nested-25",
}


@pytest.mark.parametrize(
    ("body", "expected"), [case for case in MISTAKES if case.id in PARSER_MISTAKES]
)
def test_messages_are_the_same_without_libyaml(body, expected, monkeypatch):
    monkeypatch.setattr(parse, "_Parser", parse.PurePythonParser)
    assert messages(body) == expected


VALID = """\
id: take-on
title: Is <script>alert(1)</script> & "this" Yes?
start: core
summary: Read this *first*.
nodes:
  core:
    question: On
    help: |
      Line one.
      Line [two](../a.md).
    answers:
      - label: Yes
        next: yes
      - label: No
        next: no
      - label: 1.10
        next: maybe
  yes:
    outcome: 1.0
    verdict: go
    body: >
      Folded
      text.
    read: ../a.md#x
  no:
    outcome: 'It''s a no'
    verdict: decline
    read:
      - ../b.md
      - "../c.md#y"
  maybe:
    outcome: ~
    verdict: caution
    body: "Say: maybe"
    read: [../d.md]
"""


def test_valid_tree_keeps_every_text_exactly_as_typed():
    # The list item puts the fence at column 5: every column below includes that indent.
    tree, problems = load_tree(fence_of(VALID, 20, "    "), "fit/t.md")
    assert problems == []
    assert tree == Tree(
        id="take-on",
        title='Is <script>alert(1)</script> & "this" Yes?',
        start="core",
        nodes={
            "core": Question(
                id="core",
                text="On",
                answers=(
                    Answer("Yes", "yes", Pos(33, 19)),
                    Answer("No", "no", Pos(35, 19)),
                    Answer("1.10", "maybe", Pos(37, 19)),
                ),
                pos=Pos(26, 7),
                help=MarkdownText("Line one.\nLine [two](../a.md).\n", Pos(29, 11), block=True),
            ),
            "yes": Outcome(
                id="yes",
                text="1.0",
                verdict="go",
                read=(ReadLink("../a.md#x", Pos(44, 15)),),
                pos=Pos(38, 7),
                body=MarkdownText("Folded text.\n", Pos(42, 11), block=True),
            ),
            "no": Outcome(
                id="no",
                text="It's a no",
                verdict="decline",
                read=(ReadLink("../b.md", Pos(49, 13)), ReadLink("../c.md#y", Pos(50, 14))),
                pos=Pos(45, 7),
            ),
            "maybe": Outcome(
                id="maybe",
                text="~",
                verdict="caution",
                read=(ReadLink("../d.md", Pos(55, 16)),),
                pos=Pos(51, 7),
                body=MarkdownText("Say: maybe", Pos(54, 16)),
            ),
        },
        page="fit/t.md",
        pos=Pos(20, 5),
        summary=MarkdownText("Read this *first*.", Pos(24, 14)),
        id_pos=Pos(21, 9),
    )
    assert list(tree.nodes) == ["core", "yes", "no", "maybe"]


def test_several_problems_are_reported_at_once_in_page_order():
    body = edit("title: T", "title:", "verdict: go", "verdict: maybe", "next: stop", "next: sotp")
    _, problems = load_tree(fence_of(body), "fit/t.md")
    assert problems == [
        Problem("docs/fit/t.md", 12, 1, "the title is empty: write it after the ':'", "title"),
        Problem(
            "docs/fit/t.md",
            21,
            15,
            "no node 'sotp' (did you mean 'stop'?)",
            "nodes.q.answers[1].next",
        ),
        Problem(
            "docs/fit/t.md",
            24,
            14,
            "expected one of: go, caution, decline but received: 'maybe'",
            "nodes.go.verdict",
        ),
    ]


def test_tree_with_problems_is_not_returned():
    tree, problems = load_tree(fence_of(edit("verdict: go", "verdict: maybe")), "fit/t.md")
    assert tree is None
    assert len(problems) == 1


def test_unclosed_fence_is_reported_and_its_tree_still_read():
    page = "Intro\n\n```decision-tree\n" + edit("verdict: go", "verdict: maybe")
    (fence,) = find_fences(page)
    assert [str(p) for p in load_tree(fence, "fit/t.md")[1]] == [
        (
            "docs/fit/t.md:3:1: this ```decision-tree fence is never closed, so the tree "
            "runs to the end of the page: add a line with ``` after the tree"
        ),
        (
            "docs/fit/t.md:17:14: nodes.go.verdict: expected one of: go, caution, decline "
            "but received: 'maybe'"
        ),
    ]


def chain(length: int) -> str:
    """A tree whose questions form one line `length` long, each with a way out."""
    lines = ["id: chain", "title: Chain", "start: q0", "nodes:"]
    for i in range(length):
        lines.append(
            f"  q{i}: {{question: Q, answers: [{{label: on, next: q{i + 1}}}, "
            "{label: off, next: end}]}"
        )
    lines.append(f"  q{length}: {{outcome: O, verdict: go, read: [a.md]}}")
    lines.append("  end: {outcome: E, verdict: go, read: [a.md]}")
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            "id: big\ntitle: Big\nstart: n0\nnodes:\n"
            + "".join(f"  n{i}: {{outcome: o}}\n" for i in range(3000)),
            (
                "docs/fit/t.md:165:3: nodes.n150: 3,000 nodes in this tree, but at most 150 "
                "keep the flowchart readable and the page quick to load (this is node 151): "
                "split it into smaller trees whose outcomes link to each other"
            ),
            id="3000-nodes",
        ),
        pytest.param(
            chain(2000),
            (
                "docs/fit/t.md:10:1: 167,919 characters of YAML in this tree, but at most "
                "100,000 keep the build quick: split it into smaller trees whose outcomes "
                "link to each other"
            ),
            id="2000-deep-chain",
        ),
        pytest.param(
            chain(140),
            (
                "docs/fit/t.md:13:8: start: 140 questions on the longest walk from here to an "
                "outcome, but at most 25 keep a walk short enough for a reader to finish: ask "
                "fewer questions in a row, or split the tree"
            ),
            id="140-deep-chain",
        ),
        pytest.param(
            "[" * 10_000,
            (
                "docs/fit/t.md:11:21: the YAML is nested more than 20 levels deep here, but "
                "a tree needs five: check the brackets and the indentation"
            ),
            id="10000-brackets",
        ),
        pytest.param(
            "a: " + "[" * 25 + "]" * 25,
            (
                "docs/fit/t.md:11:23: the YAML is nested more than 20 levels deep here, but a "
                "tree needs five: check the brackets and the indentation"
            ),
            id="25-brackets",
        ),
    ],
)
def test_huge_or_deep_tree_fails_fast_with_the_limit(body, expected):
    assert messages(body) == [expected]


def test_a_single_read_link_needs_no_list():
    tree, problems = load_tree(fence_of(edit("read: [a.md]", "read: a.md")), "fit/t.md")
    assert problems == []
    assert tree.nodes["go"].read == (ReadLink("a.md", Pos(25, 11)),)
