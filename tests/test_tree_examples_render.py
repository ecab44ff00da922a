"""Worked examples as readers see them: anchors, text, links, and search in a whole-site build.

The golden files of trees with examples are `tests/golden/trees/examples.html` and
`hostile-examples.html` (drawn by test_tree_render.py); these tests pin the rules behind them.
"""

from __future__ import annotations

import json
import re

import pytest
from test_tree_layout import CASES
from test_tree_render import EXAMPLE_CASES, render

from trees.render import example_anchor, example_url, examples_anchor
from trees.site import tree_anchors

EXAMPLES = EXAMPLE_CASES["examples"]


def example_sections(markup: str) -> list[str]:
    return re.findall(r'<section class="dt-example .*?</section>', markup, re.S)


def test_each_example_has_its_own_anchor_apart_from_every_node_anchor() -> None:
    # A node may be called "example-1" or "examples": no example's anchor has a node's form.
    anchors = [example_anchor(EXAMPLES, k) for k in (1, 2, 10)] + [examples_anchor(EXAMPLES)]
    assert anchors == [
        "take-on-request--example--1",
        "take-on-request--example--2",
        "take-on-request--example--10",
        "take-on-request--example--all",
    ]
    node_form = re.compile(r"take-on-request--[a-z0-9]+(?:-[a-z0-9]+)*")
    assert [anchor for anchor in anchors if node_form.fullmatch(anchor)] == []


def test_example_headings_carry_their_anchors_in_order() -> None:
    assert re.findall(
        r'<h4 class="dt-example-title" id="([^"]+)">([^<]+)</h4>', render(EXAMPLES)
    ) == [
        (
            "take-on-request--example--1",
            "A retainer client wants one more report of the kind we already make",
        ),
        ("take-on-request--example--2", "A prospect asks us to run their payroll"),
        (
            "take-on-request--example--3",
            "A client wants our standard report with their own branding",
        ),
    ]


@pytest.mark.parametrize(
    ("level", "headings"),
    [
        pytest.param(3, ["h3", "h4", "h4", "h4"], id="below-the-title"),
        pytest.param(2, ["h2", "h3", "h3", "h3"], id="tree-under-the-page-title"),
        pytest.param(6, ["h6", "h6", "h6", "h6"], id="no-level-below-h6"),
    ],
)
def test_examples_heading_sits_at_the_steps_level_and_each_example_one_below(
    level: int, headings: list[str]
) -> None:
    markup = render(EXAMPLES, heading_level=level)
    assert re.findall(r'<(h\d) class="dt-examples?-title"', markup) == headings
    assert f'<h{level} class="dt-examples-title" id="take-on-request--example--all">' in markup


def test_an_example_shows_its_path_as_questions_and_answers_linked_to_the_steps() -> None:
    first = example_sections(render(EXAMPLES))[0]
    assert re.findall(r"<li>.*?</li>", first) == [
        '<li><a href="#take-on-request--core" data-walk="">'
        "Is the request within what we are known for?</a>"
        ' <span class="dt-a">Yes, squarely</span></li>',
        '<li><a href="#take-on-request--capacity" data-walk="0">'
        "Can we serve it without pulling people off core work?</a>"
        ' <span class="dt-a">Yes</span></li>',
    ]


@pytest.mark.parametrize(
    ("number", "outcome"),
    [
        (
            0,
            '<p class="dt-example-outcome">Outcome: <a href="#take-on-request--take-it"'
            ' data-walk="0.0">Take it on</a> <span class="dt-verdict">'
            '<span class="dt-verdict-icon" aria-hidden="true">✓</span> Go</span></p>',
        ),
        (
            1,
            '<p class="dt-example-outcome">Outcome: <a href="#take-on-request--refer"'
            ' data-walk="2">Decline, and point them somewhere better</a>'
            ' <span class="dt-verdict"><span class="dt-verdict-icon" aria-hidden="true">✕</span>'
            " Decline</span></p>",
        ),
        (
            2,
            '<p class="dt-example-outcome">Outcome: <a href="#take-on-request--scope-it"'
            ' data-walk="1.0">Take it on, with an agreed scope</a> <span class="dt-verdict">'
            '<span class="dt-verdict-icon" aria-hidden="true">!</span> Go with care</span></p>',
        ),
    ],
)
def test_an_example_ends_at_its_outcome_with_the_verdicts_icon_and_word(
    number: int, outcome: str
) -> None:
    assert outcome in example_sections(render(EXAMPLES))[number]


@pytest.mark.parametrize(
    ("number", "url"),
    [
        (0, "?dt-take-on-request=0.0#take-on-request--take-it"),
        (1, "?dt-take-on-request=2#take-on-request--refer"),
        (2, "?dt-take-on-request=1.0#take-on-request--scope-it"),
    ],
)
def test_walk_this_example_is_a_real_link_to_the_walkers_url_of_the_outcome(
    number: int, url: str
) -> None:
    example = EXAMPLES.examples[number]
    assert example_url(EXAMPLES, example) == url
    walk_link = (
        '<p class="dt-example-walk" data-search-exclude><a class="md-button"'
        f' href="{url}" data-walk="{url.split("=")[1].split("#")[0]}"'
        f' aria-describedby="take-on-request--example--{number + 1}">Walk this example</a></p>'
    )
    assert walk_link in example_sections(render(EXAMPLES))[number]


def test_each_example_takes_its_outcomes_verdict_colour() -> None:
    assert re.findall(r'<section class="dt-example ([^"]+)"', render(EXAMPLES)) == [
        "dt-verdict-go",
        "dt-verdict-decline",
        "dt-verdict-caution",
    ]


def test_examples_follow_the_steps_inside_the_tree() -> None:
    markup = render(EXAMPLES)
    steps_end = markup.index("</div>", markup.index('<div class="dt-steps">'))
    assert markup.index('<section class="dt-examples"') > steps_end
    assert markup.endswith("</section>\n</section>\n</div>\n")


def test_a_tree_without_examples_shows_no_examples_section() -> None:
    assert "dt-example" not in render(CASES["example"])


def test_example_text_is_shown_as_typed() -> None:
    markup = render(EXAMPLE_CASES["hostile-examples"])
    section = example_sections(markup)[0]
    assert re.findall(r">([^<>]+)</(?:h4|a|span)>", section) == [
        "&lt;script&gt;alert(4)&lt;/script&gt; &amp; the &quot;client&quot; isn&#x27;t sure",
        "&lt;img src=x onerror=alert(1)&gt; &amp; &#x27;quoted&#x27; &quot;double&quot;",
        "Tom &amp; Jerry&#x27;s &quot;best&quot;",
        "&lt;/svg&gt;&lt;b&gt;bold?&lt;/b&gt;",
        "!",
        "Walk this example",
    ]
    assert "<script>" not in markup


def test_links_to_examples_are_known_to_the_link_checker() -> None:
    anchors = tree_anchors(EXAMPLES)
    assert sorted(a for a in anchors if "--example--" in a) == [
        "take-on-request--example--1",
        "take-on-request--example--2",
        "take-on-request--example--3",
        "take-on-request--example--all",
    ]
    assert not any("--example--" in a for a in tree_anchors(CASES["example"]))


# ---------------------------------------------------------------- whole site

PAGE = """\
# Requests

## Decide

```decision-tree
id: take-on
title: Should we take on this request?
start: core
examples:
  - situation: A retainer client wants one more quarterly staffing forecast
    answers:
      - Yes, squarely
    expect: take-it
  - situation: A prospect asks us to run their payroll
    answers: [Not at all]
    expect: refer
nodes:
  core:
    question: Is the request within what we are known for?
    answers:
      - label: Yes, squarely
        next: take-it
      - label: Not at all
        next: refer
  take-it:
    outcome: Take it on
    verdict: go
    read: [other.md]
  refer:
    outcome: Decline, and point them somewhere better
    verdict: decline
    read: [other.md]
```

See [the payroll example](#take-on--example--2).
"""

OTHER = "# Other\n\nBack to [the tree](index.md).\n"


def test_a_whole_site_build_shows_examples_and_search_lands_on_each(build_site) -> None:
    built = build_site({"index.md": PAGE, "other.md": OTHER})
    assert (built.ok, built.messages) == (True, [])
    html = built.html()
    assert '<h3 class="dt-examples-title" id="take-on--example--all">Worked examples</h3>' in html
    assert (
        '<a class="md-button" href="?dt-take-on=1#take-on--refer" data-walk="1"'
        ' aria-describedby="take-on--example--2">Walk this example</a>'
    ) in html
    index = json.loads((built.site_dir / "search" / "search_index.json").read_text("utf-8"))
    found = {
        entry["location"]: (entry["title"], entry["text"])
        for entry in index["docs"]
        if "--example--" in entry["location"]
    }
    assert found == {
        "#take-on--example--all": ("Worked examples", ""),
        "#take-on--example--1": (
            "A retainer client wants one more quarterly staffing forecast",
            "<ol> <li>Is the request within what we are known for? Yes, squarely</li> </ol>"
            " <p>Outcome: Take it on ✓ Go</p>",
        ),
        "#take-on--example--2": (
            "A prospect asks us to run their payroll",
            "<ol> <li>Is the request within what we are known for? Not at all</li> </ol>"
            " <p>Outcome: Decline, and point them somewhere better ✕ Decline</p>",
        ),
    }


def test_a_link_to_an_example_the_tree_lacks_is_reported(build_site) -> None:
    page = PAGE.replace("#take-on--example--2", "#take-on--example--3")
    built = build_site({"index.md": page, "other.md": OTHER})
    assert built.messages == [
        "docs/index.md:35:27: broken link '#take-on--example--3': no anchor"
        " '#take-on--example--3' on this page (did you mean '#take-on--example--2'?)"
    ]
