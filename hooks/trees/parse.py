"""Read a ```decision-tree fence's YAML into a `Tree`, or say exactly what is wrong and where.

YAML is read as events and assembled into PyYAML nodes here, without recursion, so nothing is
ever constructed from it: a tag such as ``!!python/object`` is refused, never obeyed; every
scalar keeps the text the writer typed (``Yes``, ``On`` and ``1.10`` stay text; YAML 1.1
would turn them into a boolean and a number); anchors, aliases and merge keys are refused so a
tree reads the same on the page as in the build; duplicate keys, which YAML parsers silently
collapse, are caught at every level. Each node keeps its marks, so every message names the
line and column in the page's `.md` file.

All problems are gathered, then the graph checks of `trees.check` run, and a `Tree` is
returned only when nothing is wrong. Only the plain-text forms of a few keys are lenient:
`read` may be one link instead of a list of one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NoReturn

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader, ReaderError
from yaml.scanner import Scanner

from problems import Problem, did_you_mean, page_path
from trees import check
from trees.fences import INFO, Fence
from trees.model import (
    VERDICTS,
    Answer,
    Example,
    ExampleAnswer,
    MarkdownText,
    Outcome,
    Pos,
    Question,
    ReadLink,
    Tree,
)
from trees.model import Node as TreeNode

# A tree needs five levels (tree, nodes, node, answers, answer); twenty leaves room for
# mistakes while stopping "[[[[..." long before it costs time.
MAX_NESTING = 20

ID_RULE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
TREE_KEYS = ("id", "title", "start", "nodes", "summary", "examples")
QUESTION_KEYS = ("question", "answers", "help")
OUTCOME_KEYS = ("outcome", "verdict", "body", "read")
ANSWER_KEYS = ("label", "next")
EXAMPLE_KEYS = ("situation", "answers", "expect")
UNSAFE_SCHEMES = ("javascript:", "data:", "vbscript:")

# What to write when a required key is missing.
_MISSING = {
    "id": "add 'id:' with a name for the tree in lowercase words joined by hyphens, "
    "like 'take-on-request'",
    "title": "add 'title:' with the tree's heading",
    "start": "add 'start:' with the id of the first question",
    "nodes": "add 'nodes:' with the questions and outcomes, indented below it",
    "answers": "add 'answers:' with at least two '- label: ... next: ...' items",
    "verdict": "add 'verdict:' with one of: go, caution, decline",
    "read": "add 'read:' with a link to the article that explains this outcome",
    "label": "add 'label:' with the answer's text",
    "next": "add 'next:' with the id of the node this answer leads to",
}

# What to write when a worked example lacks a key.
_MISSING_IN_EXAMPLE = {
    "situation": "add 'situation:' with the situation in a sentence, as a reader meets it",
    "answers": "add 'answers:' with the answer labels a reader gives, in order from the "
    "start, like 'answers: [Yes, Partly]'",
    "expect": "add 'expect:' with the id of the outcome this situation must reach",
}


class PurePythonParser(Reader, Scanner, Parser):
    """PyYAML's own event parser, for a PyYAML built without LibYAML."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)


try:  # LibYAML reads a large tree twenty times faster; the messages come out the same.
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    _Parser = PurePythonParser  # type: ignore[assignment,misc]


class _Refused(Exception):
    """YAML that parses but that a tree does not allow, at a mark in the fence body."""

    def __init__(self, mark: yaml.Mark, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


def load_tree(fence: Fence, page: str) -> tuple[Tree | None, list[Problem]]:
    """Parse and check one fence of `page` (path under docs/).

    Returns the `Tree` and no problems, or None and every problem found, in page order.
    """
    reader = _TreeReader(fence, page_path(page))
    if not fence.closed:
        reader.report_at(
            Pos(fence.line, fence.body_col),
            "",
            f"this {fence.marker}{INFO} fence is never closed, so the tree runs to "
            f"the end of the page: add a line with {fence.marker} after the tree",
        )
    tree = reader.tree(page)
    problems = sorted(reader.problems, key=lambda problem: (problem.line, problem.col))
    return (tree if not problems else None), problems


class _TreeReader:
    """Turns one fence's YAML into model objects, collecting a `Problem` per mistake."""

    def __init__(self, fence: Fence, path: str) -> None:
        self.fence = fence
        self.path = path  # as messages name the page
        self.problems: list[Problem] = []

    # -- positions and problems ------------------------------------------------------------

    def pos(self, mark: yaml.Mark) -> Pos:
        """A mark in the fence body as a place in the page file."""
        return Pos(self.fence.body_line + mark.line, self.fence.body_col + mark.column)

    def report_at(self, pos: Pos, key: str, message: str) -> None:
        """Record a problem at a place in the page."""
        self.problems.append(Problem(self.path, pos.line, pos.col, message, key))

    def report(self, node: Node, key: str, message: str) -> None:
        """Record a problem at the first character of a YAML node."""
        self.report_at(self.pos(node.start_mark), key, message)

    def report_received(self, key_node: Node, value: Node, key: str, expected: str) -> None:
        """Record "expected ..., but received ..." at the value, or at its key when it is empty."""
        where = key_node if _is_empty(value) else value
        self.report(where, key, f"expected {expected}, but received {_describe(value)}")

    # -- the tree --------------------------------------------------------------------------

    def tree(self, page: str) -> Tree | None:
        """Read the whole tree; None when anything is wrong."""
        fence_pos = Pos(self.fence.line, self.fence.body_col)
        if len(self.fence.body) > check.MAX_FENCE_CHARS:
            self.report_at(
                fence_pos,
                "",
                check.too_many(
                    len(self.fence.body),
                    check.MAX_FENCE_CHARS,
                    "characters of YAML in this tree",
                    check.WHY_FENCE,
                    "split it into smaller trees whose outcomes link to each other",
                ),
            )
            return None
        try:
            root = _compose(self.fence.body)
        except yaml.MarkedYAMLError as error:
            mark, message = _explain(error, self.fence.body)
            self.report_at(self.pos(mark), "", message)
            return None
        except _Refused as refused:
            self.report_at(self.pos(refused.mark), "", refused.message)
            return None
        except ReaderError as error:  # a control character: YAML refuses the whole text
            # LibYAML counts bytes, PyYAML characters: find the character the same way both.
            body, found = self.fence.body, Reader.NON_PRINTABLE.search(self.fence.body)
            at = found.start() if found else error.position
            line, col = body.count("\n", 0, at), at - body.rfind("\n", 0, at) - 1
            self.report_at(
                Pos(self.fence.body_line + line, self.fence.body_col + col),
                "",
                f"the control character U+{error.character:04X} cannot stand in YAML: remove it",
            )
            return None
        if root is None:
            self.report_at(
                fence_pos,
                "",
                "this tree is empty: write its id, title, start and nodes between the fence lines",
            )
            return None
        self.check_keys(root)
        if not isinstance(root, MappingNode):
            self.report(
                root,
                "",
                f"expected the tree's 'key: value' lines (id, title, start, nodes) "
                f"but received {_describe(root)}",
            )
            return None
        fields = self.fields(root, "", TREE_KEYS, "a tree")
        for name in ("id", "title", "start", "nodes"):
            if name not in fields:
                self.report(root, "", f"missing required key '{name}': {_MISSING[name]}")
        tree_id = self.identifier(fields.get("id"), "id", "tree id")
        title = self.text(fields.get("title"), "title", "title", check.MAX_TEXT, check.WHY_TEXT)
        start = self.text(fields.get("start"), "start", "start")
        summary = self.markdown(fields.get("summary"), "summary")
        start_node = fields["start"][1] if start is not None else None
        nodes = self.nodes(fields.get("nodes"), start_node)
        drafts = self.examples(fields.get("examples"))
        if start is not None and nodes is not None:
            self.problems.extend(check.check_examples(start, nodes, drafts, self.path))
        if self.problems or None in (tree_id, title, start, nodes):
            return None
        assert tree_id and title and start and nodes is not None  # for the type checker
        return Tree(
            id=tree_id,
            title=title,
            start=start,
            nodes=nodes,
            page=page,
            pos=fence_pos,
            id_pos=self.pos(fields["id"][1].start_mark),
            summary=summary,
            examples=tuple(
                Example(d.situation, d.answers, d.expect, d.pos)  # type: ignore[arg-type]
                for d in drafts
            ),
        )

    def nodes(
        self, entry: tuple[ScalarNode, Node] | None, start: Node | None
    ) -> dict[str, TreeNode] | None:
        """Read `nodes` and run the graph checks from `start` when it is usable text."""
        if entry is None:
            return None
        key_node, value = entry
        if not isinstance(value, MappingNode) or not value.value:
            nothing = _is_empty(value) or isinstance(value, MappingNode)
            got = "no nodes" if nothing else _describe(value)
            self.report(
                key_node if nothing else value,
                "nodes",
                f"expected the tree's nodes, each an id followed by its indented 'key: value' "
                f"lines, but received {got}",
            )
            return None
        if len(value.value) > check.MAX_NODES:
            first_over = value.value[check.MAX_NODES][0]
            self.report(
                first_over,
                f"nodes.{_scalar_text(first_over)}",
                check.too_many(
                    len(value.value),
                    check.MAX_NODES,
                    "nodes in this tree",
                    f"{check.WHY_NODES} (this is node {check.MAX_NODES + 1:,})",
                    "split it into smaller trees whose outcomes link to each other",
                ),
            )
            return None
        nodes: dict[str, TreeNode] = {}
        steps: list[check.Step] = []
        for id_node, body in value.value:
            if not isinstance(id_node, ScalarNode):
                continue  # reported by check_keys
            node_id = id_node.value
            if node_id in nodes:
                continue  # reported by check_keys
            self.identifier(id_node, f"nodes.{node_id}", "node id")
            node, step = self.node(id_node, body)
            steps.append(step)
            if node is not None:
                nodes.setdefault(node_id, node)
        if isinstance(start, ScalarNode):
            start_id = start.value.strip()
            start_pos = self.pos(start.start_mark)
            self.problems.extend(check.check_tree(start_id, start_pos, steps, self.path))
        return nodes

    def node(self, id_node: ScalarNode, body: Node) -> tuple[TreeNode | None, check.Step]:
        """Read one node; the `Step` for the graph checks is returned even when it is wrong."""
        node_id = id_node.value
        key = f"nodes.{node_id}"
        pos = self.pos(id_node.start_mark)
        if not isinstance(body, MappingNode):
            self.report_received(
                id_node,
                body,
                key,
                "the node's 'key: value' lines, indented below its id (question and "
                "answers, or outcome, verdict and read)",
            )
            return None, check.Step(node_id, pos, None)
        names = {_scalar_text(k) for k, _ in body.value}
        is_question, is_outcome = "question" in names, "outcome" in names
        if is_question and is_outcome:
            self.report(
                id_node,
                key,
                "this node has both 'question' and 'outcome', but a node is either a question "
                "(question, answers) or an outcome (outcome, verdict, read): split it into two "
                "nodes",
            )
        elif not is_question and not is_outcome:
            self.report(
                id_node,
                key,
                "this node has neither 'question' nor 'outcome': add 'question:' and "
                "'answers:' to ask something, or 'outcome:', 'verdict:' and 'read:' to end a "
                "walk",
            )
        if is_question and not is_outcome:
            return self.question(id_node, body)
        if is_outcome and not is_question:
            return self.outcome(id_node, body)
        fields = self.fields(body, key, QUESTION_KEYS + OUTCOME_KEYS, "a node")
        answers, _ = self.answers(fields.get("answers"), key)
        return None, check.Step(node_id, pos, None, tuple(edge for _, edge in answers))

    def question(
        self, id_node: ScalarNode, body: MappingNode
    ) -> tuple[Question | None, check.Step]:
        """Read a question node."""
        node_id = id_node.value
        key = f"nodes.{node_id}"
        fields = self.fields(body, key, QUESTION_KEYS, "a question", other=OUTCOME_KEYS)
        if "answers" not in fields:
            self.report(id_node, key, f"missing required key 'answers': {_MISSING['answers']}")
        text = self.text(
            fields.get("question"), f"{key}.question", "question", check.MAX_TEXT, check.WHY_TEXT
        )
        help_ = self.markdown(fields.get("help"), f"{key}.help")
        answers, complete = self.answers(fields.get("answers"), key)
        pos = self.pos(id_node.start_mark)
        edges = tuple(edge for _, edge in answers)
        step = check.Step(node_id, pos, "question", edges, complete)
        if text is None or "answers" not in fields or None in (a for a, _ in answers):
            return None, step
        return Question(
            node_id, text, tuple(a for a, _ in answers if a is not None), pos, help_
        ), step

    def answers(
        self, entry: tuple[ScalarNode, Node] | None, node_key: str
    ) -> tuple[list[tuple[Answer | None, check.Edge]], bool]:
        """Read a question's answers, and whether every one has a usable `next`.

        An answer with a usable `next` yields its edge for the graph checks even when its
        label is wrong.
        """
        if entry is None:
            return [], False
        key_node, value = entry
        key = f"{node_key}.answers"
        if not isinstance(value, SequenceNode):
            self.report_received(
                key_node,
                value,
                key,
                "a list of answers, one '- label: ...' item per answer with its 'next:' "
                "indented below",
            )
            return [], False
        count = len(value.value)
        if count < 2:
            self.report(
                key_node,
                key,
                f"a question needs at least two answers, but received {count}: add another "
                "answer, or make this node an outcome",
            )
        elif count > check.MAX_ANSWERS:
            self.report(
                value.value[check.MAX_ANSWERS],
                key,
                check.too_many(
                    count,
                    check.MAX_ANSWERS,
                    "answers to this question",
                    check.WHY_ANSWERS,
                    "group some answers together, or split the question in two",
                ),
            )
        results: list[tuple[Answer | None, check.Edge]] = []
        labels: dict[str, tuple[int, ScalarNode]] = {}
        for index, item in enumerate(value.value):
            item_key = f"{key}[{index}]"
            fields = self.item_fields(item, item_key, ANSWER_KEYS, "an answer", _MISSING)
            if fields is None:
                continue
            label = self.text(
                fields.get("label"), f"{item_key}.label", "label", check.MAX_LABEL, check.WHY_LABEL
            )
            target = self.text(fields.get("next"), f"{item_key}.next", "next")
            if label is not None:
                same = " ".join(label.casefold().split())
                if same in labels:
                    first_index, first = labels[same]
                    self.report(
                        fields["label"][1],
                        f"{item_key}.label",
                        f"the label '{label}' is already used by answers[{first_index}] "
                        f"(line {self.pos(first.start_mark).line}): give each answer of a "
                        "question a different label",
                    )
                else:
                    labels[same] = (index, fields["label"][1])
            if target is None:
                continue
            next_node = fields["next"][1]
            edge = check.Edge(target, self.pos(next_node.start_mark), f"{item_key}.next")
            answer = None if label is None else Answer(label, target, edge.pos)
            results.append((answer, edge))
        return results, len(results) == count

    def examples(self, entry: tuple[ScalarNode, Node] | None) -> list[check.ExampleDraft]:
        """Read `examples`: what could be read of each, for the walks of `check_examples`."""
        if entry is None:
            return []
        key_node, value = entry
        if not isinstance(value, SequenceNode) or not value.value:
            self.report_received(
                key_node,
                value,
                "examples",
                "a list of worked examples, one '- situation: ...' item per example with its "
                "'answers:' and 'expect:' indented below",
            )
            return []
        if len(value.value) > check.MAX_EXAMPLES:
            self.report(
                value.value[check.MAX_EXAMPLES],
                f"examples[{check.MAX_EXAMPLES}]",
                check.too_many(
                    len(value.value),
                    check.MAX_EXAMPLES,
                    "worked examples in this tree",
                    check.WHY_EXAMPLES,
                    "keep the examples that teach the most, at least one for each outcome",
                ),
            )
        drafts: list[check.ExampleDraft] = []
        situations: dict[str, tuple[int, int]] = {}
        for index, item in enumerate(value.value[: check.MAX_EXAMPLES]):
            key = f"examples[{index}]"
            fields = self.item_fields(item, key, EXAMPLE_KEYS, "an example", _MISSING_IN_EXAMPLE)
            if fields is None:
                continue
            situation = self.text(
                fields.get("situation"),
                f"{key}.situation",
                "situation",
                check.MAX_TEXT,
                check.WHY_SITUATION,
            )
            if situation is not None:
                same = " ".join(situation.casefold().split())
                value_node = fields["situation"][1]
                if same in situations:
                    first_index, first_line = situations[same]
                    self.report(
                        value_node,
                        f"{key}.situation",
                        f"the situation '{situation}' is already used by examples[{first_index}] "
                        f"(line {first_line}): give each example a different situation",
                    )
                else:
                    situations[same] = (index, self.pos(value_node.start_mark).line)
            answers = self.example_answers(fields.get("answers"), key)
            expect = self.text(fields.get("expect"), f"{key}.expect", "expect")
            drafts.append(
                check.ExampleDraft(
                    key=key,
                    situation=situation,
                    answers=answers,
                    answers_pos=self.pos(fields["answers"][0].start_mark)
                    if "answers" in fields
                    else None,
                    expect=expect,
                    expect_pos=self.pos(_text_mark(fields["expect"][1]))
                    if expect is not None
                    else None,
                    pos=self.pos(_text_mark(fields["situation"][1]))
                    if situation is not None
                    else self.pos(item.start_mark),
                )
            )
        return drafts

    def example_answers(
        self, entry: tuple[ScalarNode, Node] | None, example_key: str
    ) -> tuple[ExampleAnswer, ...] | None:
        """An example's answer labels, exactly as typed; None when any is unusable."""
        if entry is None:
            return None
        key_node, value = entry
        key = f"{example_key}.answers"
        if not isinstance(value, SequenceNode) or not value.value:
            self.report_received(
                key_node,
                value,
                key,
                "a list of the answer labels a reader gives, in order from the start, like "
                "'answers: [Yes, Partly]' or one '- label' line each",
            )
            return None
        if len(value.value) > check.MAX_DEPTH:
            self.report(
                value.value[check.MAX_DEPTH],
                f"{key}[{check.MAX_DEPTH}]",
                check.too_many(
                    len(value.value),
                    check.MAX_DEPTH,
                    "answers in this example",
                    "are needed, since no walk of a tree may be longer",
                    "check the answers against the tree: a walk ends at its first outcome",
                ),
            )
            return None
        labels: list[ExampleAnswer] = []
        for index, item in enumerate(value.value):
            item_key = f"{key}[{index}]"
            if not isinstance(item, ScalarNode):
                self.report(
                    item,
                    item_key,
                    f"expected an answer label as text but received {_describe(item)}: write "
                    "each label exactly as the question's answer has it, like '- Yes'",
                )
                continue
            if not item.value.strip():
                self.report(
                    item,
                    item_key,
                    "this answer is empty: write the label of the answer a reader gives here",
                )
                continue
            labels.append(ExampleAnswer(item.value.strip(), self.pos(_text_mark(item))))
        return tuple(labels) if len(labels) == len(value.value) else None

    def outcome(self, id_node: ScalarNode, body: MappingNode) -> tuple[Outcome | None, check.Step]:
        """Read an outcome node."""
        node_id = id_node.value
        key = f"nodes.{node_id}"
        fields = self.fields(body, key, OUTCOME_KEYS, "an outcome", other=QUESTION_KEYS)
        for name in ("verdict", "read"):
            if name not in fields:
                self.report(id_node, key, f"missing required key '{name}': {_MISSING[name]}")
        text = self.text(
            fields.get("outcome"), f"{key}.outcome", "outcome", check.MAX_TEXT, check.WHY_TEXT
        )
        verdict = self.verdict(fields.get("verdict"), f"{key}.verdict")
        body_text = self.markdown(fields.get("body"), f"{key}.body")
        read = self.read_links(fields.get("read"), f"{key}.read")
        pos = self.pos(id_node.start_mark)
        step = check.Step(node_id, pos, "outcome")
        if text is None or verdict is None or read is None:
            return None, step
        return Outcome(node_id, text, verdict, read, pos, body_text), step  # type: ignore[arg-type]

    def verdict(self, entry: tuple[ScalarNode, Node] | None, key: str) -> str | None:
        """Read a `verdict`: one of the three values, exactly."""
        value = self.text(entry, key, "verdict")
        if value is None:
            return None
        if value not in VERDICTS:
            self.report(
                entry[1],  # type: ignore[index]
                key,
                f"expected one of: {', '.join(VERDICTS)} but received: '{value}'"
                f"{did_you_mean(value, VERDICTS)}",
            )
            return None
        return value

    def read_links(
        self, entry: tuple[ScalarNode, Node] | None, key: str
    ) -> tuple[ReadLink, ...] | None:
        """Read `read`: a list of links, or one link on its own."""
        if entry is None:
            return None
        key_node, value = entry
        if isinstance(value, ScalarNode) and not _is_empty(value):
            items: list[tuple[Node, str]] = [(value, key)]
        elif isinstance(value, SequenceNode) and value.value:
            items = [(item, f"{key}[{i}]") for i, item in enumerate(value.value)]
        else:
            self.report_received(
                key_node,
                value,
                key,
                "a link, or a list of links, to the article that explains this outcome, "
                "like 'read: [../fit/focus.md#core]'",
            )
            return None
        links = []
        for item, item_key in items:
            target = self.text((key_node, item), item_key, "link")
            if target is None:
                continue
            scheme = re.sub(r"[\x00-\x20]", "", target).lower()
            if scheme.startswith(UNSAFE_SCHEMES):
                name = scheme.split(":", 1)[0]
                self.report(
                    item,
                    item_key,
                    f"'{name}:' links are not allowed: they can run code or hide content in "
                    "the page; link to the handbook article that explains this outcome",
                )
                continue
            links.append(ReadLink(target, self.pos(_text_mark(item))))
        return tuple(links) if len(links) == len(items) else None

    # -- fields and values -----------------------------------------------------------------

    def item_fields(
        self, item: Node, key: str, keys: tuple[str, ...], what: str, missing: dict[str, str]
    ) -> dict[str, tuple[ScalarNode, Node]] | None:
        """A list item's known keys, every one of them required; None when it is no mapping."""
        if not isinstance(item, MappingNode):
            lines = " and ".join([", ".join(f"'{name}:'" for name in keys[:-1]), f"'{keys[-1]}:'"])
            self.report(
                item, key, f"expected {what}'s {lines} lines but received {_describe(item)}"
            )
            return None
        fields = self.fields(item, key, keys, what)
        for name in keys:
            if name not in fields:
                self.report(item, key, f"missing required key '{name}': {missing[name]}")
        return fields

    def fields(
        self,
        mapping: MappingNode,
        key: str,
        allowed: tuple[str, ...],
        what: str,
        other: tuple[str, ...] = (),
    ) -> dict[str, tuple[ScalarNode, Node]]:
        """The mapping's known keys (first of any duplicate); unknown keys are reported.

        `other` names the keys of the other kind of node, which get their own message.
        """
        fields: dict[str, tuple[ScalarNode, Node]] = {}
        for key_node, value in mapping.value:
            if not isinstance(key_node, ScalarNode):
                continue  # reported by check_keys
            name = key_node.value
            path = f"{key}.{name}" if key else name
            if name in allowed:
                fields.setdefault(name, (key_node, value))
            elif name in other:
                self.report(
                    key_node,
                    path,
                    f"'{name}' belongs to {_kind_of(name)}, but this node is {what}: "
                    "remove it, or split the node in two",
                )
            elif name != "<<":  # merge keys have their own message
                self.report(
                    key_node,
                    path,
                    f"unknown key '{name}'{did_you_mean(name, allowed + other)}: {what} takes "
                    f"only {', '.join(allowed)}",
                )
        return fields

    def text(
        self,
        entry: tuple[ScalarNode, Node] | None,
        key: str,
        name: str,
        limit: int = 0,
        why: str = "",
    ) -> str | None:
        """A plain-text value exactly as typed (surrounding spaces dropped), or None."""
        if entry is None:
            return None
        key_node, value = entry
        if not isinstance(value, ScalarNode):
            self.report(
                value,
                key,
                f"expected text but received {_describe(value)}: write the {name} on the "
                f"same line, after the ':'",
            )
            return None
        text = value.value.strip()
        if not text:
            self.report(
                key_node if value.style is None else value,
                key,
                f"the {name} is empty: write it after the ':'",
            )
            return None
        if limit and len(text) > limit:
            self.report(
                value,
                key,
                too_long(len(text), limit, name, why),
            )
            return None
        return text

    def identifier(
        self,
        entry: tuple[ScalarNode, Node] | ScalarNode | None,
        key: str,
        name: str,
    ) -> str | None:
        """A tree or node id that follows the character rules, or None."""
        if isinstance(entry, ScalarNode):
            node, text = entry, entry.value
        else:
            text = self.text(entry, key, name)
            node = entry[1] if entry else None
        if text is None or node is None:
            return None
        if not ID_RULE.fullmatch(text):
            example = "-".join(re.findall(r"[a-z0-9]+", text.lower())) or "take-on-request"
            self.report(
                node,
                key,
                f"the {name} '{text}' is not allowed: use lowercase letters a-z and digits, "
                f"with single hyphens between words, like '{example}'; ids appear in web "
                "addresses",
            )
            return None
        if len(text) > check.MAX_ID:
            self.report(node, key, too_long(len(text), check.MAX_ID, name, check.WHY_ID))
            return None
        return text

    def markdown(self, entry: tuple[ScalarNode, Node] | None, key: str) -> MarkdownText | None:
        """A Markdown field with the place of its first character."""
        if entry is None:
            return None
        key_node, value = entry
        name = key.rsplit(".", 1)[-1]
        if not isinstance(value, ScalarNode):
            self.report(
                value,
                key,
                f"expected Markdown text but received {_describe(value)}: for several lines, "
                f"write '{name}: |' and indent the text on the lines below",
            )
            return None
        if not value.value.strip():
            self.report(
                key_node if value.style is None else value,
                key,
                f"the {name} is empty: write it, or remove '{name}:'",
            )
            return None
        if len(value.value) > check.MAX_MARKDOWN:
            self.report(
                value, key, too_long(len(value.value), check.MAX_MARKDOWN, name, check.WHY_MARKDOWN)
            )
            return None
        if value.style in ("|", ">"):
            pos = self.block_start(value)
            return MarkdownText(value.value, pos, block=True)
        return MarkdownText(value.value, self.pos(_text_mark(value)))

    def block_start(self, value: ScalarNode) -> Pos:
        """Where a block scalar's text starts: the line after `|`, at the text's indentation."""
        lines = self.fence.body.split("\n")
        first = value.start_mark.line + 1
        indent = 0
        for line in lines[first : value.end_mark.line + 1]:
            if line.strip():
                indent = len(line) - len(line.lstrip(" "))
                break
        return Pos(self.fence.body_line + first, self.fence.body_col + indent)

    def check_keys(self, root: Node) -> None:
        """Report, in every mapping of the tree: duplicate keys, merge keys, keys that are
        not plain words. Iterative, so any depth the composer allowed is safe."""
        stack: list[tuple[Node, str]] = [(root, "")]
        while stack:
            node, key = stack.pop()
            if isinstance(node, SequenceNode):
                stack.extend(
                    (item, f"{key}[{i}]")
                    for i, item in enumerate(node.value)
                    if isinstance(item, (MappingNode, SequenceNode))  # a scalar has no keys
                )
                continue
            if not isinstance(node, MappingNode):
                continue
            seen: dict[str, ScalarNode] = {}
            for key_node, value in node.value:
                if not isinstance(key_node, ScalarNode):
                    self.report(
                        key_node,
                        key,
                        f"a key must be a plain word, but received {_describe(key_node)}",
                    )
                    continue
                name = key_node.value
                path = f"{key}.{name}" if key else name
                if isinstance(value, (MappingNode, SequenceNode)):  # a scalar has no keys
                    stack.append((value, path))
                if name == "<<" and key_node.style is None:
                    self.report(
                        key_node,
                        path,
                        "merge keys ('<<') are not allowed in a tree: write each key out in full",
                    )
                elif name in seen:
                    first_line = self.pos(seen[name].start_mark).line
                    this_line = self.pos(key_node.start_mark).line
                    thing = f"the node id '{name}'" if key == "nodes" else f"the key '{name}'"
                    fix = (
                        "node ids must be unique within a tree: rename one of the nodes"
                        if key == "nodes"
                        else "keep only one of them"
                    )
                    self.report(
                        key_node,
                        path,
                        f"{thing} appears twice, on lines {first_line} and {this_line}: {fix}",
                    )
                else:
                    seen[name] = key_node


def too_long(length: int, limit: int, name: str, why: str) -> str:
    """The message for a text over its length limit."""
    return check.too_many(length, limit, f"characters in this {name}", why, f"shorten the {name}")


def _compose(text: str) -> Node | None:
    """Assemble PyYAML nodes from the parser's events, without recursion or construction.

    Raises `_Refused` for what a tree does not allow, `yaml.MarkedYAMLError` for bad YAML.
    """
    root: Node | None = None
    # [collection node, pending mapping key or None, whether the node is a sequence]
    stack: list[list] = []
    documents = 0
    # Events are told apart by their exact class (both parsers make these classes and no
    # subclass of them), which costs far less than isinstance on every event of a tree.
    # Scalars, nearly half the events, are tested for first.
    for event in _events(text):
        kind = type(event)
        node: Node
        if kind is ScalarEvent:
            if event.anchor is not None or event.tag is not None:
                _refuse_marked(event)
            node = ScalarNode(
                # LibYAML marks a plain scalar with "", PyYAML with None: one value for both.
                "tag:yaml.org,2002:str",
                event.value,
                event.start_mark,
                event.end_mark,
                event.style or None,
            )
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.anchor is not None or event.tag is not None:
                _refuse_marked(event)
            if len(stack) >= MAX_NESTING:
                raise _Refused(event.start_mark, _too_deep())
            sequence = kind is SequenceStartEvent
            made = SequenceNode if sequence else MappingNode
            stack.append(
                [made("", [], event.start_mark, event.end_mark, event.flow_style), None, sequence]
            )
            continue
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            node = stack.pop()[0]
            node.end_mark = event.end_mark
        elif kind is DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _Refused(
                    event.start_mark,
                    "a second YAML document starts here ('---'), but a fence holds one tree: "
                    "remove the '---' line, or put the second tree in its own fence",
                )
            continue
        elif kind is AliasEvent:
            raise _Refused(
                event.start_mark,
                f"'*{event.anchor}' is a YAML alias, which a tree does not use: write the value "
                "out in full (put text starting with '*' in quotes)",
            )
        else:
            continue
        if not stack:
            root = node
            continue
        top = stack[-1]
        if top[2]:
            top[0].value.append(node)
        elif top[1] is None:
            top[1] = node
        else:
            top[0].value.append((top[1], node))
            top[1] = None
    return root


def _refuse_marked(event: ScalarEvent | SequenceStartEvent | MappingStartEvent) -> NoReturn:
    """Refuse a value that carries a YAML anchor or tag (the anchor is named first)."""
    if event.anchor is not None:
        raise _Refused(
            event.start_mark,
            f"'&{event.anchor}' is a YAML anchor, which a tree does not use: remove it "
            "(put text starting with '&' in quotes)",
        )
    tag = event.tag.replace("tag:yaml.org,2002:", "!!", 1)
    if not tag.startswith("!"):
        tag = f"!<{tag}>"  # written out in full, as the writer typed it
    raise _Refused(
        event.start_mark,
        f"'{tag}' is a YAML tag, which a tree does not use: remove it "
        "(put text starting with '!' in quotes)",
    )


def _events(text: str) -> Iterator[yaml.Event]:
    """The parser's events, one at a time, so refusing one stops the parse there."""
    parser = _Parser(text)
    try:
        # Both parsers give None once the stream has ended (LibYAML's as check_event does).
        event = parser.get_event()
        while event is not None:
            yield event
            event = parser.get_event()
    finally:
        parser.dispose()


def _explain(error: yaml.MarkedYAMLError, text: str) -> tuple[yaml.Mark, str]:
    """PyYAML's or LibYAML's complaint in plain words, with the mark that fits it best."""
    problem = error.problem or ""
    context = error.context or ""
    mark = error.problem_mark or error.context_mark
    lines = text.split("\n")
    line = lines[mark.line] if mark.line < len(lines) else ""
    char = line[mark.column] if mark.column < len(line) else ""
    at_line_start = not line[: mark.column].strip()
    if "tab character" in problem or ("cannot start any token" in problem and char == "\t"):
        return mark, "a tab character: YAML indents with spaces only; replace the tab with spaces"
    if "cannot start any token" in problem:
        return mark, (
            f"'{char}' cannot start a value in YAML: put the whole value in quotes, like \"...\""
        )
    if "could not find expected ':'" in problem and error.context_mark:
        return error.context_mark, (
            "this line has no ':' after its key: write 'key: value', or, if it continues "
            "the text of the line above, indent it further"
        )
    if "unexpected end of stream" in problem and "quoted" in context and error.context_mark:
        return error.context_mark, (
            "this quote is never closed: add the closing quote at the end of the text "
            "(write '' for a ' inside single quotes)"
        )
    if "unknown escape" in problem:
        return _back_to(mark, line, "\\"), (
            "an unknown escape after '\\' in double quotes: write '\\\\' for a backslash, "
            "or use single quotes"
        )
    if "mapping values are not allowed" in problem:
        return mark, (
            "a ': ' where YAML does not expect a key: put text that contains ': ' in quotes, "
            "or line this key up with the keys above it"
        )
    if "alphabetic or numeric character" in problem:
        return _back_to(mark, line, "&*!"), (
            "'&', '*' and '!' start YAML anchors, aliases and tags, which a tree does not "
            "use: put text that starts with them in quotes"
        )
    if "nesting depth" in problem:
        # LibYAML stops at its own limit, a thousand levels in; point where ours was passed.
        return _past_nesting_limit(text, mark), _too_deep()
    if "',' or ']'" in problem:
        return error.context_mark or mark, (
            "a list in '[ ]' is not closed, or two of its items have no ',' between them: "
            "close the list that opens here with ']', and put text that contains ',' in quotes"
        )
    if "',' or '}'" in problem:
        return error.context_mark or mark, (
            "a mapping in '{ }' is not closed, or two of its entries have no ',' between "
            "them: close the mapping that opens here with '}', and put text that contains ',' "
            "in quotes"
        )
    if "block scalar" in context:
        return mark, (
            "only '-', '+' or a digit may follow '|' or '>' on its line: start the text on "
            "the next line, indented"
        )
    if "'-' indicator" in problem or ("<block end>" in problem and "collection" in context):
        return mark, (
            "this line does not line up with the '- ' items above it: start it with '- ', "
            "or indent it under an item"
        )
    if "expected key" in problem or "<block end>" in problem:
        if not at_line_start:
            return mark, (
                "unexpected text after a value: put the whole value in quotes, or move this "
                "to its own line"
            )
        return mark, (
            "this line does not line up with the lines above it: indent it exactly like the "
            "other keys of the same group"
        )
    if "node content" in problem:
        return mark, "a value is missing here: write it, or put it in quotes"
    if "document start" in problem:
        return mark, "unexpected text after the end of the tree: remove it, or indent it"
    where = f" ({context})" if context else ""
    return mark, f"the YAML does not parse: {problem}{where}; check this line and the one above"


def _back_to(mark: yaml.Mark, line: str, signs: str) -> yaml.Mark:
    """`mark`, or the character before it when that is one of `signs`: a parser may mark the
    character after the sign a message is about ('\\q', '&x'), and LibYAML and PyYAML differ."""
    before = line[mark.column - 1] if 0 < mark.column <= len(line) else ""
    at = line[mark.column] if mark.column < len(line) else ""
    if before and before in signs and not (at and at in signs):
        return yaml.Mark(mark.name, mark.index - 1, mark.line, mark.column - 1, None, None)
    return mark


def _past_nesting_limit(text: str, mark: yaml.Mark) -> yaml.Mark:
    """The bracket at which the flow collections before `mark` nest past `MAX_NESTING`."""
    depth = line = column = 0
    for index, char in enumerate(text[: mark.index]):
        if char in "[{":
            depth += 1
            if depth > MAX_NESTING:
                return yaml.Mark(mark.name, index, line, column, None, None)
        elif char in "]}":
            depth -= 1
        if char == "\n":
            line, column = line + 1, 0
        else:
            column += 1
    return mark


def _too_deep() -> str:
    """The message for YAML nested deeper than any tree needs."""
    return (
        f"the YAML is nested more than {MAX_NESTING} levels deep here, but a tree needs "
        "five: check the brackets and the indentation"
    )


def _describe(node: Node) -> str:
    """A node's kind, in the words a message uses for what it received."""
    if isinstance(node, SequenceNode):
        return "a list" if node.value else "an empty list"
    if isinstance(node, MappingNode):
        return "a group of 'key: value' lines" if node.value else "an empty group ('{}')"
    if _is_empty(node):
        return "nothing"
    text = " ".join(node.value.split())
    if len(text) > 40:
        text = text[:39] + "…"
    return f"the text '{text}'"


def _is_empty(node: Node) -> bool:
    """An unquoted nothing, as in `nodes:` with nothing after or below it."""
    return isinstance(node, ScalarNode) and node.style is None and not node.value.strip()


def _scalar_text(node: Node) -> str:
    """A key's text, or an empty string for a key that is not plain text."""
    return node.value if isinstance(node, ScalarNode) else ""


def _kind_of(name: str) -> str:
    """Which kind of node a node key belongs to."""
    return "questions" if name in QUESTION_KEYS else "outcomes"


def _text_mark(node: ScalarNode) -> yaml.Mark:
    """Where a scalar's text begins: after the opening quote of a quoted scalar."""
    if node.style in ("'", '"'):
        mark = node.start_mark
        return yaml.Mark(mark.name, mark.index + 1, mark.line, mark.column + 1, None, None)
    return node.start_mark
