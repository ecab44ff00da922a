"""Worked examples in a tree: how they are read, and every message a walk can give.

The tree fence opens on line 10 of the page, so line 1 of the YAML is line 11 of the file.
Every row asserts whole messages, place included.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_fuzz_trees import PROFILE, scalar, valid_specs
from tests.test_tree_parse import fence_of, messages
from trees.check import MAX_EXAMPLES
from trees.model import Example, ExampleAnswer, Pos
from trees.parse import load_tree

# A question, a second question, three outcomes; `examples:` is line 41 of the page.
TREE = """\
id: t
title: T
start: q
nodes:
  q:
    question: Is it our core work?
    answers:
      - label: "Yes"
        next: r
      - label: No
        next: stop
  r:
    question: Can we staff it?
    answers:
      - label: Yes, easily
        next: go
      - label: Not now
        next: later
  go:
    outcome: Take it on
    verdict: go
    read: [a.md]
  later:
    outcome: Take it on later
    verdict: caution
    read: [a.md]
  stop:
    outcome: Decline
    verdict: decline
    read: [b.md]
examples:
"""
P = "docs/fit/t.md"


def with_examples(text: str) -> str:
    return TREE + text


def test_examples_reach_the_model_exactly_as_typed():
    body = with_examples(
        """\
  - situation: A retainer client wants one more report
    answers: [Yes, 'Yes, easily']
    expect: go
  - situation: "A prospect asks us to run their payroll: 1.0"
    answers:
      - No
    expect: stop
"""
    )
    tree, problems = load_tree(fence_of(body), "fit/t.md")
    assert problems == []
    assert tree is not None
    assert tree.examples == (
        Example(
            "A retainer client wants one more report",
            (ExampleAnswer("Yes", Pos(43, 15)), ExampleAnswer("Yes, easily", Pos(43, 21))),
            "go",
            Pos(42, 16),
        ),
        Example(
            "A prospect asks us to run their payroll: 1.0",
            (ExampleAnswer("No", Pos(47, 9)),),
            "stop",
            Pos(45, 17),
        ),
    )
    steps, outcome = tree.example_walk(tree.examples[0])
    assert [(s.question.id, s.answer.label) for s in steps] == [("q", "Yes"), ("r", "Yes, easily")]
    assert outcome.id == "go"


def test_a_tree_without_examples_has_none():
    body = TREE.removesuffix("examples:\n")
    tree, problems = load_tree(fence_of(body), "fit/t.md")
    assert problems == [] and tree is not None and tree.examples == ()


MISTAKES = [
    pytest.param(
        "  - situation: S\n    answers: [Yes, Yess]\n    expect: go\n",
        [
            f"{P}:43:20: examples[0].answers[1]: the question 'r' (Can we staff it?) offers no "
            "answer 'Yess': write one of 'Yes, easily' or 'Not now' exactly as the question "
            "has it"
        ],
        id="label-not-offered",
    ),
    pytest.param(
        "  - situation: S\n    answers: [yes]\n    expect: go\n",
        [
            f"{P}:43:15: examples[0].answers[0]: the question 'q' (Is it our core work?) offers "
            "no answer 'yes' (did you mean 'Yes'?): write one of 'Yes' or 'No' exactly as the "
            "question has it"
        ],
        id="label-case-did-you-mean",
    ),
    pytest.param(
        "  - situation: S\n    answers: [Yes, Not no]\n    expect: later\n",
        [
            f"{P}:43:20: examples[0].answers[1]: the question 'r' (Can we staff it?) offers no "
            "answer 'Not no' (did you mean 'Not now'?): write one of 'Yes, easily' or "
            "'Not now' exactly as the question has it"
        ],
        id="label-typo-did-you-mean",
    ),
    pytest.param(
        "  - situation: S\n    answers: [Yes]\n    expect: go\n",
        [
            f"{P}:43:15: examples[0].answers[0]: the answers run out at the question 'r' (Can "
            "we staff it?): add the answer this situation gives, one of 'Yes, easily' or "
            "'Not now'"
        ],
        id="answers-run-out",
    ),
    pytest.param(
        "  - situation: S\n    answers: [No, Yes, No]\n    expect: stop\n",
        [
            f"{P}:43:19: examples[0].answers[1]: the walk already ends at the outcome 'stop' "
            "(Decline) after 1 answer, so 'Yes' and any answers after it are left over: remove "
            "them, or correct the answers before them"
        ],
        id="answers-left-over",
    ),
    pytest.param(
        "  - situation: S\n    answers: [Yes, Not now]\n    expect: go\n",
        [
            f"{P}:44:13: examples[0].expect: the answers lead to 'later' (Take it on later), "
            "but this example expects 'go' (Take it on): correct the answers or 'expect', or "
            "the tree if it is the tree that now decides wrongly"
        ],
        id="other-outcome",
    ),
    pytest.param(
        "  - situation: S\n    answers: [No]\n    expect: stpo\n",
        [
            f"{P}:44:13: examples[0].expect: no node 'stpo' (did you mean 'stop'?): write the "
            "id of the outcome this situation must reach"
        ],
        id="expect-no-node",
    ),
    pytest.param(
        "  - situation: S\n    answers: [Yes, Not now]\n    expect: r\n",
        [
            f"{P}:44:13: examples[0].expect: 'r' is a question (Can we staff it?), but an "
            "example ends at an outcome: write the id of the outcome this situation must reach "
            "(its answers reach 'later')"
        ],
        id="expect-question",
    ),
    pytest.param(
        "  - situation: S\n    answers: [No]\n    expected: stop\n",
        [
            f"{P}:42:5: examples[0]: missing required key 'expect': add 'expect:' with the id of "
            "the outcome this situation must reach",
            f"{P}:44:5: examples[0].expected: unknown key 'expected' (did you mean 'expect'?): "
            "an example takes only situation, answers, expect",
        ],
        id="unknown-key",
    ),
    pytest.param(
        "  - answers: [No]\n    expect: stop\n",
        [
            f"{P}:42:5: examples[0]: missing required key 'situation': add 'situation:' with "
            "the situation in a sentence, as a reader meets it",
        ],
        id="missing-situation",
    ),
    pytest.param(
        "  - situation: S\n    expect: stop\n",
        [
            f"{P}:42:5: examples[0]: missing required key 'answers': add 'answers:' with the "
            "answer labels a reader gives, in order from the start, like 'answers: [Yes, "
            "Partly]'",
        ],
        id="missing-answers",
    ),
    pytest.param(
        "  - situation: S\n    answers: No\n    expect: stop\n",
        [
            f"{P}:43:14: examples[0].answers: expected a list of the answer labels a reader "
            "gives, in order from the start, like 'answers: [Yes, Partly]' or one '- label' "
            "line each, but received the text 'No'",
        ],
        id="answers-not-a-list",
    ),
    pytest.param(
        "  - situation: S\n    answers: []\n    expect: stop\n",
        [
            f"{P}:43:14: examples[0].answers: expected a list of the answer labels a reader "
            "gives, in order from the start, like 'answers: [Yes, Partly]' or one '- label' "
            "line each, but received an empty list",
        ],
        id="answers-empty",
    ),
    pytest.param(
        "  - situation: S\n    answers:\n      - label: No\n    expect: stop\n",
        [
            f"{P}:44:9: examples[0].answers[0]: expected an answer label as text but received "
            "a group of 'key: value' lines: write each label exactly as the question's answer "
            "has it, like '- Yes'",
        ],
        id="answer-not-text",
    ),
    pytest.param(
        "  - situation: S\n    answers: [No, '']\n    expect: stop\n",
        [
            f"{P}:43:19: examples[0].answers[1]: this answer is empty: write the label of the "
            "answer a reader gives here",
        ],
        id="answer-empty",
    ),
    pytest.param(
        "  - situation: Same thing\n    answers: [No]\n    expect: stop\n"
        "  - situation: same  thing\n    answers: [Yes, Not now]\n    expect: later\n",
        [
            f"{P}:45:16: examples[1].situation: the situation 'same  thing' is already used by "
            "examples[0] (line 42): give each example a different situation",
        ],
        id="duplicate-situation",
    ),
    pytest.param(
        "  - situation: S\n    situation: T\n    answers: [No]\n    expect: stop\n",
        [
            f"{P}:43:5: examples[0].situation: the key 'situation' appears twice, on lines 42 "
            "and 43: keep only one of them",
        ],
        id="duplicate-key",
    ),
    pytest.param(
        "  situation: S\n",
        [
            f"{P}:42:3: examples: expected a list of worked examples, one '- situation: ...' "
            "item per example with its 'answers:' and 'expect:' indented below, but received a "
            "group of 'key: value' lines",
        ],
        id="examples-not-a-list",
    ),
    pytest.param(
        "",
        [
            f"{P}:41:1: examples: expected a list of worked examples, one '- situation: ...' "
            "item per example with its 'answers:' and 'expect:' indented below, but received "
            "nothing",
        ],
        id="examples-empty",
    ),
    pytest.param(
        "  - A prospect asks for payroll\n",
        [
            f"{P}:42:5: examples[0]: expected an example's 'situation:', 'answers:' and "
            "'expect:' lines but received the text 'A prospect asks for payroll'",
        ],
        id="example-not-a-mapping",
    ),
    pytest.param(
        "  - situation: [a, b]\n    answers: [No]\n    expect: stop\n",
        [
            f"{P}:42:16: examples[0].situation: expected text but received a list: write the "
            "situation on the same line, after the ':'",
        ],
        id="situation-not-text",
    ),
    pytest.param(
        f"  - situation: {'x' * 201}\n    answers: [No]\n    expect: stop\n",
        [
            f"{P}:42:16: examples[0].situation: 201 characters in this situation, but at most "
            "200 keep each situation to a sentence or two: shorten the situation",
        ],
        id="situation-too-long",
    ),
    pytest.param(
        "  - situation: S\n    answers: [" + ", ".join(["No"] * 26) + "]\n    expect: stop\n",
        [
            f"{P}:43:115: examples[0].answers[25]: 26 answers in this example, but at most 25 "
            "are needed, since no walk of a tree may be longer: check the answers against the "
            "tree: a walk ends at its first outcome",
        ],
        id="too-many-answers",
    ),
    pytest.param(
        "  - situation: S\n    answers: [Yes, Yess]\n    expect: go\n"
        "  - situation: T\n    answers: [No]\n    expect: go\n",
        [
            f"{P}:43:20: examples[0].answers[1]: the question 'r' (Can we staff it?) offers no "
            "answer 'Yess': write one of 'Yes, easily' or 'Not now' exactly as the question "
            "has it",
            f"{P}:47:13: examples[1].expect: the answers lead to 'stop' (Decline), but this "
            "example expects 'go' (Take it on): correct the answers or 'expect', or the tree if "
            "it is the tree that now decides wrongly",
        ],
        id="all-in-one-build",
    ),
]


@pytest.mark.parametrize(("examples", "expected"), MISTAKES)
def test_example_mistake_is_reported_at_the_entry_at_fault(examples, expected):
    assert messages(with_examples(examples)) == expected


def test_too_many_examples_names_the_limit():
    one = "  - situation: S{n}\n    answers: [No]\n    expect: stop\n"
    body = with_examples("".join(one.format(n=n) for n in range(MAX_EXAMPLES + 1)))
    line = 42 + 3 * MAX_EXAMPLES
    assert messages(body) == [
        f"{P}:{line}:5: examples[20]: 21 worked examples in this tree, but at most 20 keep the "
        "page short enough that readers still read them: keep the examples that teach the "
        "most, at least one for each outcome"
    ]


def test_examples_at_the_limit_are_fine():
    one = "  - situation: S{n}\n    answers: [No]\n    expect: stop\n"
    body = with_examples("".join(one.format(n=n) for n in range(MAX_EXAMPLES)))
    assert messages(body) == []


def test_an_example_through_a_broken_node_stops_quietly():
    """The broken node has its own message; the example adds none about it."""
    body = with_examples("  - situation: S\n    answers: [Yes, Yes, easily]\n    expect: go\n")
    body = body.replace("    question: Can we staff it?\n", "")
    assert messages(body) == [
        f"{P}:22:3: nodes.r: this node has neither 'question' nor 'outcome': add 'question:' "
        "and 'answers:' to ask something, or 'outcome:', 'verdict:' and 'read:' to end a walk"
    ]


# ---------------------------------------------------------------- random trees and walks


@st.composite
def walks(draw: st.DrawFn, spec) -> tuple[list[str], str]:
    """A random walk of a generated tree: the labels given and the outcome reached."""
    name, labels = spec.start, []
    while "question" in spec.nodes[name]:
        label, name = draw(st.sampled_from(spec.nodes[name]["answers"]))
        labels.append(label)
    return labels, name


def examples_yaml(examples: list[tuple[str, list[str], str]], styles: list[int]) -> str:
    lines = ["examples:"]
    for n, (situation, labels, expect) in enumerate(examples):
        written = ", ".join(
            scalar(label, styles[(n + i) % len(styles)]) for i, label in enumerate(labels)
        )
        lines += [f"  - situation: {scalar(situation, 2)}", f"    answers: [{written}]",
                  f"    expect: {expect}"]  # fmt: skip
    return "\n".join(lines) + "\n"


@settings(PROFILE)
@given(st.data())
def test_random_walks_written_as_examples_check_out_and_walk_back_the_same(data):
    spec = data.draw(valid_specs())
    chosen = data.draw(st.lists(walks(spec), min_size=1, max_size=4))
    styles = data.draw(st.lists(st.integers(0, 2), min_size=1, max_size=8))
    examples = [(f"Situation {n}", labels, end) for n, (labels, end) in enumerate(chosen)]
    tree, problems = load_tree(fence_of(spec.yaml + examples_yaml(examples, styles)), "fit/t.md")
    assert problems == []
    assert tree is not None
    for example, (_, labels, end) in zip(tree.examples, examples, strict=True):
        steps, outcome = tree.example_walk(example)
        assert [step.answer.label for step in steps] == labels
        assert outcome.id == end


@settings(PROFILE)
@given(st.data())
def test_an_example_expecting_another_outcome_is_reported_at_its_expect(data):
    spec = data.draw(valid_specs())
    outcomes = [name for name, node in spec.nodes.items() if "outcome" in node]
    labels, end = data.draw(walks(spec))
    wrong = data.draw(st.sampled_from(outcomes))
    body = spec.yaml + examples_yaml([("S", labels, wrong)], [0])
    expect_line = 10 + body.count("\n")  # the last line of the fence body
    problems = load_tree(fence_of(body), "fit/t.md")[1]
    if wrong == end:
        assert problems == []
    else:
        assert [(p.line, p.col, p.key) for p in problems] == [
            (expect_line, 13, "examples[0].expect")
        ]
        assert f"the answers lead to '{end}' (" in problems[0].message
