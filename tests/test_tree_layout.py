"""Layout of decision-tree flowcharts: nothing overlaps, arrows join boxes, output is stable.

The trees are built here in Python (`CASES`), so these tests do not depend on parsing;
`test_tree_render.py` draws the same cases against golden files.
"""

from __future__ import annotations

import itertools
import random

import pytest

import trees.layout as layout_module
from trees.layout import (
    FONT_SIZE,
    LABEL_FONT_SIZE,
    LABEL_GAP,
    LABEL_PAD_X,
    NODE_PAD_X,
    Box,
    Layout,
    layout,
    text_width,
    wrap,
)
from trees.model import Answer, MarkdownText, Outcome, Pos, Question, ReadLink, Tree

HERE = Pos(1, 1)


def question(node_id: str, text: str, *answers: tuple[str, str], help: str = "") -> Question:
    """A question node; `answers` are (label, next) pairs."""
    return Question(
        node_id,
        text,
        tuple(Answer(label, nxt, HERE) for label, nxt in answers),
        HERE,
        MarkdownText(help, HERE) if help else None,
    )


def outcome(node_id: str, text: str, verdict: str, *read: str, body: str = "") -> Outcome:
    """An outcome node; `read` defaults to one link."""
    links = tuple(ReadLink(target, HERE) for target in (read or ("../fit/focus.md",)))
    return Outcome(node_id, text, verdict, links, HERE, MarkdownText(body, HERE) if body else None)  # type: ignore[arg-type]


def tree(tree_id: str, title: str, *nodes: Question | Outcome, summary: str = "") -> Tree:
    """A tree starting at its first node, nodes in the order given."""
    return Tree(
        id=tree_id,
        title=title,
        start=nodes[0].id,
        nodes={node.id: node for node in nodes},
        page="fit/example.md",
        pos=HERE,
        summary=MarkdownText(summary, HERE) if summary else None,
    )


def big_tree(questions: int) -> Tree:
    """A generated tree: each question asks two or three ways on, some paths converge."""
    nodes: list[Question | Outcome] = []
    outcomes = [f"end-{i}" for i in range(questions + 1)]
    for i in range(questions):
        children = [f"q-{j}" for j in (2 * i + 1, 2 * i + 2) if j < questions]
        ends = iter(outcomes[i:])
        targets = [*children, *(next(ends) for _ in range(2 - len(children)))]
        if i % 3 == 0:  # a third answer that skips ahead to a shared outcome
            targets.append(outcomes[-1 - i % 7])
        answers = [(f"Answer {k} of question {i}", target) for k, target in enumerate(targets)]
        nodes.append(question(f"q-{i}", f"Question number {i}: does this apply here?", *answers))
    reached = {a.next for n in nodes if isinstance(n, Question) for a in n.answers}
    verdicts = ("go", "caution", "decline")
    nodes += [
        outcome(end, f"Outcome {end}", verdicts[i % 3])
        for i, end in enumerate(outcomes)
        if end in reached
    ]
    return tree("big", "A large generated tree", *nodes)


CASES: dict[str, Tree] = {
    # The example of the writers' format: three answers, two outcomes shared by paths.
    "example": tree(
        "take-on-request",
        "Should we take on this request?",
        question(
            "core",
            "Is the request within what we are known for?",
            ("Yes, squarely", "capacity"),
            ("Partly", "customisable"),
            ("Not at all", "refer"),
            help="Consistency is part of what clients buy from us. See [focus](../fit/focus.md).",
        ),
        question(
            "capacity",
            "Can we serve it without pulling people off core work?",
            ("Yes", "take-it"),
            ("No", "refer"),
        ),
        question(
            "customisable",
            "Is the gap something we already customise for others?",
            ("Yes", "scope-it"),
            ("No", "refer"),
        ),
        outcome(
            "take-it",
            "Take it on",
            "go",
            "../service/right-level.md",
            body='Confirm what "done" looks like before you start.',
        ),
        outcome(
            "scope-it",
            "Take it on, with an agreed scope",
            "caution",
            "../fit/focus.md#a-little-flexibility",
        ),
        outcome(
            "refer",
            "Decline, and point them somewhere better",
            "decline",
            "../fit/saying-no.md#offer-an-alternative",
            body="Say no in one clear sentence, then name who can help.",
        ),
    ),
    # Paths that meet again at a question, and an answer that skips two layers.
    "converging": tree(
        "refund",
        "Should we refund?",
        question(
            "asked",
            "Did they ask within 30 days?",
            ("Yes", "used"),
            ("No", "goodwill"),
            ("They never paid", "nothing"),
        ),
        question("used", "Have they used it?", ("Barely", "policy"), ("A lot", "goodwill")),
        question(
            "goodwill", "Are they a long-standing client?", ("Yes", "policy"), ("No", "nothing")
        ),
        question(
            "policy", "Does the refund policy cover it?", ("Yes", "refund"), ("No", "partial")
        ),
        outcome("refund", "Refund in full", "go"),
        outcome("partial", "Offer a partial refund", "caution"),
        outcome("nothing", "Explain why not", "decline"),
        summary="Refunds follow the *policy*, with room for goodwill.",
    ),
    # Text long enough to wrap on every box and label, and a word longer than a box.
    "long-text": tree(
        "long",
        "A tree whose writer had a lot to say about every single step along the way",
        question(
            "first",
            "When the client asks for something that sits at the very edge of what we "
            "normally offer, and they insist it is urgent, what do we check before anything else?",
            ("Whether it fits our published service levels and the contract", "second"),
            ("Nothing: it is obviously out of scope", "no"),
        ),
        question(
            "second",
            "Is https://intranet.example/service-levels/extended-support-agreement-2025 relevant?",
            ("Supercalifragilisticexpialidociously-relevant", "yes"),
            ("No", "no"),
        ),
        outcome("yes", "Go ahead, and write down what was agreed in the ticket", "go"),
        outcome(
            "no",
            "Decline politely, explain which part of our focus it falls outside of, and "
            "suggest who could help them instead",
            "decline",
        ),
    ),
    # Markup, quotes and CDATA ends in every text field: all must show as typed.
    "hostile": tree(
        "hostile",
        '<script>alert("title")</script>',
        question(
            "ask",
            "<img src=x onerror=alert(1)> & 'quoted' \"double\"",
            ("]]></text></svg><script>alert(2)</script>", "end"),
            ('Tom & Jerry\'s "best"', "end"),
        ),
        outcome("end", "</svg><b>bold?</b>", "caution", '../x.md?a=1&b="2"'),
        summary="<script>alert(3)</script>",
    ),
    # One question, three answers, three verdicts.
    "fan-out": tree(
        "fan",
        "Which channel?",
        question(
            "how",
            "How did they reach us?",
            ("Phone", "call"),
            ("Email", "mail"),
            ("In person", "desk"),
        ),
        outcome("call", "Log the call", "go"),
        outcome("mail", "Answer within a day", "caution"),
        outcome("desk", "Send them to reception", "decline"),
    ),
}

GEOMETRY_CASES = {**CASES, "big": big_tree(40)}


def overlaps(a: Box, b: Box) -> bool:
    """Whether two boxes share any area (touching edges do not count)."""
    return a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h


def crosses(start: tuple[float, float], end: tuple[float, float], box: Box) -> bool:
    """Whether a line segment enters the inside of a box (Liang-Barsky clipping)."""
    inset = 0.5  # a line may run along an edge or end on it; it may not go in
    left, right = box.x + inset, box.x + box.w - inset
    top, bottom = box.y + inset, box.y + box.h - inset
    (x0, y0), (x1, y1) = start, end
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for p, q in ((-dx, x0 - left), (dx, right - x0), (-dy, y0 - top), (dy, bottom - y0)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


@pytest.fixture(params=sorted(GEOMETRY_CASES), scope="module")
def chart(request: pytest.FixtureRequest) -> tuple[Tree, Layout]:
    case = GEOMETRY_CASES[request.param]
    return case, layout(case)


def test_no_two_boxes_overlap(chart: tuple[Tree, Layout]) -> None:
    _, drawn = chart
    boxes = list(drawn.boxes.values())
    clashes = [
        (a.node, b.node) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if overlaps(a, b)
    ]
    assert clashes == []


def test_no_label_overlaps_a_box_or_another_label(chart: tuple[Tree, Layout]) -> None:
    _, drawn = chart
    labels = [edge.label for edge in drawn.edges]
    on_boxes = [
        (label.lines, box.node)
        for label in labels
        for box in drawn.boxes.values()
        if overlaps(label, box)
    ]
    on_labels = [
        (a.lines, b.lines) for i, a in enumerate(labels) for b in labels[i + 1 :] if overlaps(a, b)
    ]
    assert (on_boxes, on_labels) == ([], [])


def test_every_edge_leaves_its_source_bottom_and_ends_on_its_target_top(
    chart: tuple[Tree, Layout],
) -> None:
    _, drawn = chart
    wrong = []
    for edge in drawn.edges:
        source, target = drawn.boxes[edge.source], drawn.boxes[edge.target]
        (x0, y0), (x1, y1) = edge.points[0], edge.points[-1]
        if not (y0 == source.y + source.h and source.x < x0 < source.x + source.w):
            wrong.append((edge.source, edge.answer, "start"))
        if not (y1 == target.y and target.x < x1 < target.x + target.w):
            wrong.append((edge.source, edge.answer, "end"))
    assert wrong == []


def test_lines_pass_through_no_box_and_no_label(chart: tuple[Tree, Layout]) -> None:
    _, drawn = chart
    hits = []
    for edge in drawn.edges:
        others = [box for box in drawn.boxes.values()]
        others += [other.label for other in drawn.edges]
        for start, end in itertools.pairwise(edge.points):
            hits += [
                (edge.source, edge.answer, box.node, box.lines[0])
                for box in others
                if crosses(start, end, box)
            ]
    assert hits == []


def test_every_label_sits_just_right_of_its_own_line(chart: tuple[Tree, Layout]) -> None:
    _, drawn = chart
    off = [
        (edge.source, edge.answer)
        for edge in drawn.edges
        if not any(
            abs(x - (edge.label.x - LABEL_GAP)) < 0.01
            for (x, y0), (_, y1) in itertools.pairwise(edge.points)
            if y0 <= edge.label.y and y1 >= edge.label.y + edge.label.h
        )
    ]
    assert off == []


def test_everything_lies_inside_the_view_box(chart: tuple[Tree, Layout]) -> None:
    _, drawn = chart
    boxes = [*drawn.boxes.values(), *(edge.label for edge in drawn.edges)]
    outside = [
        box.lines
        for box in boxes
        if box.x < 0 or box.y < 0 or box.x + box.w > drawn.width or box.y + box.h > drawn.height
    ]
    outside += [
        point
        for edge in drawn.edges
        for point in edge.points
        if not (0 <= point[0] <= drawn.width and 0 <= point[1] <= drawn.height)
    ]
    assert outside == []


def test_every_line_of_text_fits_its_box(chart: tuple[Tree, Layout]) -> None:
    _, drawn = chart
    too_wide = [
        line
        for box in drawn.boxes.values()
        for line in box.lines
        if text_width(line, FONT_SIZE) > box.w - 2 * NODE_PAD_X
    ]
    too_wide += [
        line
        for edge in drawn.edges
        for line in edge.label_lines
        if text_width(line, LABEL_FONT_SIZE) > edge.label.w - 2 * LABEL_PAD_X
    ]
    assert too_wide == []


def test_each_node_has_one_box_and_each_answer_one_edge(chart: tuple[Tree, Layout]) -> None:
    case, drawn = chart
    answers = [
        (node.id, i, answer.next)
        for node in case.nodes.values()
        if isinstance(node, Question)
        for i, answer in enumerate(node.answers)
    ]
    assert list(drawn.boxes) == list(case.nodes)
    assert [(edge.source, edge.answer, edge.target) for edge in drawn.edges] == answers


def test_layers_run_top_to_bottom_along_every_edge(chart: tuple[Tree, Layout]) -> None:
    _, drawn = chart
    upward = [
        (edge.source, edge.answer)
        for edge in drawn.edges
        if any(y1 < y0 for (_, y0), (_, y1) in itertools.pairwise(edge.points))
    ]
    assert upward == []


def _segments_cross(a: tuple, b: tuple, c: tuple, d: tuple) -> bool:
    """Whether segments ab and cd cross at a point inside both (ends touching do not count)."""

    def side(p: tuple, q: tuple, r: tuple) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    return side(a, b, c) * side(a, b, d) < 0 and side(c, d, a) * side(c, d, b) < 0


def _crossing_edges(drawn: Layout) -> list[tuple[str, int, str, int]]:
    """Each pair of edges (source and answer of each) whose bend points' segments cross.
    Between two layers each curve keeps to the order of its ends, so the bend points cross
    exactly where the drawn curves do."""
    lines = [list(itertools.pairwise(edge.points)) for edge in drawn.edges]
    return [
        (drawn.edges[i].source, drawn.edges[i].answer, drawn.edges[j].source, drawn.edges[j].answer)
        for i, j in itertools.combinations(range(len(lines)), 2)
        if any(_segments_cross(*s, *t) for s in lines[i] for t in lines[j])
    ]


@pytest.mark.parametrize("name", ["converging", "long-text", "hostile", "fan-out"])
def test_trees_that_can_be_drawn_without_crossings_are(name: str) -> None:
    assert _crossing_edges(layout(CASES[name])) == []


def _crossing_points(drawn: Layout) -> int:
    """Points where two edges' bend points' segments cross (as `_crossing_edges`, but two
    edges that cross twice count twice)."""
    lines = [list(itertools.pairwise(edge.points)) for edge in drawn.edges]
    return sum(
        _segments_cross(*s, *t)
        for i, j in itertools.combinations(range(len(lines)), 2)
        for s in lines[i]
        for t in lines[j]
    )


def test_the_drawing_crosses_exactly_as_often_as_the_untangled_node_layers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The untangling sees only the nodes' layers; each label layer between two of them is
    # sorted afterwards, which must not add a single crossing.
    untangled: list[int] = []
    fewest_crossings = layout_module._fewest_crossings

    def counted(rows: list[list[int]], preds: list[list[int]], *rest: object) -> list[list[int]]:
        found = fewest_crossings(rows, preds, *rest)  # type: ignore[arg-type]
        position = layout_module._positions(found, len(preds))
        untangled.append(layout_module._total_crossings(found, preds, position))
        return found

    monkeypatch.setattr(layout_module, "_fewest_crossings", counted)
    drawn = layout(big_tree(40))
    assert untangled[0] > 0  # a tree that must cross somewhere
    assert _crossing_points(drawn) == untangled[0]


@pytest.mark.parametrize("ties", [False, True])
def test_neighbour_swaps_report_exactly_the_crossings_they_take_off(ties: bool) -> None:
    rng = random.Random(7)
    rows = [list(range(start, start + 9)) for start in range(0, 54, 9)]
    preds: list[list[int]] = [[] for _ in range(54)]
    succs: list[list[int]] = [[] for _ in range(54)]
    for upper, lower in itertools.pairwise(rows):
        for vertex in lower:
            for above in rng.sample(upper, rng.choice((1, 1, 2, 3))):
                preds[vertex].append(above)
                succs[above].append(vertex)
    for row in rows:
        rng.shuffle(row)
    position = layout_module._positions(rows, 54)
    before = layout_module._total_crossings(rows, preds, position)
    single_pred = [near[0] if len(near) == 1 else -1 for near in preds]
    single_succ = [near[0] if len(near) == 1 else -1 for near in succs]
    taken = layout_module._transpose(rows, preds, succs, position, single_pred, single_succ, ties)
    assert taken > 0
    assert position == layout_module._positions(rows, 54)
    assert layout_module._total_crossings(rows, preds, position) == before - taken


def test_a_question_sits_just_above_the_answers_it_leads_to_not_just_below_its_own() -> None:
    # "side" is asked after the start but leads to two outcomes far down: drawn low, one
    # long edge comes in instead of two going out.
    shortcut = tree(
        "shortcut",
        "Deep on one side",
        question("start", "Which way?", ("Left", "deep1"), ("Right", "side")),
        question("deep1", "First?", ("A", "deep2"), ("B", "end-c")),
        question("deep2", "Second?", ("A", "deep3"), ("B", "end-c")),
        question("deep3", "Third?", ("A", "end-a"), ("B", "end-b")),
        question("side", "Aside?", ("A", "end-a"), ("B", "end-b")),
        outcome("end-a", "A", "go"),
        outcome("end-b", "B", "caution"),
        outcome("end-c", "C", "decline"),
    )
    drawn = layout(shortcut)
    tops = sorted({box.y for box in drawn.boxes.values()})
    layer = {node: tops.index(box.y) for node, box in drawn.boxes.items()}
    assert layer == {
        "start": 0, "deep1": 1, "deep2": 2, "deep3": 3, "side": 3,
        "end-a": 4, "end-b": 4, "end-c": 3,
    }  # fmt: skip


def test_a_tree_untangled_from_answers_taken_last_to_first_still_reads_as_written() -> None:
    # The handbook's customer-right: the edge from "whose" to "red-line" runs past "facts"
    # and "heard", and only a first order met walking answers last to first lets it in
    # without a crossing; the chart is then mirrored so the answers read as written.
    mirrored = tree(
        "mirrored",
        "Insisting",
        question("insisting", "On what?", ("Product", "product"), ("Service", "service"),
                 ("Fact", "whose")),
        question("whose", "Whose call?", ("Ours", "facts"), ("Theirs", "red-line")),
        question("facts", "Checked?", ("Back us", "heard"), ("Back them", "right"),
                 ("Unclear", "unclear"), ("Not yet", "check")),
        question("heard", "Heard us?", ("No", "educate"), ("Accept", "red-line"),
                 ("Still want", "pattern")),
        question("red-line", "Red line?", ("No", "their-call"), ("Yes", "refuse")),
        question("pattern", "Pattern?", ("One", "hold"), ("Pattern", "not-customer")),
        *(outcome(node, node.title(), "caution")
          for node in ("product", "service", "right", "unclear", "check", "educate",
                       "their-call", "refuse", "hold", "not-customer")),
    )  # fmt: skip
    drawn = layout(mirrored)
    assert _crossing_edges(drawn) == []
    first_answers = sorted(("product", "service", "whose"), key=lambda n: drawn.boxes[n].x)
    assert first_answers == ["product", "service", "whose"]


def test_a_chart_in_two_parts_still_runs_every_line_down_layer_by_layer() -> None:
    # A checked tree is one part; igraph mixes up the points of long edges in a graph of
    # several parts, so the layout places them itself there.
    parts = tree(
        "two-parts",
        "Two parts",
        question("a", "A?", ("1", "b"), ("2", "d")),
        question("b", "B?", ("1", "c"), ("2", "d")),
        question("c", "C?", ("1", "d"), ("2", "e")),
        outcome("d", "D", "go"),
        outcome("e", "E", "go"),
        outcome("lone", "Lone", "go"),
    )
    drawn = layout(parts)
    for edge in drawn.edges:
        heights = [y for _, y in edge.points]
        assert heights == sorted(heights), edge
        assert edge.points[-1][1] == drawn.boxes[edge.target].y
    assert _crossing_edges(drawn) == []


def test_layout_is_the_same_for_the_same_tree() -> None:
    assert layout(CASES["converging"]) == layout(CASES["converging"])


def test_outcome_boxes_start_with_the_verdict_line() -> None:
    drawn = layout(CASES["fan-out"])
    assert [drawn.boxes[n].lines[0] for n in ("call", "mail", "desk")] == [
        "✓ Go",
        "! Go with care",
        "✕ Decline",
    ]


def test_a_cycle_is_refused_with_a_message() -> None:
    looping = tree(
        "loop",
        "Loop",
        question("a", "A?", ("Yes", "b"), ("No", "b")),
        question("b", "B?", ("Yes", "a"), ("No", "a")),
    )
    with pytest.raises(
        ValueError, match=r"^tree 'loop' has a cycle; only checked trees can be laid out$"
    ):
        layout(looping)


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("Yes", 100, ("Yes",)),
        ("", 100, ("",)),
        (
            "Is the request within what we are known for?",
            200,
            ("Is the request within what", "we are known for?"),
        ),
        ("  spaces   between\nwords  ", 200, ("spaces between words",)),
        ("Supercalifragilisticexpialidocious", 100, ("Supercalifrag", "ilisticexpialid", "ocious")),
        (
            "a Supercalifragilisticexpialidocious b",
            100,
            ("a", "Supercalifrag", "ilisticexpialid", "ocious b"),
        ),
        ("MMMMMMMMMM", 60, ("MMMM", "MMMM", "MM")),
    ],
)
def test_wrap_breaks_at_spaces_and_cuts_words_longer_than_a_line(
    text: str, width: float, lines: tuple[str, ...]
) -> None:
    assert wrap(text, width, FONT_SIZE) == lines


@pytest.mark.parametrize(
    ("narrow", "wide"),
    [("illicit", "MWMWMWM"), ("a", "W"), ("e", "日"), ("1", "M"), ("o", "<")],
)
def test_width_estimate_tells_narrow_from_wide_characters(narrow: str, wide: str) -> None:
    assert text_width(narrow, FONT_SIZE) < text_width(wide, FONT_SIZE)


def test_width_estimate_ignores_combining_marks() -> None:
    assert text_width("e\u0301", FONT_SIZE) == text_width("e", FONT_SIZE)
