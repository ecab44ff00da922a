"""Decision trees in whole-site builds: fences become charts, problems fail the build."""

from __future__ import annotations

import json
import re

from conftest import ROOT

TREE = """\
```decision-tree
id: {id}
title: Should we take on this request?
start: core
nodes:
  core:
    question: Is the request within what we are known for?
    help: |
      See [our focus](other.md#focus).
    answers:
      - label: Yes
        next: take-it
      - label: No
        next: refer
  take-it:
    outcome: Take it on
    verdict: go
    read: [other.md#focus]
  refer:
    outcome: Decline, and point them somewhere better
    verdict: decline
    body: Say <b>no</b> kindly.
    read: [other.md]
```
"""

OTHER = "# Our focus page\n\n## Focus\n\nBack to [the tree](index.md).\n"


def page_with_tree(tree_id: str = "take-on", front_matter: bool = True) -> str:
    head = "---\ntags: [requests]\n---\n" if front_matter else ""
    return f"{head}# Requests\n\nIntro.\n\n" + TREE.format(id=tree_id)


def test_a_tree_fence_becomes_a_chart_and_steps(build_site):
    built = build_site({"index.md": page_with_tree(), "other.md": OTHER})
    assert built.messages == []
    html = built.html()
    assert 'class="dt" id="tree-take-on"' in html
    assert "```decision-tree" not in html and "dt-slot" not in html
    assert '<h3 class="dt-step-title" id="take-on--core">' in html
    # Links in `help` and `read` get the URLs MkDocs gives page links, and read links
    # show the target page's title and section.
    assert '<a href="other/#focus">our focus</a>' in html
    assert '<a href="other/#focus">Our focus page: Focus</a>' in html
    assert '<a href="other/">Our focus page</a>' in html
    # `body` is Markdown whose raw HTML is shown as typed, never obeyed; plain text is escaped.
    assert "Say &lt;b&gt;no&lt;/b&gt; kindly." in html


def test_the_chart_is_in_the_written_page_but_not_in_the_search_index(build_site):
    # A writer's comment shaped like the chart's stand-in stays a comment.
    page = page_with_tree() + "\n<!--dt-chart 0123456789abcdef 0-->\n"
    built = build_site({"index.md": page, "other.md": OTHER})
    assert built.messages == []
    html = built.html()
    chart = re.search(
        r'<figure class="dt-chart">\n(<svg class="dt-svg".*?</svg>)\n</figure>', html, re.S
    )
    assert chart is not None
    assert '<g class="dt-edge" data-from="core" data-to="refer" data-answer="1">' in chart.group(1)
    assert '<title id="take-on--svg-title">Flowchart: Should we take on this request?</title>' in (
        chart.group(1)
    )
    assert "<!--dt-chart 0123456789abcdef 0-->" in html
    assert html.count("<!--dt-chart") == 1
    index = json.loads((built.site_dir / "search" / "search_index.json").read_text("utf-8"))
    texts = {entry["location"]: entry["text"] for entry in index["docs"]}
    # The steps are found by search; the chart, whose boxes repeat them, is left out.
    assert texts["#take-on--core"].startswith("<p>See ")
    assert not any("Flowchart:" in text for text in texts.values())


def test_a_tree_problem_names_the_line_in_the_file_below_front_matter(build_site):
    broken = page_with_tree().replace("next: refer", "next: refr")
    built = build_site({"index.md": broken, "other.md": OTHER})
    assert not built.ok
    # Line 21 of index.md, counting the three lines of front matter MkDocs strips.
    assert built.messages == [
        "docs/index.md:21:15: nodes.core.answers[1].next: no node 'refr' (did you mean 'refer'?)"
    ]


def test_a_broken_tree_shows_its_problems_in_the_page_while_previewing(build_site):
    broken = page_with_tree().replace("verdict: go", "verdict: maybe")
    built = build_site({"index.md": broken, "other.md": OTHER}, strict=False)
    html = built.html()
    assert 'class="dt"' not in html
    box = re.search(r'<div class="admonition failure dt-problems">.*?</div>', html, re.S)
    assert box is not None
    assert "docs/index.md:" in box.group(0) and "nodes.take-it.verdict" in box.group(0)


def test_the_same_tree_id_on_two_pages_fails_at_the_id_lines(build_site):
    built = build_site(
        {
            "index.md": page_with_tree(),
            "second.md": "# Second\n\n" + TREE.format(id="take-on"),
            "other.md": OTHER + "\nAnd [the second](second.md).\n",
        }
    )
    assert not built.ok
    assert built.messages == [
        "docs/second.md:4:5: id: the tree id 'take-on' is already used by the tree at "
        "docs/index.md:9; tree ids appear in web addresses, so each must be unique across "
        "the site: rename one of them"
    ]


def test_a_read_page_without_a_link_back_fails(build_site):
    built = build_site(
        {"index.md": page_with_tree(), "other.md": "# Our focus page\n\n## Focus\n\nNo link.\n"}
    )
    assert not built.ok
    assert built.messages == [
        "docs/index.md:25:12: 'other.md' does not link back to 'index.md', which holds tree "
        "'take-on': add a link to it",
        "docs/index.md:30:12: 'other.md' does not link back to 'index.md', which holds tree "
        "'take-on': add a link to it",
    ]


def test_broken_links_inside_tree_fields_are_reported_at_their_place(build_site):
    broken = page_with_tree().replace("other.md#focus).", "other.md#focuss).")
    built = build_site({"index.md": broken, "other.md": OTHER})
    assert not built.ok
    assert built.messages == [
        "docs/index.md:16:23: broken link 'other.md#focuss': no anchor '#focuss' on 'other.md' "
        "(did you mean '#focus'?)"
    ]


def test_links_to_a_tree_node_resolve(build_site):
    built = build_site(
        {
            "index.md": page_with_tree(),
            "other.md": OTHER + "\nStraight to [the decline](index.md#take-on--refer).\n",
        }
    )
    assert built.messages == []


def test_an_example_fence_inside_a_longer_fence_is_left_as_code(build_site):
    example = "# Guide\n\n````markdown\n" + TREE.format(id="example") + "````\n"
    built = build_site({"index.md": example})
    assert built.messages == []
    assert "```decision-tree" in built.html()
    assert 'class="dt"' not in built.html()


def test_a_plugin_that_drops_the_charts_place_stops_the_build_with_what_to_do(build_site, tmp_path):
    strip = tmp_path / "strip_comments.py"
    strip.write_text(
        "import re\n\n\ndef on_post_page(output, page, config):\n"
        "    return re.sub(r'<!--.*?-->', '', output, flags=re.S)\n",
        encoding="utf-8",
    )
    built = build_site(
        {"index.md": page_with_tree(), "other.md": OTHER},
        extra=f"\nhooks:\n  - {strip}\n  - {ROOT / 'hooks' / 'handbook.py'}\n",
    )
    assert not built.ok
    assert built.messages[-1] == (
        "docs/index.md: the page's flowchart could not be put back before the page was "
        "written: a plugin's on_post_page, run before the handbook's hooks, removed the HTML "
        "comment that holds its place; run that plugin after the hooks (a lower event "
        "priority) or leave HTML comments in the page as they are"
    )
