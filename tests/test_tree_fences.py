"""Finding ```decision-tree fences in a page: which ones count as trees, and where they stand."""

from __future__ import annotations

import pytest

from trees.fences import Fence, find_fences


def test_fence_reports_its_lines_offsets_and_body():
    page = "# Title\n\nText.\n\n```decision-tree\nid: t\ntitle: T\n```\n\nAfter.\n"
    assert find_fences(page) == [
        Fence(
            line=5,
            end_line=8,
            start=16,
            end=51,
            indent="",
            body="id: t\ntitle: T\n",
            body_line=6,
            body_col=1,
            marker="```",
            closed=True,
            source="id: t\ntitle: T",
        )
    ]
    assert page[16:51] == "```decision-tree\nid: t\ntitle: T\n```"


def test_fence_in_a_list_item_loses_its_indent_and_keeps_blank_lines():
    page = "1. Step one:\n\n    ~~~~ decision-tree \n    id: t\n\n      deeper: x\n    ~~~~\n"
    (fence,) = find_fences(page)
    assert fence == Fence(
        line=3,
        end_line=7,
        start=14,
        end=len(page) - 1,
        indent="    ",
        body="id: t\n\n  deeper: x\n",
        body_line=4,
        body_col=5,
        marker="~~~~",
        closed=True,
        source="id: t\n\n  deeper: x",
    )
    assert page[fence.start : fence.end].endswith("    ~~~~")


@pytest.mark.parametrize(
    "opening",
    [
        pytest.param("```decision-tree", id="backticks"),
        pytest.param("~~~decision-tree", id="tildes"),
        pytest.param("```  decision-tree  ", id="spaces-around-info"),
        pytest.param("`````decision-tree", id="long-fence"),
        pytest.param("  ```decision-tree", id="indented"),
    ],
)
def test_fence_opening_that_holds_a_tree(opening):
    # pymdownx.superfences closes a fence only with a run exactly as long as the opening.
    marker = opening.strip().removesuffix("decision-tree").strip()
    indent = opening[: len(opening) - len(opening.lstrip())]
    page = f"{opening}\n{indent}id: t\n{indent}{marker}\n"
    (fence,) = find_fences(page)
    assert fence.body.strip() == "id: t"


@pytest.mark.parametrize(
    "page",
    [
        pytest.param("```yaml\nid: t\n```\n", id="other-language"),
        pytest.param("```decision-trees\nid: t\n```\n", id="longer-info"),
        pytest.param("```decision tree\nid: t\n```\n", id="space-in-info"),
        pytest.param("```decision-tree`\nid: t\n```\n", id="backtick-in-info-is-inline-code"),
        pytest.param("``decision-tree\nid: t\n``\n", id="two-backticks"),
        pytest.param(
            "````markdown\n```decision-tree\nid: t\n```\n````\n", id="example-in-longer-fence"
        ),
        pytest.param("~~~\n```decision-tree\nid: t\n```\n~~~\n", id="example-in-tilde-fence"),
        pytest.param(
            "```text\n~~~decision-tree\nid: t\n~~~\n```\n", id="tilde-example-in-backtick-fence"
        ),
    ],
)
def test_fence_that_is_not_a_tree_is_skipped(page):
    assert find_fences(page) == []


def test_example_fence_does_not_hide_a_tree_after_it():
    page = "````md\n```decision-tree\nid: example\n```\n````\n\n```decision-tree\nid: real\n```\n"
    assert [fence.body for fence in find_fences(page)] == ["id: real\n"]


@pytest.mark.parametrize(
    ("closing", "closes"),
    [
        pytest.param("```", True, id="same"),
        pytest.param("`````", False, id="longer-does-not-close-for-superfences"),
        pytest.param("```   ", True, id="trailing-spaces"),
        pytest.param("``", False, id="shorter"),
        pytest.param("~~~", False, id="other-character"),
        pytest.param("``` not", False, id="text-after"),
        pytest.param("  ```", False, id="indented-further"),
    ],
)
def test_closing_fence_rules(closing, closes):
    page = f"```decision-tree\nid: t\n{closing}\nnext: line\n"
    (fence,) = find_fences(page)
    assert fence.closed is closes
    assert ("next: line" in fence.body) is not closes


def test_unclosed_fence_runs_to_the_end_of_the_page():
    page = "Intro\n\n```decision-tree\nid: t\n\ntitle: T\n"
    assert find_fences(page) == [
        Fence(
            line=3,
            end_line=6,
            start=7,
            end=len(page) - 1,
            indent="",
            body="id: t\n\ntitle: T\n",
            body_line=4,
            body_col=1,
            marker="```",
            closed=False,
            shown="text",
            why="it is never closed",
            source="id: t\n\ntitle: T",
        )
    ]


def test_unclosed_fence_on_the_last_line_has_an_empty_body():
    (fence,) = find_fences("Intro\n```decision-tree")
    assert (fence.line, fence.end_line, fence.body, fence.closed) == (2, 2, "", False)


def test_several_trees_on_one_page_come_in_order():
    page = "```decision-tree\nid: a\n```\ntext\n```decision-tree\nid: b\n```"
    fences = find_fences(page)
    assert [(f.line, f.end_line, f.body) for f in fences] == [(1, 3, "id: a\n"), (5, 7, "id: b\n")]
    assert fences[1].end == len(page)


def test_a_big_page_is_scanned_in_one_pass():
    tree = "```decision-tree\nid: t\n```\n"
    page = (tree + "text\n" * 10) * 5_000
    fences = find_fences(page)
    assert len(fences) == 5_000
    assert fences[-1].line == 4_999 * 13 + 1
