"""Where links are found: kinds, lines and columns in pages, anchors in HTML, nav entries."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from links.collect import collect_links, collect_nav_links, line_offset, mask_code
from links.index import anchors_in, build_index
from links.model import Link


def found(text: str) -> list[tuple[int, int, str, str]]:
    return [(link.line, link.col, link.target, link.kind) for link in collect_links(text, "p.md")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("[a](x.md)", [(1, 5, "x.md", "inline")], id="inline"),
        pytest.param("![a](x.png)", [(1, 6, "x.png", "image")], id="image"),
        pytest.param(
            "[![a](in.png)](out.md)",
            [(1, 7, "in.png", "image"), (1, 16, "out.md", "inline")],
            id="image inside a link",
        ),
        pytest.param('[a](x.md "Title (1)")', [(1, 5, "x.md", "inline")], id="title"),
        pytest.param("[a](<my page.md>)", [(1, 6, "my page.md", "inline")], id="angle brackets"),
        pytest.param("[a](x_(y).md)", [(1, 5, "x_(y).md", "inline")], id="balanced parens"),
        pytest.param("\\[a](x.md)", [], id="escaped bracket"),
        pytest.param(
            "[a][r]\n\n[r]:\n  y.md",
            [(4, 3, "y.md", "reference")],
            id="definition target on the next line",
        ),
        pytest.param(
            "<https://a.example/x> <mailto:a@b.example>",
            [(1, 2, "https://a.example/x", "autolink"), (1, 24, "mailto:a@b.example", "autolink")],
            id="autolinks",
        ),
        pytest.param(
            "<p class=x data-href=\"no\" HREF = 'y.md' >",
            [(1, 35, "y.md", "html")],
            id="html attribute names are matched whole and ignore case",
        ),
        pytest.param(
            '<div title="a > b" ><img src="z.png"></div>',
            [(1, 31, "z.png", "html")],
            id="quoted > does not end a tag",
        ),
        pytest.param("Some `` `[a](x.md)` `` text", [], id="double-backtick span"),
        pytest.param("An `unclosed [a](x.md)", [(1, 18, "x.md", "inline")], id="lone backtick"),
        pytest.param(
            "```\n[a](x.md)\n",
            [(2, 5, "x.md", "inline")],
            id="unclosed fence is text to Python-Markdown, so its link is a link",
        ),
        pytest.param("````\n```\n[a](x.md)\n```\n````\n", [], id="fence inside a longer fence"),
        pytest.param(
            "```py\nx\n```\n[a](x.md)", [(4, 5, "x.md", "inline")], id="text after a fence"
        ),
        pytest.param("<!-- `x` -->[a](x.md)", [(1, 17, "x.md", "inline")], id="after a comment"),
        pytest.param(
            "1. step\n\n        code [a](x.md)\n\n    [b](y.md)",
            [(5, 9, "y.md", "inline")],
            id="code in a list item is indented eight",
        ),
        pytest.param(
            "para\n    [a](x.md)",
            [(2, 9, "x.md", "inline")],
            id="indented line continuing a paragraph is not code",
        ),
    ],
)
def test_collect_links_kinds_and_places(text, expected):
    assert found(text) == expected


def test_mask_code_keeps_length_and_line_breaks():
    text = "a `b`\n```\nc\n```\n<!-- d\ne -->"
    masked = mask_code(text)
    assert len(masked) == len(text)
    assert masked.split("\n") == ["a    ", "   ", " ", "   ", "      ", "     "]


def test_line_offset_counts_front_matter_lines():
    source = "---\ntitle: T\ntags: [a]\n---\n\n# Page\n"
    assert line_offset(source, "# Page\n") == 5
    assert line_offset("# Page\n", "# Page\n") == 0
    assert line_offset("other", "# Page\n") == 0


@pytest.mark.parametrize(
    ("page_html", "expected"),
    [
        pytest.param(
            '<h2 id="core-and-periphery">Core<a class="headerlink" href="#core">¶</a></h2>',
            {"core-and-periphery"},
            id="heading",
        ),
        pytest.param("<a name='old'></a><div id=bare></div>", {"old", "bare"}, id="quotes"),
        pytest.param('<p id="caf&eacute;"></p>', {"café"}, id="entities decoded"),
        pytest.param(
            '<code>&lt;a id="x"&gt;</code><pre>id="y"</pre>', set(), id="code is not markup"
        ),
        pytest.param('<!-- <a id="z"> --><p data-id="w" grid="v"></p>', set(), id="not ids"),
        pytest.param(
            '<section id="dt-take-on--core" title="a > b"></section>',
            {"dt-take-on--core"},
            id="tree node section",
        ),
    ],
)
def test_anchors_in(page_html, expected):
    assert anchors_in(page_html) == expected


def test_site_index_finds_pages_by_url():
    index = build_index({"index.md": "", "fit/focus.md": "fit/focus/"}, {"a.pdf": "a.pdf"}, {})
    assert index.page_at("fit/focus/") == "fit/focus.md"
    assert index.page_at("fit/focus") == "fit/focus.md"
    assert index.page_at("fit/focus/index.html") == "fit/focus.md"
    assert index.page_at("") == "index.md"
    assert index.page_at("a.pdf") == "a.pdf"
    assert index.page_at("fit/other/") is None


def test_collect_nav_links_places_each_entry():
    config = (
        "site_name: t\n"
        "site_url: !ENV [X, 'http://h/']\n"
        "nav:\n"
        "  - index.md\n"
        "  - Fit:\n"
        "      - fit/index.md\n"
        "      - 'Focus': \"fit/focus.md\"\n"
        "  - Elsewhere: https://example.org/\n"
    )
    assert collect_nav_links(config) == [
        Link("mkdocs.yml", 4, 5, "index.md", "nav"),
        Link("mkdocs.yml", 6, 9, "fit/index.md", "nav"),
        Link("mkdocs.yml", 7, 19, "fit/focus.md", "nav"),
    ]


@pytest.mark.parametrize(
    "config", ["site_name: t\n", "nav: [\n", "- a\n"], ids=["no nav", "bad yaml", "not a mapping"]
)
def test_collect_nav_links_without_a_nav(config):
    assert collect_nav_links(config) == []


MARKDOWN_BITS = st.lists(
    st.sampled_from(
        [
            "[",
            "]",
            "(",
            ")",
            "<",
            ">",
            "!",
            "`",
            "~~~",
            "```",
            "\n",
            "\n\n",
            "    ",
            "- ",
            "!!! n",
            "a.md",
            "#x",
            '"t"',
            "href=",
            "src='",
            "<!--",
            "-->",
            ":",
            "\\",
            " ",
            "x",
            "<a ",
            "\t",
        ]
    ),
    max_size=60,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(MARKDOWN_BITS)
def test_every_found_target_is_where_it_says(text):
    lines = text.split("\n")
    for link in collect_links(text, "p.md"):
        line = lines[link.line - 1]
        assert line[link.col - 1 : link.col - 1 + len(link.target)] == link.target
    assert len(mask_code(text)) == len(text)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("<a" + ' b="c"' * 60 + " /", id="unclosed tag with quoted attributes"),
        pytest.param("<a " + "b=c/" * 2000, id="unclosed tag with unquoted attributes"),
        pytest.param("<!--" * 3000, id="unclosed comments"),
        pytest.param("[" * 3000 + "](" * 3000, id="brackets"),
    ],
)
def test_malformed_markup_is_read_in_linear_time(text):
    # Exponential backtracking would hang these; a linear scan finds nothing in each.
    assert collect_links(text, "p.md") == []
    assert anchors_in(text) == set()
