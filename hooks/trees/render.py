"""A checked tree as HTML: title, walker slot, inline SVG flowchart and one section per node.

The markup is a contract with the walker's script and stylesheet (class names, ids, data
attributes); the page is complete without them, as a list of linked steps. Every text a
writer typed is escaped, quotes included, in HTML and SVG alike; Markdown fields arrive as
HTML from the caller, who also rewrites their links.

Styling lives in classes. The few presentation attributes here (font size, corner radius,
stroke width, fallback colours) keep the chart legible when the stylesheet is missing, and
the stylesheet overrides them; the font size must stay as laid out, or text stops fitting.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable

from problems import Problem
from trees.layout import (
    FONT_SIZE,
    LABEL_FONT_SIZE,
    LABEL_LINE_HEIGHT,
    LABEL_PAD_Y,
    LINE_HEIGHT,
    NODE_PAD_Y,
    VERDICT_MARKS,
    Box,
    Layout,
)
from trees.model import Example, MarkdownText, Outcome, Question, ReadLink, Tree

# The chart holds links to the steps, so it is a group, not role="img": an image's children
# are hidden from assistive technology, and axe reports links inside one as nested
# interactive controls. The group is still named and described by the title and desc.
SVG_ROLE = "group"


# Ids, coordinates and labels repeat throughout a chart; caching their text form takes a
# third off the time to draw a large tree.
@functools.lru_cache(maxsize=8192)
def _e(text: str) -> str:
    return html.escape(text, quote=True)


@functools.lru_cache(maxsize=65536)
def _num(value: float) -> str:
    """A coordinate as short as it can be written: 12, 12.5, never 12.0 or -0."""
    # repr of a float rounded to one decimal is its shortest exact form: "12.5", "12.0".
    text = repr(round(value, 1) + 0.0)
    return text[:-2] if text[-2:] == ".0" else text


def _text(box: Box, font_size: float, line_height: float, pad_y: float) -> str:
    """Centred lines as tspans; no whitespace between them, as it would render as spaces."""
    centre, top = _num(box.x + box.w / 2), box.y + pad_y
    # The baseline sits about 0.35em below the middle of its line, which centres the
    # x-height of the usual sans fonts there without relying on dominant-baseline.
    drop = round(0.35 * font_size)
    step = line_height
    spans = "".join(
        [
            f'<tspan x="{centre}" y="{_num(top + (i + 0.5) * step + drop)}">{_e(line)}</tspan>'
            for i, line in enumerate(box.lines)
        ]
    )
    return f'<text text-anchor="middle" font-size="{font_size}" fill="currentColor">{spans}</text>'


def _rect(box: Box, radius: float, stroke_width: float = 0) -> str:
    """A box's rectangle; without a stroke width it is a plain backdrop (an edge label's)."""
    stroke = f' stroke="currentColor" stroke-width="{_num(stroke_width)}"' if stroke_width else ""
    return (
        f'<rect x="{_num(box.x)}" y="{_num(box.y)}" width="{_num(box.w)}" height="{_num(box.h)}"'
        f' rx="{_num(radius)}" fill="Canvas"{stroke}/>'
    )


def _path(points: tuple[tuple[float, float], ...]) -> str:
    """An edge's path: straight where it runs down, a curve wherever it moves sideways.

    Each curve leaves and arrives vertically, its control points halfway down, so it stays
    between the heights of its ends: inside the gap between two layers, clear of every box
    and label the layout placed, and the arrowhead still meets its box pointing down.
    """
    (x, y), *rest = points
    d = [f"M{_num(x)} {_num(y)}"]
    for x1, y1 in rest:
        if x1 == x:
            d.append(f"V{_num(y1)}")
        else:
            middle = _num((y + y1) / 2)
            d.append(f"C{_num(x)} {middle} {_num(x1)} {middle} {_num(x1)} {_num(y1)}")
        x, y = x1, y1
    return "".join(d)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _svg(tree: Tree, chart: Layout) -> list[str]:
    t = _e(tree.id)
    questions = sum(isinstance(node, Question) for node in tree.nodes.values())
    outcomes = len(tree.nodes) - questions
    first = tree.nodes[tree.start].text
    w, h = _num(chart.width), _num(chart.height)
    out = [
        f'<svg class="dt-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}"'
        f' width="{w}" height="{h}" role="{SVG_ROLE}"'
        f' aria-labelledby="{t}--svg-title {t}--svg-desc">',
        f'<title id="{t}--svg-title">Flowchart: {_e(tree.title)}</title>',
        f'<desc id="{t}--svg-desc">{_plural(questions, "question")} and'
        f" {_plural(outcomes, 'outcome')}, starting with “{_e(first)}”.</desc>",
        # userSpaceOnUse keeps the arrowhead's size when a highlighted path gets a thicker line.
        f'<defs><marker id="{t}--arrow" viewBox="0 0 10 10" refX="10" refY="5"'
        ' markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto">'
        '<path d="M0 0L10 5L0 10z" fill="currentColor"/></marker></defs>',
        '<g class="dt-edges">',
    ]
    for edge in chart.edges:
        d = _path(edge.points)
        out += [
            f'<g class="dt-edge" data-from="{_e(edge.source)}" data-to="{_e(edge.target)}"'
            f' data-answer="{edge.answer}">',
            f'<path d="{d}" fill="none" stroke="currentColor" stroke-width="1.5"'
            f' marker-end="url(#{t}--arrow)"/>',
            f'<g class="dt-edge-label">{_rect(edge.label, 3)}'
            f"{_text(edge.label, LABEL_FONT_SIZE, LABEL_LINE_HEIGHT, LABEL_PAD_Y)}</g>",
            "</g>",
        ]
    out += ["</g>", '<g class="dt-nodes">']
    for node_id, node in tree.nodes.items():
        box = chart.boxes[node_id]
        n = _e(node_id)
        if isinstance(node, Outcome):
            # A pill with a heavy border: an outcome differs from a question by shape, not
            # only by colour.
            kind, shape = f"dt-node-outcome dt-verdict-{node.verdict}", _rect(box, 16, 2.5)
        else:
            kind, shape = "dt-node-question", _rect(box, 3, 1)
        out.append(
            f'<a class="dt-node {kind}" href="#{_e(tree.anchor(node_id))}" data-node="{n}">'
            f"{shape}{_text(box, FONT_SIZE, LINE_HEIGHT, NODE_PAD_Y)}</a>"
        )
    out += ["</g>", "</svg>"]
    return out


def _step(
    tree: Tree,
    node: Question | Outcome,
    markdown: Callable[[MarkdownText], str],
    read_link: Callable[[ReadLink], tuple[str, str]],
    heading_level: int,
) -> list[str]:
    n, anchor = _e(node.id), _e(tree.anchor(node.id))
    start = _e(tree.anchor(tree.start))
    restart = f'<p class="dt-nav"><a class="dt-restart" href="#{start}">Start again</a></p>'
    h = f"h{heading_level}"
    title = f'<{h} class="dt-step-title" id="{anchor}">{_e(node.text)}</{h}>'
    if isinstance(node, Question):
        out = [
            f'<section class="dt-step dt-step-question" data-node="{n}"'
            f' aria-labelledby="{anchor}">',
            title,
        ]
        if node.help is not None:
            out.append(f'<div class="dt-help">{markdown(node.help)}</div>')
        out.append('<ul class="dt-answers">')
        for i, answer in enumerate(node.answers):
            nxt = _e(answer.next)
            out.append(
                f'<li><a class="dt-answer" href="#{_e(tree.anchor(answer.next))}" data-next="{nxt}"'
                f' data-answer="{i}">{_e(answer.label)}</a></li>'
            )
        out.append("</ul>")
    else:
        icon, word = VERDICT_MARKS[node.verdict]
        out = [
            f'<section class="dt-step dt-step-outcome dt-verdict-{node.verdict}" data-node="{n}"'
            f' aria-labelledby="{anchor}">',
            title,
            f'<p class="dt-verdict"><span class="dt-verdict-icon" aria-hidden="true">{icon}</span>'
            f" {word}</p>",
        ]
        if node.body is not None:
            out.append(f'<div class="dt-body">{markdown(node.body)}</div>')
        links = ", ".join(
            f'<a href="{_e(href)}">{_e(text)}</a>' for href, text in map(read_link, node.read)
        )
        out.append(f'<p class="dt-read">Read next: {links}</p>')
    if node.id != tree.start:
        out.append(restart)
    out.append("</section>")
    return out


def render_tree(
    tree: Tree,
    layout: Layout,
    *,
    markdown: Callable[[MarkdownText], str],
    read_link: Callable[[ReadLink], tuple[str, str]],
    heading_level: int = 3,
    chart: Callable[[str], str] | None = None,
) -> str:
    """The whole tree as HTML: chart, steps in the order the writer wrote the nodes, examples.

    `markdown` turns a Markdown field into HTML; `read_link` gives the href and link text of
    one `read` entry (both plain text, escaped here). `chart`, when given, is handed the
    chart's SVG and returns what stands in its place (see `TreeSite.draw_all`).
    """
    t = _e(tree.id)
    out = [
        f'<div class="dt" id="tree-{t}" data-dt="{t}" data-dt-start="{_e(tree.start)}">',
        f'<p class="dt-title" id="{t}--title">{_e(tree.title)}</p>',
    ]
    if tree.summary is not None:
        out.append(f'<div class="dt-summary">{markdown(tree.summary)}</div>')
    out += ['<div class="dt-walker" hidden></div>', '<figure class="dt-chart">']
    svg = "\n".join(_svg(tree, layout))
    out += [chart(svg) if chart is not None else svg, "</figure>", '<div class="dt-steps">']
    for node in tree.nodes.values():
        out += _step(tree, node, markdown, read_link, heading_level)
    out.append("</div>")
    out += _examples(tree, heading_level)
    out.append("</div>")
    return "\n".join(out) + "\n"


def examples_anchor(tree: Tree) -> str:
    """The HTML id of the heading over a tree's worked examples."""
    # Node ids never hold `--`, so no `T--example--...` is ever a node's `T--N`.
    return f"{tree.id}--example--all"


def example_anchor(tree: Tree, number: int) -> str:
    """The HTML id of one worked example's heading, numbered from 1 in the writer's order."""
    return f"{tree.id}--example--{number}"


def _answer_indices(tree: Tree, example: Example) -> list[str]:
    steps, _ = tree.example_walk(example)
    return [str(step.question.answers.index(step.answer)) for step in steps]


def example_url(tree: Tree, example: Example) -> str:
    """The walker's URL of an example's outcome with its answers given (see decision-tree.js)."""
    _, outcome = tree.example_walk(example)
    return f"?dt-{tree.id}={'.'.join(_answer_indices(tree, example))}#{tree.anchor(outcome.id)}"


def _examples(tree: Tree, heading_level: int) -> list[str]:
    """The worked examples: each situation, its answers as links to the steps, its outcome.

    Each example is a section under its own heading, so search lands on it. Every link also
    carries the answer indices given before its step (`data-walk`), for the walker to open
    there with those answers; without the walker the links lead to the steps' sections.
    """
    if not tree.examples:
        return []
    head = _e(examples_anchor(tree))
    h, sub = f"h{heading_level}", f"h{min(heading_level + 1, 6)}"
    out = [
        # Named with the tree's title too: two trees' examples are two distinct regions.
        f'<section class="dt-examples" aria-labelledby="{head} {_e(tree.id)}--title">',
        f'<{h} class="dt-examples-title" id="{head}">Worked examples</{h}>',
    ]
    for number, example in enumerate(tree.examples, 1):
        steps, outcome = tree.example_walk(example)
        indices = _answer_indices(tree, example)
        anchor, walked = _e(example_anchor(tree, number)), ".".join(indices)
        icon, word = VERDICT_MARKS[outcome.verdict]
        out += [
            f'<section class="dt-example dt-verdict-{outcome.verdict}" aria-labelledby="{anchor}">',
            f'<{sub} class="dt-example-title" id="{anchor}">{_e(example.situation)}</{sub}>',
            '<ol class="dt-example-path">',
        ]
        for k, step in enumerate(steps):
            out.append(
                f'<li><a href="#{_e(tree.anchor(step.question.id))}"'
                f' data-walk="{".".join(indices[:k])}">{_e(step.question.text)}</a>'
                f' <span class="dt-a">{_e(step.answer.label)}</span></li>'
            )
        out += [
            "</ol>",
            f'<p class="dt-example-outcome">Outcome: <a href="#{_e(tree.anchor(outcome.id))}"'
            f' data-walk="{walked}">{_e(outcome.text)}</a> <span class="dt-verdict">'
            f'<span class="dt-verdict-icon" aria-hidden="true">{icon}</span> {word}</span></p>',
            # Out of the search index: the same words under every example find nothing.
            '<p class="dt-example-walk" data-search-exclude><a class="md-button"'
            f' href="{_e(example_url(tree, example))}" data-walk="{walked}"'
            f' aria-describedby="{anchor}">Walk this example</a></p>',
            "</section>",
        ]
    out.append("</section>")
    return out


def render_problems(problems: list[Problem]) -> str:
    """What a page shows in place of a tree that failed its checks: every problem, escaped."""
    items = "\n".join(f"<li>{_e(str(problem))}</li>" for problem in problems)
    count = _plural(len(problems), "problem")
    return (
        '<div class="admonition failure dt-problems">\n'
        f'<p class="admonition-title">This decision tree has {count} and is not shown</p>\n'
        f"<ul>\n{items}\n</ul>\n"
        "</div>\n"
    )
