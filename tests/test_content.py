"""The handbook teaches what it must: each idea is findable by search, each tree is in place."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from conftest import ROOT
from mkdocs.utils.yaml import yaml_load

from trees.model import Outcome
from trees.paths import read_page

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
    ("red line", "principles/red-lines/"),
    ("decides", "principles/decision-rights/"),
    ("sides with the client", "principles/decision-rights/"),
    ("break-even", "clients/worked-numbers/"),
    ("decision log", "service/recording-decisions/"),
    ("scale-back notice", "service/templates/"),
    ("disputed invoice", "situations/disputed-invoice/"),
    ("scope creep", "situations/scope-creep/"),
    ("promised", "situations/sales-promises/"),
    ("handover", "situations/handing-over/"),
    ("bad review", "situations/threats/"),
]

# The pages written for what a reader needs at the moment of a hard decision.
NEW_PAGES = [
    "principles/red-lines/",
    "principles/decision-rights/",
    "service/templates/",
    "service/recording-decisions/",
    "clients/worked-numbers/",
    "situations/",
    "situations/disputed-invoice/",
    "situations/scope-creep/",
    "situations/sales-promises/",
    "situations/handing-over/",
    "situations/threats/",
]
SITUATIONS = [page for page in NEW_PAGES if page.startswith("situations/") and page.count("/") == 2]
# Each template: its heading's anchor on the templates page, and words its letter must hold.
TEMPLATES = [
    ("decline-with-a-referral", "it is not something we will take on"),
    ("scale-back-notice", "Everything in our agreement stays as it is"),
    ("terms-reset", "The new terms are attached."),
    ("parting-letter", "notice. Our last working day"),
    ("you-chose-we-advised", "- You have chosen [X]."),
]
# The one wording of the three tough questions; any other wording of them is a second one.
TOUGH_QUESTIONS = [
    "what do we have to do to keep your business for good",
    "what must we make sure we never do",
    "if we get it wrong once, is that the end",
]
OTHER_WORDINGS = [
    "never lose your business",
    "so you never leave",
    "is one slip the end",
    "is one mistake the end",
    "is it over?",
]

# Every page under docs/, read with the build's own reader, and every tree found on them.
DOCS = ROOT / "docs"
PAGES = [read_page(file, DOCS) for file in sorted(DOCS.rglob("*.md"))]
HANDBOOK_TREES = [(page.path, tree) for page in PAGES for tree in page.trees]

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


def section(html: str, anchor: str) -> str:
    """The HTML of a page from the heading with this id to the next heading of level two."""
    start = html.index(f'id="{anchor}"')
    end = html.find("<h2", start)
    return html[start : end if end != -1 else len(html)]


@pytest.mark.parametrize("page", NEW_PAGES)
def test_each_new_page_is_built_and_is_the_active_link_of_its_nav_section(handbook_site, page):
    html = handbook_site.html(page + "index.html")
    # The nav link of the page being read is marked active: the page is listed under `nav:`.
    active = re.findall(r'<a href="([^"]*)" class="md-nav__link md-nav__link--active"', html)
    assert active, f"{page} is not in the navigation"


@pytest.mark.parametrize("page", SITUATIONS)
def test_the_home_pages_situations_link_each_situation(handbook_site, page):
    cards = section(handbook_site.html(), "start-from-your-situation")
    assert f'href="{page}"' in cards


def test_the_situations_section_lists_each_situation(handbook_site):
    listed = handbook_site.html("situations/index.html")
    missing = [p for p in SITUATIONS if f'href="{p.removeprefix("situations/")}"' not in listed]
    assert missing == []


def test_code_blocks_get_materials_copy_button():
    with (ROOT / "mkdocs.yml").open(encoding="utf-8") as config:
        assert "content.code.copy" in yaml_load(config)["theme"]["features"]


@pytest.mark.parametrize(("anchor", "words"), TEMPLATES)
def test_each_template_is_one_plain_text_code_block_under_its_heading(handbook_site, anchor, words):
    html = section(handbook_site.html("service/templates/index.html"), anchor)
    blocks = re.findall(r'<div class="[^"]*highlight"><pre>.*?</pre></div>', html, re.S)
    assert len(blocks) == 1, f"#{anchor} has {len(blocks)} code blocks"
    text = re.sub(r"<[^>]+>", "", blocks[0])
    assert words in text.replace("&lt;", "<").replace("&gt;", ">")


def test_the_tough_questions_have_one_wording_everywhere():
    texts = {
        str(path.relative_to(ROOT / "docs")): " ".join(path.read_text(encoding="utf-8").split())
        for path in sorted((ROOT / "docs").rglob("*.md"))
        if "writers" not in path.parts
    }
    others = [(page, w) for page, t in texts.items() for w in OTHER_WORDINGS if w in t.lower()]
    assert others == []
    for home in ("service/tough-questions.md", "glossary.md", "service/index.md"):
        for question in TOUGH_QUESTIONS:
            assert question in texts[home].lower().replace("*", ""), (home, question)


def test_the_walkers_record_opens_with_the_fields_the_decision_log_defines():
    page = (ROOT / "docs" / "service" / "recording-decisions.md").read_text(encoding="utf-8")
    fields = re.findall(r"(?m)^([A-Z][a-z ]+)\n:   ", section_text(page, "## One format"))
    walker = (ROOT / "theme_overrides" / "assets" / "decision-tree.js").read_text(encoding="utf-8")
    opening = re.search(r"const lines = \[((?:\"[^\"]*:\", )+)\"\"\];", walker)
    assert opening, "the walker's record no longer opens with the fields to fill in"
    assert [f.removesuffix(":") for f in re.findall(r'"([^"]*)"', opening[1])] == fields
    assert fields == ["Date", "Client", "Decided by", "Why", "Told the client", "Review on"]


def section_text(markdown: str, heading: str) -> str:
    """The Markdown from this heading line to the next heading of the same level."""
    start = markdown.index(heading + "\n")
    end = markdown.find("\n## ", start + len(heading))
    return markdown[start : end if end != -1 else len(markdown)]


def test_every_tree_in_docs_is_read_without_a_problem():
    assert [str(problem) for page in PAGES for problem in page.problems] == []
    # The reader finds the handbook's trees, so the test of their examples is never vacuous.
    assert {tree.id for _, tree in HANDBOOK_TREES} >= {tree_id for tree_id, _ in TREES}


@pytest.mark.parametrize(
    ("path", "tree"), HANDBOOK_TREES, ids=[tree.id for _, tree in HANDBOOK_TREES]
)
def test_every_tree_has_worked_examples_that_reach_every_outcome(path, tree):
    # Walk each example's answers rather than trusting its `expect`: the outcome reached counts.
    reached = {tree.example_walk(example)[1].id for example in tree.examples}
    outcomes = [node.id for node in tree.nodes.values() if isinstance(node, Outcome)]
    unreached = [outcome for outcome in outcomes if outcome not in reached]
    assert tree.examples, f"{path}: tree '{tree.id}' has no worked examples"
    assert unreached == [], f"{path}: tree '{tree.id}': no worked example reaches {unreached}"


# Reference pages, which the writers' guide exempts from an article's length.
REFERENCE_PAGES = {"glossary.md", "tags.md", "service/templates.md"}


def prose_words(markdown: str) -> int:
    """Words a reader reads: no front matter, no fenced block (a tree, a template)."""
    markdown = re.sub(r"\A---\n.*?\n---\n", "", markdown, flags=re.S)
    markdown = re.sub(r"(?ms)^([ \t]*)(`{3,}|~{3,}).*?^\1\2[ \t]*$", "", markdown)
    return len(markdown.split())


ARTICLES = sorted(
    str(path.relative_to(ROOT / "docs"))
    for path in (ROOT / "docs").rglob("*.md")
    if not {"includes", "writers"} & set(path.parts)
    and path.name != "index.md"
    and str(path.relative_to(ROOT / "docs")) not in REFERENCE_PAGES
)


@pytest.mark.parametrize("article", ARTICLES)
def test_each_article_keeps_to_the_writers_guides_length(article):
    words = prose_words((ROOT / "docs" / article).read_text(encoding="utf-8"))
    assert 400 <= words <= 1000, f"{article} has {words} words of prose; the guide asks 500 to 900"


def test_the_decision_log_example_is_a_real_walk_of_its_tree():
    # The example entry on "Recording a decision" must read as the walker would copy it today.
    page = (ROOT / "docs" / "service" / "recording-decisions.md").read_text(encoding="utf-8")
    entry = re.search(r"(?ms)^```text\n(Date:.*?)^```$", page)[1]
    title = re.search(r"(?m)^\n(.+\?)\n\n1\. ", entry)[1]
    steps = re.findall(r"(?m)^\d+\. (.+)\n   Answer: (.+)$", entry)
    outcome = re.search(r"(?m)^Outcome: (.+)$", entry)[1]
    trees = {
        tree["title"]: tree
        for path in (ROOT / "docs").rglob("*.md")
        for body in re.findall(r"(?ms)^```decision-tree\n(.*?)^```$", path.read_text("utf-8"))
        for tree in [yaml.safe_load(body)]
    }
    tree = trees[title]
    node = tree["nodes"][tree["start"]]
    for question, answer in steps:
        assert node["question"] == question
        node = tree["nodes"][next(a["next"] for a in node["answers"] if a["label"] == answer)]
    assert node["outcome"] == outcome
