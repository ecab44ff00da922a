"""Where a tree lives, in whole-site builds: a tree wherever Markdown renders a fence, an
example wherever it shows code, a message for a fence almost named `decision-tree`, and never
a hook placeholder in a page."""

from __future__ import annotations

import re

from trees.site import TreeSite

TREE = """\
```decision-tree
id: {id}
title: Shall we?
start: ask
nodes:
  ask:
    question: Shall we?
    help: |
      An example, not a link (only a run of exactly three backticks closes it):

      ```text
      ````
      [see](nowhere.md)
      ```
    answers:
      - label: Yes
        next: go
      - label: No
        next: stop
  go:
    outcome: Go
    verdict: go
    read: [other.md]
  stop:
    outcome: Stop
    verdict: decline
    read: [other.md]
```"""

OTHER = "# Other\n\nBack to [the tree](index.md).\n"


def indented(text: str, prefix: str) -> str:
    return "\n".join(prefix + line if line else line for line in text.split("\n"))


def typo(text: str) -> str:
    return text.replace("next: stop", "next: stpo")


def build(build_site, page: str, strict: bool = True):
    return build_site({"index.md": "# Page\n\n" + page + "\n", "other.md": OTHER}, strict=strict)


def test_a_tree_in_a_blockquote_is_checked(build_site):
    built = build(build_site, indented(typo(TREE.format(id="quoted")), "> "))
    assert built.messages == [
        "docs/index.md:21:17: nodes.ask.answers[1].next: no node 'stpo' (did you mean 'stop'?)"
    ]


def test_a_tree_in_a_list_item_indented_with_a_tab_is_checked(build_site):
    built = build(build_site, "1. First step.\n\n" + indented(typo(TREE.format(id="tab")), "\t"))
    assert built.messages == [
        "docs/index.md:23:16: nodes.ask.answers[1].next: no node 'stpo' (did you mean 'stop'?)"
    ]


def test_trees_in_admonitions_collapsible_blocks_and_content_tabs_are_drawn(build_site):
    page = "\n\n".join(
        [
            "!!! note\n\n" + indented(TREE.format(id="in-note"), "    "),
            "??? tip\n\n" + indented(TREE.format(id="in-details"), "    "),
            '=== "First"\n\n' + indented(TREE.format(id="in-tab"), "    "),
            '=== "Second"\n\n    Just text.',
            "<div markdown>\n\n" + TREE.format(id="in-div") + "\n\n</div>",
        ]
    )
    built = build(build_site, page)
    assert built.messages == []
    html = built.html()
    for tree in ("in-note", "in-details", "in-tab", "in-div"):
        assert f'class="dt" id="tree-{tree}"' in html
    assert 'class="tabbed-set tabbed-alternate"' in html


def test_tree_syntax_in_an_indented_code_block_is_shown_as_typed(build_site):
    example = "The syntax:\n\n" + indented(typo(TREE.format(id="example")), "    ")
    over = "- A step\n\n" + indented(typo(TREE.format(id="over")), "        ")
    built = build(build_site, example + "\n\n" + over)
    assert built.messages == []
    html = built.html()
    assert "dt-slot" not in html and 'class="dt"' not in html
    assert html.count("```decision-tree\nid: ") == 2
    assert "next: stpo" in html


def test_a_tree_in_an_html_comment_is_neither_checked_nor_left_in_the_page(build_site):
    built = build(build_site, "<!--\n" + typo(TREE.format(id="hidden")) + "\n-->")
    assert built.messages == []
    assert "dt-slot" not in built.html() and 'class="dt"' not in built.html()


def test_a_code_example_in_a_tree_field_holds_no_link(build_site):
    built = build(build_site, TREE.format(id="plain"))
    assert built.messages == []
    assert "nowhere.md" in built.html() and 'href="nowhere' not in built.html()


def test_near_misses_of_the_info_string_get_a_message_with_a_hint(build_site):
    page = "\n\n".join(
        [
            "```Decision-Tree\nid: a\n```",
            "```decision-tree {.wide}\nid: b\n```",
            # superfences refuses these two openings, so a closing line would open a fence.
            "> ```decision tree\n> id: d",
            "    ```Decision-Tree\n    id: an example in code stays silent\n    ```",
            "~~~decision-tree extra\nid: c",
        ]
    )
    built = build(build_site, page, strict=False)
    assert built.messages == [
        "docs/index.md:3:1: '```Decision-Tree' is not a decision tree (the info string is lower "
        "case), so it is shown as code: write '```decision-tree' alone to draw a tree, or "
        "another info string such as 'yaml' to show code",
        "docs/index.md:7:1: '```decision-tree {.wide}' is not a decision tree (a tree fence "
        "takes no {attributes}), so it is shown as code: write '```decision-tree' alone to draw "
        "a tree, or another info string such as 'yaml' to show code",
        "docs/index.md:11:3: '```decision tree' is not a decision tree (the words are joined "
        "by a hyphen), so it is shown as code: write '```decision-tree' alone to draw a tree, "
        "or another info string such as 'yaml' to show code",
        "docs/index.md:18:1: '~~~decision-tree extra' is not a decision tree (nothing may "
        "follow 'decision-tree' on the opening line), so it is shown as code: write "
        "'~~~decision-tree' alone to draw a tree, or another info string such as 'yaml' to "
        "show code",
    ]


def test_a_tree_broken_off_by_a_line_indented_less_gets_a_message(build_site):
    page = "- Step\n\n" + indented(TREE.format(id="broken"), "    ").replace(
        "    title: Shall we?", "title: Shall we?"
    )
    built = build(build_site, page, strict=False)
    assert built.messages == [
        "docs/index.md:7:1: this line is indented less than the ```decision-tree fence opened "
        "at line 5, so Markdown does not read the tree as a fence and shows its lines as text: "
        "indent every line of the tree at least as far as the opening ```"
    ]
    assert not re.search(r"dt-slot|class=\"dt\"", built.html())


def test_a_tree_anchor_that_a_heading_already_uses_is_reported_at_the_id_line(build_site):
    page = "## Tree: clash\n\nSee [the tree](#tree-clash).\n\n" + TREE.format(id="clash")
    built = build(build_site, page)
    assert built.messages == [
        "docs/index.md:8:5: id: the tree's anchor '#tree-clash' is also the id of a heading or "
        "another element on this page, and a link to it would land on whichever comes first: "
        "rename the tree, or give the heading an id of its own with {#...}"
    ]


def test_links_to_tree_anchors_resolve_against_the_drawn_page(build_site):
    page = "[Stop](#over--stop) and [the tree](#tree-over).\n\n" + TREE.format(id="over")
    assert build(build_site, page).messages == []
    broken = build(build_site, "[Stop](#over--stpo)\n\n" + TREE.format(id="over"))
    assert broken.messages == [
        "docs/index.md:3:8: broken link '#over--stpo': no anchor '#over--stpo' on this page "
        "(did you mean '#over--stop'?)"
    ]


def test_a_fence_read_as_a_tree_that_markdown_shows_as_code_gets_a_message():
    # The scanner and Markdown agree on every page the property test generates; should they
    # ever part, the page's HTML decides, and the writer is told.
    site = TreeSite()
    found = site.read_page("# Page\n\n" + TREE.format(id="odd") + "\n", "odd.md")
    assert found.problems == []
    confirmed = site.confirm("odd.md", "<pre><code>```decision-tree\nid: odd</code></pre>")
    assert [str(problem) for problem in confirmed.problems] == [
        "docs/odd.md:3:1: Markdown shows this ```decision-tree fence as code, not as a tree (it "
        "is read as part of an indented code block): indent it like the text around it"
    ]
    assert confirmed.links == [] and list(site.trees()) == []


def test_a_near_miss_or_hidden_copy_of_a_tree_never_takes_the_tree_s_place(build_site):
    tree = TREE.format(id="twin")
    wide = tree.replace("```decision-tree", "```decision-tree {.wide}", 1)
    page = "<!--\n" + tree + "\n-->\n\n" + wide + "\n\nThe real one:\n\n" + tree
    built = build(build_site, page, strict=False)
    assert built.messages == [
        "docs/index.md:34:1: '```decision-tree {.wide}' is not a decision tree (a tree fence "
        "takes no {attributes}), so it is shown as code: write '```decision-tree' alone to draw "
        "a tree, or another info string such as 'yaml' to show code"
    ]
    html = built.html()
    assert html.count('class="dt" id="tree-twin"') == 1
    assert html.index("The real one:") < html.index('class="dt" id="tree-twin"')
    assert "dt-slot" not in html
