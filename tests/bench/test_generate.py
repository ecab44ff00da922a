"""The synthetic handbook is deterministic, well formed, and builds strictly with our hooks."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import build_into, tiny_config
from generate import generate, tree_fence, tree_yaml


def _tree(text: str) -> dict:
    # BaseLoader keeps every scalar a string, as the handbook's own parser must.
    return yaml.load(text, Loader=yaml.BaseLoader)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_same_seed_writes_the_same_bytes(tmp_path):
    generate(tmp_path / "one", pages=60, trees=3, tree_nodes=9, seed=7)
    generate(tmp_path / "two", pages=60, trees=3, tree_nodes=9, seed=7)
    assert _snapshot(tmp_path / "one") == _snapshot(tmp_path / "two")


def test_another_seed_writes_other_text(tmp_path):
    generate(tmp_path / "one", pages=30, trees=1, tree_nodes=5, seed=1)
    generate(tmp_path / "two", pages=30, trees=1, tree_nodes=5, seed=2)
    one, two = _snapshot(tmp_path / "one"), _snapshot(tmp_path / "two")
    assert one.keys() == two.keys()
    assert one["sec-00/article-0001.md"] != two["sec-00/article-0001.md"]


@pytest.mark.parametrize(
    ("pages", "trees", "sections", "tree_pages"),
    [
        (5, 1, ["sec-00"], ["sec-00/tree-0001.md"]),
        (27, 0, ["sec-00"], []),
        (28, 2, ["sec-00", "sec-01"], ["sec-00/tree-0001.md", "sec-01/tree-0002.md"]),
        (100, 4, ["sec-00", "sec-01", "sec-02", "sec-03"], None),
    ],
)
def test_page_count_includes_every_markdown_page(tmp_path, pages, trees, sections, tree_pages):
    generated = generate(tmp_path / "docs", pages=pages, trees=trees, tree_nodes=5, seed=3)
    written = sorted(p.relative_to(tmp_path / "docs").as_posix() for p in tmp_path.rglob("*.md"))
    assert len(generated.pages) == pages
    assert sorted([*generated.pages, "includes/glossary-terms.md"]) == written
    assert sorted({p.split("/")[0] for p in generated.pages if "/" in p}) == sections
    assert len(generated.tree_pages) == trees
    if tree_pages is not None:
        assert generated.tree_pages == tree_pages


@pytest.mark.parametrize(
    ("pages", "trees", "message"),
    [
        (4, 0, "pages: expected at least 5, received 4"),
        (
            10,
            5,
            "trees: expected 0 to 4 for 10 pages (each tree needs an article to read), received 5",
        ),
    ],
)
def test_impossible_sizes_are_refused_with_a_message(tmp_path, pages, trees, message):
    with pytest.raises(ValueError) as raised:
        generate(tmp_path / "docs", pages=pages, trees=trees, tree_nodes=5, seed=1)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("nodes", "questions", "outcomes"),
    [(3, 1, 2), (4, 1, 3), (10, 4, 6), (50, 24, 26), (200, 99, 101), (1000, 499, 501)],
)
def test_tree_yaml_has_exactly_the_nodes_asked_for(nodes, questions, outcomes):
    tree = _tree(tree_yaml(nodes, seed=5))
    kinds = [("question" in node, "outcome" in node) for node in tree["nodes"].values()]
    assert len(tree["nodes"]) == nodes
    assert kinds.count((True, False)) == questions
    assert kinds.count((False, True)) == outcomes


@pytest.mark.parametrize("nodes", [3, 4, 5, 21, 200])
def test_tree_yaml_is_a_tree_every_node_reached_once(nodes):
    tree = _tree(tree_yaml(nodes, seed=9))
    reached = [tree["start"]]
    for node in tree["nodes"].values():
        answers = node.get("answers", [])
        assert len(answers) in ((0,) if "outcome" in node else (2, 3))
        assert len({answer["label"] for answer in answers}) == len(answers)
        reached += [answer["next"] for answer in answers]
    assert sorted(reached) == sorted(tree["nodes"])


def test_tree_labels_are_unquoted_yes_and_no():
    text = tree_yaml(3, seed=1)
    assert "      - label: Yes\n        next: o-0001\n" in text
    assert "      - label: No\n        next: o-0002\n" in text


def test_tree_fence_wraps_yaml_in_a_decision_tree_fence():
    assert tree_fence("id: x\n") == "```decision-tree\nid: x\n```\n"


def test_tree_outcomes_read_targets_in_turn():
    tree = _tree(tree_yaml(5, seed=1, read_targets=("a.md", "b.md#part")))
    reads = [node["read"] for node in tree["nodes"].values() if "outcome" in node]
    assert reads == [["a.md"], ["b.md#part"], ["a.md"]]


def test_generated_site_builds_strictly_with_no_messages(tmp_path):
    docs = tmp_path / "docs"
    generated = generate(docs, pages=20, trees=2, tree_nodes=7, seed=11)
    config = tmp_path / "mkdocs.yml"
    config.write_text(tiny_config(docs), encoding="utf-8")
    built = build_into(config, tmp_path / "site")
    assert built.messages == []
    assert built.ok
    for page in generated.pages:
        url = "index.html" if page == "index.md" else page.removesuffix(".md") + "/index.html"
        url = url.replace("/index/index.html", "/index.html")
        assert (built.site_dir / url).is_file(), url
