"""The handbook teaches what it must: each idea is findable by search, each tree is in place."""

from __future__ import annotations

import json
import re

import pytest
from conftest import ROOT

# One search word or phrase per idea a reader must be able to find, and a page that teaches it.
IDEAS = [
    ("always right", "principles/slogan/"),
    ("respect", "principles/respect/"),
    ("misconception", "principles/disagreeing/"),
    ("two-way", "principles/two-way/"),
    ("degree 1", "clients/three-degrees/"),
    ("fax", "clients/reading-requests/"),
    ("competitor", "clients/reading-requests/"),
    ("Kjerulf", "principles/respect/"),
    ("mind reading", "service/right-level/"),
    ("lifetime value", "service/over-servicing/"),
    ("keep your business", "service/tough-questions/"),
    ("perfection", "service/tough-questions/"),
    ("handshake", "not-right/products-vs-services/"),
    ("customer from hell", "not-right/not-a-customer/"),
    ("caving in", "not-right/customer-is-wrong/"),
    ("assertive", "not-right/we-are-right/"),
    ("burger", "fit/focus/"),
    ("peripheral", "fit/focus/"),
    ("one-word", "fit/saying-no/"),
    ("Raving Fans", "fit/value-proposition/"),
    ("Hug Your Customers", "fit/value-proposition/"),
    ("Tipping Point", "fit/value-proposition/"),
]

TREES = [
    ("client-degree", "clients/three-degrees/index.html"),
    ("take-on-request", "fit/take-on-request/index.html"),
    ("customer-right", "not-right/three-cases/index.html"),
    ("keep-or-part", "not-right/keep-or-part/index.html"),
    ("over-servicing", "service/over-servicing/index.html"),
    ("saying-no", "fit/saying-no/index.html"),
]


@pytest.fixture(scope="module")
def search_index(handbook_site) -> list[dict]:
    index = handbook_site.site_dir / "search" / "search_index.json"
    return json.loads(index.read_text(encoding="utf-8"))["docs"]


@pytest.mark.parametrize(("words", "page"), IDEAS)
def test_each_idea_of_the_brief_is_found_by_search_on_its_page(search_index, words, page):
    pattern = re.compile(re.escape(words), re.I)
    hits = {
        entry["location"].split("#")[0]
        for entry in search_index
        if pattern.search(entry["text"]) or pattern.search(entry["title"])
    }
    assert page in hits, f"'{words}' is not found on {page}; found on {sorted(hits)}"


@pytest.mark.parametrize(("tree_id", "page"), TREES)
def test_each_of_the_six_trees_is_drawn_on_its_page(handbook_site, tree_id, page):
    html = handbook_site.html(page)
    assert f'class="dt" id="tree-{tree_id}"' in html
    assert 'class="dt-svg"' in html


def test_search_finds_a_tree_answer_and_lands_on_its_node(search_index):
    # Each step of a tree is a heading with an id, so search indexes it as its own section.
    locations = {entry["location"] for entry in search_index}
    assert "fit/take-on-request/#take-on-request--known-for" in locations


def test_every_page_but_the_topics_index_has_tags():
    untagged = [
        str(path.relative_to(ROOT / "docs"))
        for path in sorted((ROOT / "docs").rglob("*.md"))
        if "includes" not in path.parts
        and path.name != "tags.md"
        and not re.match(r"---\n(?:.*\n)*?tags:", path.read_text(encoding="utf-8"))
    ]
    assert untagged == []
