"""The decision-tree model: plain frozen dataclasses, no I/O, no YAML, no HTML.

Parsing builds it, checking inspects it, layout and rendering draw it; each is tested on
its own. Positions are 1-based lines and columns in the page's `.md` file, so any part of
the model can be turned into a message that points at what the writer typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Verdict = Literal["go", "caution", "decline"]
VERDICTS: tuple[Verdict, ...] = ("go", "caution", "decline")


@dataclass(frozen=True, order=True, slots=True)
class Pos:
    """A place in a page's Markdown file: 1-based line and column."""

    line: int
    col: int


@dataclass(frozen=True)
class MarkdownText:
    """A Markdown field (`summary`, `help`, `body`) and where its first character stands.

    In a block scalar (`|` or `>`) every line of the text starts at `pos.col` on its own line
    of the file; in a flow scalar only the first line maps exactly.
    """

    text: str
    pos: Pos
    block: bool = False

    def position_of(self, line: int, col: int) -> Pos:
        """Map a 0-based line and column inside `text` to a place in the page file."""
        if line == 0:
            return Pos(self.pos.line, self.pos.col + col)
        if self.block:
            return Pos(self.pos.line + line, self.pos.col + col)
        return self.pos


@dataclass(frozen=True)
class ReadLink:
    """One entry of an outcome's `read` list, exactly as written."""

    target: str
    pos: Pos


@dataclass(frozen=True)
class Answer:
    label: str
    next: str
    pos: Pos  # the answer's `next` value, where a dangling reference is reported


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    answers: tuple[Answer, ...]
    pos: Pos  # the node's id in the `nodes` mapping
    help: MarkdownText | None = None


@dataclass(frozen=True)
class Outcome:
    id: str
    text: str
    verdict: Verdict
    read: tuple[ReadLink, ...]
    pos: Pos
    body: MarkdownText | None = None


Node = Question | Outcome


@dataclass(frozen=True)
class ExampleAnswer:
    """One entry of a worked example's `answers` list: an answer label, exactly as typed."""

    label: str
    pos: Pos


@dataclass(frozen=True)
class Example:
    """A worked example: a situation, the answers a reader gives from `start`, the outcome.

    Only checked examples reach the model: every label is offered by the question the walk
    has reached, and the walk ends exactly at `expect`, an outcome.
    """

    situation: str
    answers: tuple[ExampleAnswer, ...]
    expect: str
    pos: Pos  # the example's `situation` value


@dataclass(frozen=True)
class Step:
    """One question of a walk and the answer given to it."""

    question: Question
    answer: Answer


@dataclass(frozen=True)
class Tree:
    """One checked decision tree from one fence in one page."""

    id: str
    title: str
    start: str
    nodes: dict[str, Node] = field(hash=False)  # in the order the writer wrote them
    page: str  # the page's path under docs/, e.g. "fit/take-on-request.md"
    pos: Pos  # the opening fence
    summary: MarkdownText | None = None
    examples: tuple[Example, ...] = ()
    id_pos: Pos | None = None  # the value of its `id:` line, where messages about the id point

    def walk(self, labels: tuple[str, ...] | list[str]) -> tuple[tuple[Step, ...], Outcome]:
        """The steps and outcome of a checked example's answers (see `Example`)."""
        steps: list[Step] = []
        node = self.nodes[self.start]
        for label in labels:
            assert isinstance(node, Question)
            answer = next(a for a in node.answers if a.label == label)
            steps.append(Step(node, answer))
            node = self.nodes[answer.next]
        assert isinstance(node, Outcome)
        return tuple(steps), node

    def example_walk(self, example: Example) -> tuple[tuple[Step, ...], Outcome]:
        """The steps and outcome of one of this tree's worked examples."""
        return self.walk([answer.label for answer in example.answers])

    def anchor(self, node_id: str) -> str:
        """The HTML id of a node's section; ids never hold `--`, so this is unambiguous."""
        return f"{self.id}--{node_id}"
