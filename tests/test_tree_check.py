"""Graph checks of a tree, its size limits, and tree ids across the site."""

from __future__ import annotations

import pytest

from trees.check import Edge, Step, check_site_trees, check_tree, steps_of
from trees.model import Answer, Outcome, Pos, Question, ReadLink, Tree

START = Pos(3, 8)


def graph(**nodes: list[str] | None) -> list[Step]:
    """Steps from `name=[next, ...]` (a question) or `name=None` (an outcome).

    Node number i (from 0) stands on line 10 * (i + 1); its answer j on the lines below.
    """
    steps = []
    for i, (name, answers) in enumerate(nodes.items()):
        line = 10 * (i + 1)
        if answers is None:
            steps.append(Step(name, Pos(line, 3), "outcome"))
            continue
        edges = tuple(
            Edge(target, Pos(line + j + 1, 15), f"nodes.{name}.answers[{j}].next")
            for j, target in enumerate(answers)
        )
        steps.append(Step(name, Pos(line, 3), "question", edges))
    return steps


def check(steps: list[Step], start: str = "a") -> list[str]:
    """The messages for a tree of `steps` that starts at `start`."""
    return [str(problem) for problem in check_tree(start, START, steps, "docs/p.md")]


@pytest.mark.parametrize(
    ("steps", "start", "expected"),
    [
        pytest.param(graph(a=["b", "c"], b=None, c=None), "a", [], id="valid"),
        pytest.param(
            graph(core=["yes", "no"], yes=None, no=None),
            "Core",
            ["docs/p.md:3:8: start: no node 'Core' (did you mean 'core'?)"],
            id="start-typo",
        ),
        pytest.param(
            graph(a=["b", "c"], b=None, c=None),
            "zzz",
            ["docs/p.md:3:8: start: no node 'zzz': use the id of one of the nodes under 'nodes'"],
            id="start-names-nothing",
        ),
        pytest.param(
            graph(a=["approve", "aprove"], approve=None),
            "a",
            [
                "docs/p.md:12:15: nodes.a.answers[1].next: "
                "no node 'aprove' (did you mean 'approve'?)"
            ],
            id="next-typo-and-no-unreachable-noise",
        ),
        pytest.param(
            graph(a=["b", "c"], b=None, c=None, lost=None, gone=["b", "c"]),
            "a",
            [
                (
                    "docs/p.md:40:3: nodes.lost: a reader starting at 'a' can never reach this "
                    "node: point an answer's 'next' at 'lost', or remove the node"
                ),
                (
                    "docs/p.md:50:3: nodes.gone: a reader starting at 'a' can never reach this "
                    "node: point an answer's 'next' at 'gone', or remove the node"
                ),
            ],
            id="unreachable",
        ),
        pytest.param(
            graph(a=["b", "end"], b=["c", "end"], c=["a", "end"], end=None),
            "a",
            [
                (
                    "docs/p.md:31:15: nodes.c.answers[0].next: this answer leads back to 'a', "
                    "so a walk could go round forever (a → b → c → a): point it at a node "
                    "further on, so that every walk ends at an outcome"
                ),
            ],
            id="cycle-with-its-path",
        ),
        pytest.param(
            graph(a=["b", "end"], b=["c", "c"], c=["b", "b"], end=None),
            "a",
            [
                (
                    "docs/p.md:31:15: nodes.c.answers[0].next: this answer leads back to 'b', "
                    "so a walk could go round forever (b → c → b): point it at a node further "
                    "on, so that every walk ends at an outcome"
                ),
                (
                    "docs/p.md:32:15: nodes.c.answers[1].next: this answer leads back to 'b', "
                    "so a walk could go round forever (b → c → b): point it at a node further "
                    "on, so that every walk ends at an outcome"
                ),
                (
                    "docs/p.md:20:3: nodes.b: no outcome can be reached from this question: "
                    "every answer leads round a loop; point an answer at an outcome, or at a "
                    "question that leads to one"
                ),
                (
                    "docs/p.md:30:3: nodes.c: no outcome can be reached from this question: "
                    "every answer leads round a loop; point an answer at an outcome, or at a "
                    "question that leads to one"
                ),
            ],
            id="questions-that-reach-no-outcome",
        ),
    ],
)
def test_graph_mistake_is_reported(steps, start, expected):
    assert check(steps, start) == expected


def chain(length: int) -> list[Step]:
    """`length` questions in a row, each also leading to `end`, then two outcomes."""
    steps = [
        Step(
            f"q{i}",
            Pos(i + 10, 3),
            "question",
            (
                Edge(f"q{i + 1}", Pos(i + 10, 20), f"nodes.q{i}.answers[0].next"),
                Edge("end", Pos(i + 10, 30), f"nodes.q{i}.answers[1].next"),
            ),
        )
        for i in range(length)
    ]
    return [*steps, Step(f"q{length}", Pos(1, 1), "outcome"), Step("end", Pos(2, 1), "outcome")]


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        pytest.param(chain(25), [], id="25-deep-is-fine"),
        pytest.param(
            chain(26),
            [
                "docs/p.md:3:8: start: 26 questions on the longest walk from here to an "
                "outcome, but at most 25 keep a walk short enough for a reader to finish: ask "
                "fewer questions in a row, or split the tree"
            ],
            id="26-deep",
        ),
        pytest.param(
            chain(2000),
            [
                "docs/p.md:160:3: nodes.q150: 2,002 nodes in this tree, but at most 150 keep "
                "the flowchart readable and the page quick to load (this is node 151): split "
                "it into smaller trees whose outcomes link to each other",
                "docs/p.md:3:8: start: 2,000 questions on the longest walk from here to an "
                "outcome, but at most 25 keep a walk short enough for a reader to finish: ask "
                "fewer questions in a row, or split the tree",
            ],
            id="2000-deep",
        ),
        pytest.param(
            graph(**{f"n{i}": [f"n{i + 1}", "n0"] for i in range(2999)}, n2999=None),
            [
                "docs/p.md:1510:3: nodes.n150: 3,000 nodes in this tree, but at most 150 keep "
                "the flowchart readable and the page quick to load (this is node 151): split "
                "it into smaller trees whose outcomes link to each other"
            ],
            id="3000-nodes-full-of-loops",
        ),
    ],
)
def test_big_tree_fails_fast_with_the_limit(steps, expected):
    start = steps[0].id
    assert check(steps, start) == expected


def test_a_tree_too_big_for_the_limit_gets_no_per_node_messages():
    steps = graph(**{f"n{i}": None for i in range(200)})
    assert check(steps, "n0")[0].startswith("docs/p.md:1510:3: nodes.n150: 200 nodes")
    assert len(check(steps, "n0")) == 1


def tree(page: str, tree_id: str, line: int) -> Tree:
    """A small valid tree at `line` of `page`."""
    return Tree(
        id=tree_id,
        title="T",
        start="q",
        nodes={
            "q": Question("q", "Q?", (Answer("Yes", "go", Pos(line + 6, 15)),), Pos(line + 5, 3)),
            "go": Outcome(
                "go", "Go", "go", (ReadLink("a.md", Pos(line + 10, 11)),), Pos(line + 8, 3)
            ),
        },
        page=page,
        pos=Pos(line, 1),
    )


def test_steps_of_a_tree_are_its_graph():
    assert steps_of(tree("p.md", "t", 10)) == [
        Step("q", Pos(15, 3), "question", (Edge("go", Pos(16, 15), "nodes.q.answers[0].next"),)),
        Step("go", Pos(18, 3), "outcome"),
    ]


def test_same_tree_id_on_two_pages_or_twice_on_one_is_reported_at_the_later_one():
    trees = [
        tree("fit/a.md", "take-on", 5),
        tree("fit/b.md", "other", 7),
        tree("fit/b.md", "take-on", 40),
        tree("fit/a.md", "other", 60),
        tree("fit/a.md", "take-on", 90),
    ]
    problems = check_site_trees(trees)
    assert [str(problem) for problem in problems] == [
        (
            "docs/fit/b.md:40:1: id: the tree id 'take-on' is already used by the tree at "
            "docs/fit/a.md:5; tree ids appear in web addresses, so each must be unique across "
            "the site: rename one of them"
        ),
        (
            "docs/fit/a.md:60:1: id: the tree id 'other' is already used by the tree at "
            "docs/fit/b.md:7; tree ids appear in web addresses, so each must be unique across "
            "the site: rename one of them"
        ),
        (
            "docs/fit/a.md:90:1: id: the tree id 'take-on' is already used by the tree at "
            "docs/fit/a.md:5; tree ids appear in web addresses, so each must be unique across "
            "the site: rename one of them"
        ),
    ]


def test_distinct_tree_ids_pass():
    trees = [tree("a.md", "one", 1), tree("a.md", "two", 30), tree("b.md", "three", 1)]
    assert check_site_trees(trees) == []
