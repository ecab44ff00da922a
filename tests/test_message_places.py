"""Every kind of message the build can show a writer points at what it names.

One row per message kind. A live row marks the exact key or value a message is about with
`‸` in the page; the test removes the mark, reads the page as the build does and asserts the
whole message at the mark's line and column. The kinds whose place another test already
asserts whole are listed in `ELSEWHERE` with the test that does (its row id in brackets),
so that the two lists together leave no kind out; `ELSEWHERE` is checked to name real tests.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from links.site import LinkSite
from pages import page_url
from tests.test_tree_parse import BASE
from trees import parse
from trees.site import TreeSite

MARK = "‸"
TESTS = Path(__file__).parent

# A valid tree (`BASE`); rows change one thing in it. Line 1 of the YAML is line 4 of the page.


def tree_page(*pairs: str, opening: str = "```decision-tree") -> str:
    """A page holding `BASE` with each (old, new) pair replaced once."""
    body = BASE
    for old, new in zip(pairs[::2], pairs[1::2], strict=True):
        assert old in body, old
        body = body.replace(old, new, 1)
    return f"# T\n\n{opening}\n{body}```\n"


def marked(text: str) -> tuple[str, int, int]:
    """`text` without its one mark, and the mark's 1-based line and column."""
    assert text.count(MARK) == 1, text
    at = text.index(MARK)
    line = text.count("\n", 0, at) + 1
    return text.replace(MARK, ""), line, at - text.rfind("\n", 0, at)


# (page with the mark, the message after "docs/fit/t.md:LINE:COL: ")
TREE_ROWS = [
    pytest.param(
        tree_page("title: T", 'title: "a‸\\q b"'),
        "an unknown escape after '\\' in double quotes: write '\\\\' for a backslash, or use "
        "single quotes",
        id="yaml-unknown-escape",
    ),
    pytest.param(
        tree_page("title: T", "title: a‸: b"),
        "a ': ' where YAML does not expect a key: put text that contains ': ' in quotes, or "
        "line this key up with the keys above it",
        id="yaml-colon-in-value",
    ),
    pytest.param(
        tree_page("title: T", "title: ‸* x"),
        "'&', '*' and '!' start YAML anchors, aliases and tags, which a tree does not use: put "
        "text that starts with them in quotes",
        id="yaml-sign-alone",
    ),
    pytest.param(
        tree_page("title: T", "title: [a, ‸& ]"),
        "'&', '*' and '!' start YAML anchors, aliases and tags, which a tree does not use: put "
        "text that starts with them in quotes",
        id="yaml-sign-alone-in-a-list",
    ),
    pytest.param(
        tree_page("    question: Q?", "    question: |‸x\n      Q?"),
        "only '-', '+' or a digit may follow '|' or '>' on its line: start the text on the "
        "next line, indented",
        id="yaml-block-scalar-indicator",
    ),
    pytest.param(
        tree_page("      - label: No\n", "      ‸label: No\n"),
        "this line does not line up with the '- ' items above it: start it with '- ', or "
        "indent it under an item",
        id="yaml-item-without-dash",
    ),
    pytest.param(
        tree_page("title: T", "title: [a, ‸, b]"),
        "a value is missing here: write it, or put it in quotes",
        id="yaml-value-missing",
    ),
    pytest.param(
        tree_page("    read: [b.md]\n", "    read: [b.md]\n...\n‸foo\n"),
        "unexpected text after the end of the tree: remove it, or indent it",
        id="yaml-text-after-the-end",
    ),
    pytest.param(
        tree_page("title: T", "title: a‸\x07b"),
        "the control character U+0007 cannot stand in YAML: remove it",
        id="yaml-control-character",
    ),
    pytest.param(
        tree_page("title: T", "title: ‸{}"),
        "title: expected text but received an empty group ('{}'): write the title on the "
        "same line, after the ':'",
        id="empty-group",
    ),
    pytest.param(
        tree_page("id: t\n", "", "title: T", "‸title: T"),
        "missing required key 'id': add 'id:' with a name for the tree in lowercase words "
        "joined by hyphens, like 'take-on-request'",
        id="missing-id",
    ),
    pytest.param(
        tree_page("start: q\n", "", "id: t", "‸id: t"),
        "missing required key 'start': add 'start:' with the id of the first question",
        id="missing-start",
    ),
    pytest.param(
        tree_page("nodes:\n", "nodes:\n", "id: t", "‸id: t").split("nodes:")[0] + "```\n",
        "missing required key 'nodes': add 'nodes:' with the questions and outcomes, indented "
        "below it",
        id="missing-nodes",
    ),
    pytest.param(
        tree_page(
            '  q:\n    question: Q?\n    answers:\n      - label: "Yes"\n        next: go\n'
            "      - label: No\n        next: stop\n",
            "  ‸q:\n    question: Q?\n",
        ),
        "nodes.q: missing required key 'answers': add 'answers:' with at least two "
        "'- label: ... next: ...' items",
        id="missing-answers",
    ),
    pytest.param(
        tree_page("  go:\n", "  ‸go:\n", "    verdict: go\n", ""),
        "nodes.go: missing required key 'verdict': add 'verdict:' with one of: go, caution, "
        "decline",
        id="missing-verdict",
    ),
    pytest.param(
        tree_page("      - label: No\n        next: stop", "      - ‸next: stop"),
        "nodes.q.answers[1]: missing required key 'label': add 'label:' with the answer's text",
        id="missing-label",
    ),
    pytest.param(
        tree_page(opening="‸```decision-trees"),
        "'```decision-trees' is not a decision tree (the info string is exactly "
        "'decision-tree'), so it is shown as code: write '```decision-tree' alone to draw a "
        "tree, or another info string such as 'yaml' to show code",
        id="near-miss-plural",
    ),
    pytest.param(
        tree_page(opening="‸```decision_tree"),
        "'```decision_tree' is not a decision tree (the words are joined by a hyphen), so it "
        "is shown as code: write '```decision-tree' alone to draw a tree, or another info "
        "string such as 'yaml' to show code",
        id="near-miss-underscore",
    ),
    pytest.param(
        tree_page(opening='‸```decision-tree title="x"'),
        "'```decision-tree title=\"x\"' is not a decision tree (nothing may follow "
        "'decision-tree' on the opening line), so it is shown as code: write "
        "'```decision-tree' alone to draw a tree, or another info string such as 'yaml' to "
        "show code",
        id="near-miss-extra-words",
    ),
]


@pytest.mark.parametrize("libyaml", [True, False], ids=["libyaml", "pure-python"])
@pytest.mark.parametrize(("page", "expected"), TREE_ROWS)
def test_a_tree_message_points_at_what_it_names(page, expected, libyaml, monkeypatch):
    if not libyaml:
        monkeypatch.setattr(parse, "_Parser", parse.PurePythonParser)
    text, line, col = marked(page)
    found = TreeSite().read_page(text, "fit/t.md")
    assert [str(problem) for problem in found.problems] == [
        f"docs/fit/t.md:{line}:{col}: {expected}"
    ]


# (the pages, one with the mark, the message after "docs/PAGE:LINE:COL: ")
LINK_ROWS = [
    pytest.param(
        {"index.md": "[b](b.md)\n", "b.md": '# B\n\n<a href="‸../../x/">up</a>\n'},
        "broken link '../../x/': it points above the site's root",
        id="html-above-the-root",
    ),
    pytest.param(
        {"a.md": "# A\n\n[home](‸./) and [b](b.md)\n", "b.md": "# B\n"},
        "broken link './': no page 'index.md' in docs/",
        id="no-home-page",
    ),
    pytest.param(
        {"index.md": "# A\n\nSee [b](‸b.html).\n", "b.md": "# B\n"},
        "broken link 'b.html': no file 'b.html': link to the .md file (did you mean 'b.md'?)",
        id="html-file-of-a-page",
    ),
    pytest.param(
        {"index.md": "# A\n\nSee [b](‸fit/) and [c](fit/c.md).\n", "fit/c.md": "# C\n"},
        "broken link 'fit/': no page 'fit.md' or 'fit/index.md'",
        id="folder-without-a-page",
    ),
    pytest.param(
        {"index.md": "# A\n\nSee [b](‸fit/).\n", "fit/index.md": "# F\n"},
        "broken link 'fit/': a link to a folder is left as written and resolves against the "
        "page's URL, not its file: link to the .md file (did you mean 'fit/index.md'?)",
        id="folder-with-a-page",
    ),
    pytest.param(
        {"index.md": "# A\n\nSee [b][r].\n\n[r]: ‸nope.md\n"},
        "broken link 'nope.md': no page 'nope.md'",
        id="reference-definition",
    ),
    pytest.param(
        {"index.md": '# A\n\nSee <a href="‸">b</a>.\n'},
        "broken link '': it has no target; write the .md file it points to",
        id="no-target",
    ),
    pytest.param(
        {"index.md": "# A\n\nSee [b](‸http://[::1).\n"},
        "broken link 'http://[::1': it is not a valid URL; check its brackets and slashes",
        id="not-a-url",
    ),
]


@pytest.mark.parametrize(("files", "expected"), LINK_ROWS)
def test_a_link_message_points_at_the_link_s_target(files, expected):
    site = LinkSite()
    problems = []
    place = None
    for name, page in files.items():
        text = page
        if MARK in page:
            text, line, col = marked(page)
            place = f"docs/{name}:{line}:{col}"
        problems += site.read_page(text, name)
        site.read_html(name, '<h1 id="top-heading">T</h1>')
    if not problems:  # a link MkDocs cannot render stops the build before any check
        problems = site.check_files(
            {name: page_url(name) for name in files}, {}, None, "site_name: T\n", ""
        )
    assert [str(problem) for problem in problems] == [f"{place}: {expected}"]


# Kinds whose exact place is asserted whole elsewhere: "file.py::test[row]".
MISTAKES = "test_tree_parse.py::test_mistake_is_reported_with_place_and_fix"
EXAMPLES = "test_tree_examples.py::test_example_mistake_is_reported_at_the_entry_at_fault"
ELSEWHERE = {
    # The tree reader (hooks/trees/parse.py), one row each in the mistakes table.
    "tab character": f"{MISTAKES}[tab]",
    "quote never closed": f"{MISTAKES}[unclosed-quote]",
    "line not lined up": f"{MISTAKES}[bad-indent]",
    "no ':' after a key": f"{MISTAKES}[missing-colon]",
    "list not closed": f"{MISTAKES}[unclosed-bracket]",
    "mapping not closed": f"{MISTAKES}[unclosed-brace]",
    "sign cannot start a value": f"{MISTAKES}[backtick]",
    "text after a value": f"{MISTAKES}[text-after-quote]",
    "not key-value lines": f"{MISTAKES}[top-list]",
    "empty tree": f"{MISTAKES}[empty]",
    "missing and unknown key": f"{MISTAKES}[missing-and-unknown]",
    "unknown node key": f"{MISTAKES}[unknown-node-key]",
    "wrong type": f"{MISTAKES}[wrong-type-title]",
    "tree id not allowed (its value)": f"{MISTAKES}[tree-id-bad]",
    "node id not allowed": f"{MISTAKES}[node-id-bad]",
    "node id twice": f"{MISTAKES}[dup-node]",
    "key twice": f"{MISTAKES}[dup-top-key]",
    "YAML tag": f"{MISTAKES}[tag]",
    "YAML anchor": f"{MISTAKES}[anchor]",
    "YAML alias": f"{MISTAKES}[alias]",
    "merge key": f"{MISTAKES}[merge]",
    "second document": f"{MISTAKES}[two-docs]",
    "verdict not one of": f"{MISTAKES}[verdict-maybe]",
    "question and outcome": f"{MISTAKES}[both]",
    "neither question nor outcome": f"{MISTAKES}[neither]",
    "too few answers": f"{MISTAKES}[one-answer]",
    "too many answers": f"{MISTAKES}[nine-answers]",
    "label twice": f"{MISTAKES}[dup-label]",
    "empty text": f"{MISTAKES}[empty-question]",
    "read not a link": f"{MISTAKES}[read-mapping]",
    "unsafe read link": f"{MISTAKES}[read-js]",
    "start names no node": f"{MISTAKES}[start-typo]",
    "next names no node (its value)": f"{MISTAKES}[next-typo]",
    "unreachable node": f"{MISTAKES}[unreachable]",
    "answer leads round a loop": f"{MISTAKES}[cycle]",
    "no outcome reachable": f"{MISTAKES}[dead-end]",
    "text too long": f"{MISTAKES}[long-title]",
    "key not a plain word": f"{MISTAKES}[complex-key]",
    "verdict on a question": f"{MISTAKES}[question-verdict]",
    "nested too deep": f"{MISTAKES}[deep]",
    "fence never closed": "test_tree_parse.py::"
    "test_unclosed_fence_is_reported_and_its_tree_still_read",
    "too many nodes, fence too long, walk too deep": "test_tree_parse.py::"
    "test_huge_or_deep_tree_fails_fast_with_the_limit",
    # Worked examples (hooks/trees/parse.py and check.py).
    "example label not offered": f"{EXAMPLES}[label-not-offered]",
    "example answers run out": f"{EXAMPLES}[answers-run-out]",
    "example answers left over": f"{EXAMPLES}[answers-left-over]",
    "example reaches another outcome": f"{EXAMPLES}[other-outcome]",
    "example expects no node": f"{EXAMPLES}[expect-no-node]",
    "example expects a question": f"{EXAMPLES}[expect-question]",
    "situation twice": f"{EXAMPLES}[duplicate-situation]",
    "too many examples": "test_tree_examples.py::test_too_many_examples_names_the_limit",
    # Where a tree lives (hooks/trees/site.py, hooks/markdown_blocks.py).
    "near-miss info strings": "test_tree_places.py::"
    "test_near_misses_of_the_info_string_get_a_message_with_a_hint",
    "tree broken off by a line indented less": "test_tree_places.py::"
    "test_a_tree_broken_off_by_a_line_indented_less_gets_a_message",
    "fence shown as code": "test_tree_places.py::"
    "test_a_fence_read_as_a_tree_that_markdown_shows_as_code_gets_a_message",
    # Across the site.
    "tree id used twice (the id line)": "test_tree_site.py::"
    "test_the_same_tree_id_on_two_pages_fails_at_the_id_lines",
    "tree anchor is a heading's id (the id line)": "test_tree_places.py::"
    "test_a_tree_anchor_that_a_heading_already_uses_is_reported_at_the_id_line",
    "read page without a link back (the read value)": "test_tree_site.py::"
    "test_a_read_page_without_a_link_back_fails",
    "orphan page, broken nav entry": "test_links_site.py::test_nav_entries_and_orphans_are_checked",
    "link in a tree field": "test_tree_site.py::"
    "test_broken_links_inside_tree_fields_are_reported_at_their_place",
    "no page, letter case, no anchor, no file, outside docs/, absolute, javascript:, raw "
    "HTML to a .md file": "test_links_site.py::"
    "test_ten_broken_links_are_all_reported_with_their_places",
    "nothing published at a raw HTML link": "test_link_forms.py::"
    "test_a_broken_encoded_link_is_still_reported",
    "not UTF-8 (the file's first character)": "test_zensical.py::"
    "test_check_reports_a_page_that_is_not_utf8_instead_of_stopping",
    # HTML that runs code or calls out (hooks/security/unsafe.py), one row per kind.
    "script, event attribute, embeds, outside resources, images, style": "test_security.py::"
    "test_each_kind_of_html_that_runs_or_calls_out_is_named_with_what_to_do",
}


def _test_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}


def _row_ids(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        keyword.value.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        for keyword in node.keywords
        if keyword.arg == "id" and isinstance(keyword.value, ast.Constant)
    }


@pytest.mark.parametrize("kind", sorted(ELSEWHERE))
def test_each_kind_asserted_elsewhere_names_a_real_test(kind):
    where = ELSEWHERE[kind]
    file, _, rest = where.partition("::")
    path = TESTS / file
    assert path.is_file(), where
    if rest:
        name, _, row = rest.partition("[")
        assert name in _test_names(path), where
        if row:
            assert row.rstrip("]") in _row_ids(path), where
