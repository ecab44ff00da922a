"""Graph checks on a decision tree, the limits that keep a tree usable, and site-wide ids.

A tree is a graph of nodes joined by answers. A reader must be able to walk it from `start`
to an outcome whatever they answer, so every `next` must name a node, every node must be
reachable, no walk may go round a loop, and every question must lead to some outcome.

The limits, and why each one exists (a tree past any of them fails with a message that says
which limit and why):

- at most 150 nodes: the flowchart stays readable and the page quick to load;
- at most 25 questions on the longest walk from `start` to an outcome: a reader can finish;
- at most 8 answers per question: a reader can weigh them and the flowchart stays narrow;
- a title, question or outcome of at most 200 characters, a label of at most 80: they are
  drawn inside the flowchart's boxes and on its arrows;
- a summary, help or body of at most 3,000 characters: longer explanations belong in the
  article, linked from the outcome's `read`;
- ids of at most 64 characters: they appear in web addresses;
- at most 20 worked examples, each a situation of at most 200 characters and at most 25
  answers (the longest walk a tree may have): the examples are shown under the tree;
- a fence body of at most 100,000 characters: the build stays quick.

Every check is iterative and linear in nodes plus answers, so a huge or deep tree is
rejected quickly, never with a RecursionError.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from problems import Problem, did_you_mean, page_path
from trees.model import ExampleAnswer, Outcome, Pos, Question, Tree
from trees.model import Node as TreeNode

MAX_NODES = 150
MAX_DEPTH = 25
MAX_ANSWERS = 8
MAX_TEXT = 200  # title, question, outcome
MAX_LABEL = 80
MAX_MARKDOWN = 3000  # summary, help, body
MAX_ID = 64
MAX_FENCE_CHARS = 100_000
MAX_EXAMPLES = 20

# Why each limit exists, in the words a message uses after "at most N ...".
WHY_NODES = "keep the flowchart readable and the page quick to load"
WHY_DEPTH = "keep a walk short enough for a reader to finish"
WHY_ANSWERS = "let a reader weigh them and keep the flowchart narrow"
WHY_TEXT = "fit in the flowchart's boxes"
WHY_LABEL = "fit on the flowchart's arrows"
WHY_MARKDOWN = "keep each step short (longer explanations belong in the article it links to)"
WHY_ID = "keep web addresses short"
WHY_FENCE = "keep the build quick"
WHY_EXAMPLES = "keep the page short enough that readers still read them"
WHY_SITUATION = "keep each situation to a sentence or two"


@dataclass(frozen=True)
class Edge:
    """An answer as the graph checks see it: the node it leads to and where that is written."""

    next: str
    pos: Pos
    key: str  # "nodes.core.answers[1].next"


@dataclass(frozen=True)
class Step:
    """A node as the graph checks see it.

    `kind` is None for a node that is neither question nor outcome, or both; `complete` is
    False when some of a question's answers could not be read, so its edges are partial.
    """

    id: str
    pos: Pos
    kind: Literal["question", "outcome"] | None
    edges: tuple[Edge, ...] = ()
    complete: bool = True


def steps_of(tree: Tree) -> list[Step]:
    """The graph of a parsed `Tree`, for `check_tree`."""
    steps = []
    for node in tree.nodes.values():
        if isinstance(node, Question):
            edges = tuple(
                Edge(answer.next, answer.pos, f"nodes.{node.id}.answers[{i}].next")
                for i, answer in enumerate(node.answers)
            )
            steps.append(Step(node.id, node.pos, "question", edges))
        elif isinstance(node, Outcome):
            steps.append(Step(node.id, node.pos, "outcome"))
    return steps


def too_many(count: int, limit: int, things: str, why: str, fix: str) -> str:
    """The message for a count over a limit: what, how many, the limit and why, what to do."""
    return f"{count:,} {things}, but at most {limit:,} {why}: {fix}"


def check_tree(start: str, start_pos: Pos, steps: Sequence[Step], path: str) -> list[Problem]:
    """Check a tree's graph: `start` and every `next` name a node, all nodes reachable,
    no loops, an outcome reachable from every question, the node and depth limits.

    `path` is the page as the writer knows it ("docs/fit/take-on.md"). A tree over the node
    limit gets that message and the depth one only: it has to be split before the rest helps.
    """
    problems: list[Problem] = []

    def report(pos: Pos, key: str, message: str) -> None:
        problems.append(Problem(path, pos.line, pos.col, message, key))

    by_id: dict[str, Step] = {}
    for step in steps:
        by_id.setdefault(step.id, step)
    oversize = len(steps) > MAX_NODES
    if oversize:
        first_over = steps[MAX_NODES]
        report(
            first_over.pos,
            f"nodes.{first_over.id}",
            too_many(
                len(steps),
                MAX_NODES,
                "nodes in this tree",
                f"{WHY_NODES} (this is node {MAX_NODES + 1:,})",
                "split it into smaller trees whose outcomes link to each other",
            ),
        )

    if start not in by_id:
        report(start_pos, "start", _no_node(start, by_id))
    # Whether every answer is known and leads somewhere: only then does "never reached"
    # mean the node is lost, rather than that a broken answer was meant to lead to it.
    whole = all(step.kind is not None and step.complete for step in steps)
    if not oversize:
        for step in steps:
            for edge in step.edges:
                if edge.next not in by_id:
                    whole = False
                    report(edge.pos, edge.key, _no_node(edge.next, by_id))

    order, loops = _walk(start, steps, by_id, with_paths=not oversize)
    if not oversize:
        for edge, loop in loops:
            report(
                edge.pos,
                edge.key,
                f"this answer leads back to '{loop[0]}', so a walk could go round forever "
                f"({' → '.join(loop)}): point it at a node further on, "
                "so that every walk ends at an outcome",
            )
        if whole:
            problems.extend(_unreachable(start, steps, by_id, path))
        problems.extend(_dead_ends(steps, by_id, path))
    if not loops and start in by_id:
        depth = _depth(start, order, by_id)
        if depth > MAX_DEPTH:
            report(
                start_pos,
                "start",
                too_many(
                    depth,
                    MAX_DEPTH,
                    "questions on the longest walk from here to an outcome",
                    WHY_DEPTH,
                    "ask fewer questions in a row, or split the tree",
                ),
            )
    return problems


def check_site_trees(trees: list[Tree]) -> list[Problem]:
    """Report every tree whose id an earlier tree already uses (ids appear in web addresses)."""
    problems = []
    first: dict[str, Tree] = {}
    for tree in trees:
        earlier = first.setdefault(tree.id, tree)
        if earlier is tree:
            continue
        here, there = tree.id_pos or tree.pos, earlier.id_pos or earlier.pos
        problems.append(
            Problem(
                page_path(tree.page),
                here.line,
                here.col,
                f"the tree id '{tree.id}' is already used by the tree at "
                f"{page_path(earlier.page)}:{there.line}; tree ids appear in web "
                "addresses, so each must be unique across the site: rename one of them",
                "id",
            )
        )
    return problems


def _no_node(name: str, by_id: dict[str, Step]) -> str:
    """ "no node 'x'" with the nearest id, or what a node id is when none is near."""
    hint = did_you_mean(name, by_id)
    if hint:
        return f"no node '{name}'{hint}"
    return f"no node '{name}': use the id of one of the nodes under 'nodes'"


def _walk(
    start: str, steps: Sequence[Step], by_id: dict[str, Step], with_paths: bool
) -> tuple[list[str], list[tuple[Edge, list[str]]]]:
    """Depth-first over every node, `start` first, without recursion.

    Returns the nodes in post-order (children before parents) and each answer that closes a
    loop with the loop's path, from the node it leads back to round to that node again. The
    paths are left empty unless `with_paths`: copying them costs nodes times loops, which is
    fine within the node limit but not in a tree far past it.
    """
    done: set[str] = set()
    on_path: dict[str, int] = {}  # node id -> its index in `path`
    path: list[str] = []
    order: list[str] = []
    loops: list[tuple[Edge, list[str]]] = []
    roots = [start] if start in by_id else []
    roots += [step.id for step in steps]
    for root in roots:
        if root in done or root in on_path:
            continue
        stack = [(root, iter(by_id[root].edges))]
        on_path[root] = 0
        path.append(root)
        while stack:
            node, edges = stack[-1]
            edge = next(edges, None)
            if edge is None:
                stack.pop()
                path.pop()
                del on_path[node]
                done.add(node)
                order.append(node)
                continue
            target = edge.next
            if target not in by_id or target in done:
                continue
            if target in on_path:
                loop = [*path[on_path[target] :], target] if with_paths else []
                loops.append((edge, loop))
                continue
            on_path[target] = len(path)
            path.append(target)
            stack.append((target, iter(by_id[target].edges)))
    return order, loops


def _unreachable(
    start: str, steps: Sequence[Step], by_id: dict[str, Step], path: str
) -> list[Problem]:
    """A problem for each node no walk from `start` reaches (nothing when `start` is wrong)."""
    if start not in by_id:
        return []
    seen = {start}
    queue = [start]
    for node in queue:  # the list grows as we go: a breadth-first search
        for edge in by_id[node].edges:
            if edge.next in by_id and edge.next not in seen:
                seen.add(edge.next)
                queue.append(edge.next)
    return [
        Problem(
            path,
            step.pos.line,
            step.pos.col,
            f"a reader starting at '{start}' can never reach this node: point an answer's "
            f"'next' at '{step.id}', or remove the node",
            f"nodes.{step.id}",
        )
        for step in steps
        if step.id not in seen and by_id[step.id] is step
    ]


def _dead_ends(steps: Sequence[Step], by_id: dict[str, Step], path: str) -> list[Problem]:
    """A problem for each question from which no outcome can be reached.

    Without loops every walk ends, so this only finds questions whose answers all lead round
    loops. A node that is neither question nor outcome, a question whose answers could not
    all be read, or an answer naming no node already has its own message; each counts as an
    end here so that one mistake is not reported twice.
    """
    leads_to: dict[str, list[str]] = {}  # node id -> the questions with an answer leading to it
    ends: list[str] = []
    for step in steps:
        if by_id[step.id] is not step:
            continue
        broken = not step.complete or any(edge.next not in by_id for edge in step.edges)
        if step.kind != "question" or broken:
            ends.append(step.id)
        for edge in step.edges:
            leads_to.setdefault(edge.next, []).append(step.id)
    ending = set(ends)
    for node in ends:  # grows as we go: a breadth-first search backwards from the ends
        for source in leads_to.get(node, ()):
            if source not in ending:
                ending.add(source)
                ends.append(source)
    return [
        Problem(
            path,
            step.pos.line,
            step.pos.col,
            "no outcome can be reached from this question: every answer leads round a loop; "
            "point an answer at an outcome, or at a question that leads to one",
            f"nodes.{step.id}",
        )
        for step in steps
        if step.id not in ending and by_id[step.id] is step
    ]


def _depth(start: str, order: list[str], by_id: dict[str, Step]) -> int:
    """The most questions on any walk from `start`; `order` is a loop-free post-order."""
    depth: dict[str, int] = {}
    for node in order:
        step = by_id[node]
        below = [depth[edge.next] for edge in step.edges if edge.next in depth]
        depth[node] = 1 + max(below, default=0) if step.kind == "question" else 0
    return depth.get(start, 0)


@dataclass(frozen=True)
class ExampleDraft:
    """A worked example as far as it could be read; None marks a part with its own problem."""

    key: str  # "examples[2]"
    situation: str | None
    answers: tuple[ExampleAnswer, ...] | None
    answers_pos: Pos | None  # the 'answers' key
    expect: str | None
    expect_pos: Pos | None
    pos: Pos


def check_examples(
    start: str, nodes: dict[str, TreeNode], examples: Sequence[ExampleDraft], path: str
) -> list[Problem]:
    """Walk each worked example from `start` and report, at the entry at fault, where it
    leaves the tree or ends anywhere but at its `expect` outcome.

    Nodes that could not be read are missing from `nodes`; a walk that meets one stops
    quietly, since that node has its own message.
    """
    problems: list[Problem] = []

    def report(pos: Pos, key: str, message: str) -> None:
        problems.append(Problem(path, pos.line, pos.col, message, key))

    for example in examples:
        expected = nodes.get(example.expect) if example.expect is not None else None
        reached = _walk_example(start, nodes, example, report)
        if example.expect is None or example.expect_pos is None:
            continue
        key = f"{example.key}.expect"
        if example.expect not in nodes:
            outcomes = [node.id for node in nodes.values() if isinstance(node, Outcome)]
            report(
                example.expect_pos,
                key,
                f"no node '{example.expect}'{did_you_mean(example.expect, outcomes)}: write "
                "the id of the outcome this situation must reach",
            )
        elif isinstance(expected, Question):
            ends = f" (its answers reach '{reached.id}')" if reached is not None else ""
            report(
                example.expect_pos,
                key,
                f"'{example.expect}' is a question ({expected.text}), but an example ends at "
                f"an outcome: write the id of the outcome this situation must reach{ends}",
            )
        elif isinstance(expected, Outcome) and reached is not None and reached is not expected:
            report(
                example.expect_pos,
                key,
                f"the answers lead to '{reached.id}' ({reached.text}), but this example "
                f"expects '{expected.id}' ({expected.text}): correct the answers or 'expect', "
                "or the tree if it is the tree that now decides wrongly",
            )
    return problems


def _walk_example(
    start: str,
    nodes: dict[str, TreeNode],
    example: ExampleDraft,
    report: Callable[[Pos, str, str], None],
) -> Outcome | None:
    """Follow an example's answers from `start`; the outcome it ends at, or None (reported,
    or stopped at a node that has its own problem)."""
    if example.answers is None:
        return None
    node = nodes.get(start)
    for index, answer in enumerate(example.answers):
        key = f"{example.key}.answers[{index}]"
        if node is None:
            return None
        if isinstance(node, Outcome):
            given = "1 answer" if index == 1 else f"{index} answers"
            report(
                answer.pos,
                key,
                f"the walk already ends at the outcome '{node.id}' ({node.text}) after "
                f"{given}, so '{answer.label}' and any answers after it are left over: "
                "remove them, or correct the answers before them",
            )
            return None
        labels = [choice.label for choice in node.answers]
        chosen = next((choice for choice in node.answers if choice.label == answer.label), None)
        if chosen is None:
            report(
                answer.pos,
                key,
                f"the question '{node.id}' ({node.text}) offers no answer "
                f"'{answer.label}'{did_you_mean(answer.label, labels)}: write one of "
                f"{_quoted(labels)} exactly as the question has it",
            )
            return None
        node = nodes.get(chosen.next)
    if isinstance(node, Question):
        labels = [choice.label for choice in node.answers]
        last = example.answers[-1]
        report(
            last.pos,
            f"{example.key}.answers[{len(example.answers) - 1}]",
            f"the answers run out at the question '{node.id}' ({node.text}): add the answer "
            f"this situation gives, one of {_quoted(labels)}",
        )
        return None
    return node


def _quoted(words: Sequence[str]) -> str:
    """'a', 'b' or 'c'."""
    quoted = [f"'{word}'" for word in words]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"
