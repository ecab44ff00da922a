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
- a fence body of at most 100,000 characters: the build stays quick.

Every check is iterative and linear in nodes plus answers, so a huge or deep tree is
rejected quickly, never with a RecursionError.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from problems import Problem, did_you_mean
from trees.model import Outcome, Pos, Question, Tree

MAX_NODES = 150
MAX_DEPTH = 25
MAX_ANSWERS = 8
MAX_TEXT = 200  # title, question, outcome
MAX_LABEL = 80
MAX_MARKDOWN = 3000  # summary, help, body
MAX_ID = 64
MAX_FENCE_CHARS = 100_000

# Why each limit exists, in the words a message uses after "at most N ...".
WHY_NODES = "keep the flowchart readable and the page quick to load"
WHY_DEPTH = "keep a walk short enough for a reader to finish"
WHY_ANSWERS = "let a reader weigh them and keep the flowchart narrow"
WHY_TEXT = "fit in the flowchart's boxes"
WHY_LABEL = "fit on the flowchart's arrows"
WHY_MARKDOWN = "keep each step short (longer explanations belong in the article it links to)"
WHY_ID = "keep web addresses short"
WHY_FENCE = "keep the build quick"


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


def check_site_trees(trees: list[Tree], display_path: Callable[[str], str]) -> list[Problem]:
    """Report every tree whose id an earlier tree already uses (ids appear in web addresses).

    `display_path` turns a page under docs/ into the path a message shows.
    """
    problems = []
    first: dict[str, Tree] = {}
    for tree in trees:
        earlier = first.setdefault(tree.id, tree)
        if earlier is tree:
            continue
        problems.append(
            Problem(
                display_path(tree.page),
                tree.pos.line,
                tree.pos.col,
                f"the tree id '{tree.id}' is already used by the tree at "
                f"{display_path(earlier.page)}:{earlier.pos.line}; tree ids appear in web "
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
