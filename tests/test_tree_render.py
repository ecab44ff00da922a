"""Rendering of decision trees: golden HTML per case, escaping, and the markup contract.

The golden files live in tests/golden/trees/<case>.html. After a deliberate change to the
layout or the markup, rewrite them with `UPDATE_GOLDEN=1 .venv/bin/pytest
tests/test_tree_render.py` and review the diff before committing.
"""

from __future__ import annotations

import dataclasses
import difflib
import html
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from test_tree_layout import CASES, HERE, outcome, question, tree

from problems import Problem
from trees.layout import layout
from trees.model import Example, ExampleAnswer, MarkdownText, ReadLink, Tree
from trees.render import _path, render_problems, render_tree

GOLDEN = Path(__file__).parent / "golden" / "trees"
SVG = "{http://www.w3.org/2000/svg}"


def fake_markdown(text: MarkdownText) -> str:
    """Stands in for the page's Markdown: escapes the text and marks where it went."""
    return f'<p class="md">{html.escape(text.text)}</p>'


def fake_read_link(link: ReadLink) -> tuple[str, str]:
    """Stands in for link resolution: the target as href, a title made from it as text."""
    return link.target.replace(".md", "/"), f"Page {link.target}"


def render(case: Tree, heading_level: int = 3) -> str:
    return render_tree(
        case,
        layout(case),
        markdown=fake_markdown,
        read_link=fake_read_link,
        heading_level=heading_level,
    )


def with_examples(case: Tree, *examples: tuple[str, tuple[str, ...], str]) -> Tree:
    """A copy of a tree with worked examples: (situation, answer labels, expected outcome)."""
    return dataclasses.replace(
        case,
        examples=tuple(
            Example(situation, tuple(ExampleAnswer(label, HERE) for label in labels), expect, HERE)
            for situation, labels, expect in examples
        ),
    )


# Trees with worked examples, drawn against golden files beside the cases without.
EXAMPLE_CASES: dict[str, Tree] = {
    "examples": with_examples(
        CASES["example"],
        (
            "A retainer client wants one more report of the kind we already make",
            ("Yes, squarely", "Yes"),
            "take-it",
        ),
        ("A prospect asks us to run their payroll", ("Not at all",), "refer"),
        (
            "A client wants our standard report with their own branding",
            ("Partly", "Yes"),
            "scope-it",
        ),
    ),
    "hostile-examples": with_examples(
        CASES["hostile"],
        (
            '<script>alert(4)</script> & the "client" isn\'t sure',
            ('Tom & Jerry\'s "best"',),
            "end",
        ),
    ),
}
GOLDEN_CASES = {**CASES, **EXAMPLE_CASES}


def svg_of(markup: str) -> ET.Element:
    """The chart parsed as XML, which also proves it is well-formed."""
    return ET.fromstring(markup[markup.index("<svg") : markup.index("</svg>") + len("</svg>")])


@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
def test_rendered_tree_matches_golden_file(name: str) -> None:
    actual = render(GOLDEN_CASES[name])
    golden = GOLDEN / f"{name}.html"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8") if golden.exists() else ""
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=f"tests/golden/trees/{name}.html",
            tofile="rendered",
        )
        pytest.fail(
            "rendered HTML differs from the golden file (UPDATE_GOLDEN=1 rewrites it):\n"
            + "".join(diff),
            pytrace=False,
        )


@pytest.mark.parametrize("name", sorted(CASES))
def test_rendering_twice_gives_the_same_bytes(name: str) -> None:
    assert render(CASES[name]) == render(CASES[name])


@pytest.mark.parametrize("name", sorted(CASES))
def test_chart_is_well_formed_svg_sized_by_its_view_box(name: str) -> None:
    chart = layout(CASES[name])
    svg = svg_of(render(CASES[name]))
    size = f"{chart.width:g} {chart.height:g}"
    assert (svg.get("viewBox"), f"{svg.get('width')} {svg.get('height')}") == (
        f"0 0 {size}",
        size,
    )


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        (
            '<script>alert("title")</script>',
            "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;",
        ),
        (
            "<img src=x onerror=alert(1)> & 'quoted' \"double\"",
            "&lt;img src=x onerror=alert(1)&gt; &amp; &#x27;quoted&#x27; &quot;double&quot;",
        ),
        (
            "]]></text></svg><script>alert(2)</script>",
            "]]&gt;&lt;/text&gt;&lt;/svg&gt;&lt;script&gt;alert(2)&lt;/script&gt;",
        ),
        ('Tom & Jerry\'s "best"', "Tom &amp; Jerry&#x27;s &quot;best&quot;"),
        ("</svg><b>bold?</b>", "&lt;/svg&gt;&lt;b&gt;bold?&lt;/b&gt;"),
        ('../x/?a=1&b="2"', 'href="../x/?a=1&amp;b=&quot;2&quot;"'),
    ],
)
def test_hostile_text_is_shown_escaped(typed: str, shown: str) -> None:
    markup = render(CASES["hostile"])
    assert (shown in markup, typed in markup) == (True, False)


def test_hostile_text_never_becomes_markup() -> None:
    markup = render(CASES["hostile"])
    raw = [tag for tag in ("<script", "<img", "<b>", "]]>") if tag in markup]
    # The summary went through the (fake) Markdown, which escapes: nothing raw anywhere.
    assert (raw, markup.count("</svg>")) == ([], 1)


def test_hostile_text_keeps_the_chart_well_formed() -> None:
    svg = svg_of(render(CASES["hostile"]))
    label = next(g for g in svg.iter(f"{SVG}g") if g.get("class") == "dt-edge-label")
    end = next(a for a in svg.iter(f"{SVG}a") if a.get("data-node") == "end")
    assert (
        svg.find(f"{SVG}title").text,
        "".join(label.itertext()),
        [span.text for span in end.iter(f"{SVG}tspan")],
    ) == (
        'Flowchart: <script>alert("title")</script>',
        "]]></text></svg><script>alert(2)</script>",
        ["! Go with care", "</svg><b>bold?</b>"],
    )


def test_chart_is_named_and_described_for_assistive_technology() -> None:
    markup = render(CASES["example"])
    assert (
        '<title id="take-on-request--svg-title">'
        "Flowchart: Should we take on this request?</title>\n"
        '<desc id="take-on-request--svg-desc">3 questions and 3 outcomes, starting with'
        " “Is the request within what we are known for?”.</desc>"
    ) in markup


def test_description_counts_in_the_singular() -> None:
    single = tree(
        "one",
        "One",
        question("ask", "Ask?", ("Yes", "end"), ("No", "end")),
        outcome("end", "End", "go"),
    )
    assert '<desc id="one--svg-desc">1 question and 1 outcome, starting with “Ask?”.</desc>' in (
        render(single)
    )


def test_every_node_is_a_link_to_its_step_and_every_answer_an_edge() -> None:
    svg = svg_of(render(CASES["converging"]))
    nodes = [(a.get("data-node"), a.get("href"), a.get("class")) for a in svg.iter(f"{SVG}a")]
    edges = [
        (g.get("data-from"), g.get("data-answer"), g.get("data-to"))
        for g in svg.iter(f"{SVG}g")
        if g.get("class") == "dt-edge"
    ]
    assert nodes == [
        ("asked", "#refund--asked", "dt-node dt-node-question"),
        ("used", "#refund--used", "dt-node dt-node-question"),
        ("goodwill", "#refund--goodwill", "dt-node dt-node-question"),
        ("policy", "#refund--policy", "dt-node dt-node-question"),
        ("refund", "#refund--refund", "dt-node dt-node-outcome dt-verdict-go"),
        ("partial", "#refund--partial", "dt-node dt-node-outcome dt-verdict-caution"),
        ("nothing", "#refund--nothing", "dt-node dt-node-outcome dt-verdict-decline"),
    ]
    assert edges == [
        ("asked", "0", "used"),
        ("asked", "1", "goodwill"),
        ("asked", "2", "nothing"),
        ("used", "0", "policy"),
        ("used", "1", "goodwill"),
        ("goodwill", "0", "policy"),
        ("goodwill", "1", "nothing"),
        ("policy", "0", "refund"),
        ("policy", "1", "partial"),
    ]


def test_every_arrow_points_with_the_trees_own_marker() -> None:
    svg = svg_of(render(CASES["fan-out"]))
    markers = {
        path.get("marker-end")
        for g in svg.iter(f"{SVG}g")
        if g.get("class") == "dt-edge"
        for path in g.iter(f"{SVG}path")
    }
    assert (markers, svg.find(f"{SVG}defs/{SVG}marker").get("id")) == (
        {"url(#fan--arrow)"},
        "fan--arrow",
    )


@pytest.mark.parametrize("name", sorted(CASES))
def test_edges_run_straight_down_or_curve_between_the_heights_of_their_bends(name: str) -> None:
    drawn = layout(CASES[name])
    for edge in drawn.edges:
        d = _path(edge.points)
        # Only absolute moves, vertical lines and curves: each curve's control points lie
        # between the heights of its ends, so it never leaves the gap between two layers.
        assert re.fullmatch(r"M[-\d. ]+(?:V[-\d.]+|C[-\d. ]+)+", d), d
        y = edge.points[0][1]
        for command in re.findall(r"[VC][-\d. ]+", d):
            numbers = [float(n) for n in command[1:].split()]
            ys = numbers[1::2] if command[0] == "C" else numbers
            assert all(y <= each <= ys[-1] for each in ys), (edge.source, edge.answer, d)
            y = ys[-1]
        # The arrowhead points straight down: the last piece is vertical, or a curve whose
        # last control point stands right above its end.
        last = re.findall(r"[VC][-\d. ]+", d)[-1]
        x_end = edge.points[-1][0]
        assert last[0] == "V" or float(last[1:].split()[2]) == x_end, d


def test_outcomes_show_verdict_icon_and_word_in_chart_and_step() -> None:
    markup = render(CASES["fan-out"])
    chart = [
        re.sub(r"<[^>]+>", "|", match)
        for match in re.findall(r'<a class="dt-node dt-node-outcome.*?</a>', markup)
    ]
    steps = re.findall(r'<p class="dt-verdict">.*?</p>', markup)
    assert [re.sub(r"\|+", "|", text).strip("|") for text in chart] == [
        "✓ Go|Log the call",
        "! Go with care|Answer within a day",
        "✕ Decline|Send them to reception",
    ]
    assert steps == [
        '<p class="dt-verdict"><span class="dt-verdict-icon" aria-hidden="true">✓</span> Go</p>',
        '<p class="dt-verdict"><span class="dt-verdict-icon" aria-hidden="true">!</span>'
        " Go with care</p>",
        '<p class="dt-verdict"><span class="dt-verdict-icon" aria-hidden="true">✕</span>'
        " Decline</p>",
    ]


def test_steps_follow_the_order_the_writer_wrote_the_nodes() -> None:
    markup = render(CASES["converging"])
    assert re.findall(r'<section class="dt-step [^"]*" data-node="([^"]+)"', markup) == list(
        CASES["converging"].nodes
    )


def test_start_again_is_offered_on_every_step_but_the_first() -> None:
    restart = (
        '<p class="dt-nav"><a class="dt-restart" href="#take-on-request--core">Start again</a></p>'
    )
    sections = re.findall(
        r'<section [^>]*data-node="([^"]+)".*?</section>', render(CASES["example"]), re.S
    )
    offered = [
        node
        for node, section in zip(
            sections,
            re.findall(r"<section .*?</section>", render(CASES["example"]), re.S),
            strict=True,
        )
        if restart in section
    ]
    assert offered == ["capacity", "customisable", "take-it", "scope-it", "refer"]


def test_question_step_lists_answers_as_links_to_the_next_step() -> None:
    markup = render(CASES["example"])
    assert (
        '<ul class="dt-answers">\n'
        '<li><a class="dt-answer" href="#take-on-request--capacity" data-next="capacity"'
        ' data-answer="0">Yes, squarely</a></li>\n'
        '<li><a class="dt-answer" href="#take-on-request--customisable" data-next="customisable"'
        ' data-answer="1">Partly</a></li>\n'
        '<li><a class="dt-answer" href="#take-on-request--refer" data-next="refer"'
        ' data-answer="2">Not at all</a></li>\n'
        "</ul>"
    ) in markup


def test_outcome_step_shows_body_and_read_links() -> None:
    read_twice = tree(
        "two-links",
        "Two links",
        question("ask", "Ask?", ("Yes", "end"), ("No", "end")),
        outcome("end", "End", "go", "../a.md", "../b.md#part", body="Do *this*."),
    )
    assert (
        '<div class="dt-body"><p class="md">Do *this*.</p></div>\n'
        '<p class="dt-read">Read next: <a href="../a/">Page ../a.md</a>,'
        ' <a href="../b/#part">Page ../b.md#part</a></p>\n'
    ) in render(read_twice)


@pytest.mark.parametrize(
    ("case", "has_summary"),
    [("converging", True), ("fan-out", False)],
)
def test_summary_is_shown_only_when_written(case: str, has_summary: bool) -> None:
    shown = '<div class="dt-summary"><p class="md">' in render(CASES[case])
    assert shown == has_summary


@pytest.mark.parametrize("level", [2, 3, 4])
def test_step_titles_use_the_heading_level_asked_for(level: int) -> None:
    markup = render(CASES["fan-out"], heading_level=level)
    titles = re.findall(r'<(h\d) class="dt-step-title" id="([^"]+)">', markup)
    assert titles == [(f"h{level}", f"fan--{node}") for node in ("how", "call", "mail", "desk")]


def test_tree_opens_with_its_id_start_title_and_hidden_walker() -> None:
    assert render(CASES["fan-out"]).startswith(
        '<div class="dt" id="tree-fan" data-dt="fan" data-dt-start="how">\n'
        '<p class="dt-title" id="fan--title">Which channel?</p>\n'
        '<div class="dt-walker" hidden></div>\n'
        '<figure class="dt-chart">\n'
        '<svg class="dt-svg" xmlns="http://www.w3.org/2000/svg"'
    )


def test_tspans_have_no_whitespace_between_them() -> None:
    # Whitespace inside <text> would render as spaces and shift centred lines.
    markup = render(CASES["long-text"])
    assert re.findall(r"</tspan>\s+<tspan", markup) == []


@pytest.mark.parametrize(
    ("problems", "expected"),
    [
        (
            [
                Problem(
                    "docs/fit/a.md",
                    12,
                    5,
                    "no node 'aprove' (did you mean 'approve'?)",
                    "nodes.core.answers[1].next",
                )
            ],
            '<div class="admonition failure dt-problems">\n'
            '<p class="admonition-title">This decision tree has 1 problem and is not shown</p>\n'
            "<ul>\n"
            "<li>docs/fit/a.md:12:5: nodes.core.answers[1].next: no node &#x27;aprove&#x27;"
            " (did you mean &#x27;approve&#x27;?)</li>\n"
            "</ul>\n"
            "</div>\n",
        ),
        (
            [
                Problem("docs/a.md", 3, 1, 'YAML does not parse: found <script> & "quotes"'),
                Problem("docs/a.md", 9, 7, "a cycle: a -> b -> a", "nodes.b"),
            ],
            '<div class="admonition failure dt-problems">\n'
            '<p class="admonition-title">This decision tree has 2 problems and is not shown</p>\n'
            "<ul>\n"
            "<li>docs/a.md:3:1: YAML does not parse: found &lt;script&gt; &amp; &quot;quotes&quot;"
            "</li>\n"
            "<li>docs/a.md:9:7: nodes.b: a cycle: a -&gt; b -&gt; a</li>\n"
            "</ul>\n"
            "</div>\n",
        ),
    ],
)
def test_problems_are_listed_escaped_in_place_of_the_tree(
    problems: list[Problem], expected: str
) -> None:
    assert render_problems(problems) == expected
