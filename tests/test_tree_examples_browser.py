"""Worked examples in real Chromium: walk one, go back, share its link, no JS, search, print.

The tiny site is the walker tests' site (tests/data/walker/) with worked examples added to
its tree, built once with the handbook's config, hooks and theme and served on 127.0.0.1.
Screenshots land in tests/screenshots/ for a person to look at.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import test_tree_browser
from conftest import build_into, screenshot, tiny_config
from playwright.sync_api import Page, expect
from test_tree_browser import (
    CAPACITY,
    CUSTOMISABLE,
    PHONE,
    REFER,
    SCOPE_IT,
    START,
    TAKE_IT,
    TREE,
    TREE_PAGE,
    axe_violations,
    heading,
    marked,
    pushed_url,
    site_files,
    step_url,
    trail,
    tree,
    walker,
)

pytestmark = pytest.mark.browser

RETAINER = "A retainer client wants one more monthly report like the ones we already make"
PAYROLL = "A prospect asks us to run their payroll"
BRANDING = "A client wants our standard dashboard in their own colours"
EXAMPLES = f"""\
examples:
  - situation: {RETAINER}
    answers:
      - Yes, squarely
      - Yes
    expect: take-it
  - situation: {PAYROLL}
    answers: [Not at all]
    expect: refer
  - situation: {BRANDING}
    answers: [Partly, Yes]
    expect: scope-it
"""


def example(page: Page, number: int):
    """The section of the tree's example `number` (from 1)."""
    return tree(page).locator(".dt-example").nth(number - 1)


@pytest.fixture(scope="module")
def base_url(serve, tmp_path_factory) -> str:
    """The walker tests' site with examples in its tree, built for its own address."""
    root = tmp_path_factory.mktemp("examples")
    files = {**site_files(), "includes/glossary-terms.md": ""}
    page = files["fit/take-on.md"]
    files["fit/take-on.md"] = page.replace("nodes:\n", EXAMPLES + "nodes:\n", 1)
    # Both trees of the two-tree page under one heading, the first with an example.
    first = "examples:\n  - situation: Going left\n    answers: [Left]\n    expect: left\n"
    second = "examples:\n  - situation: Going up\n    answers: [Up]\n    expect: up\n"
    files["two.md"] = files["two.md"].replace("nodes:\n", first + "nodes:\n", 1)
    files["two.md"] = files["two.md"].replace(
        "start: two\nnodes:\n", f"start: two\n{second}nodes:\n"
    )
    files["two.md"] = files["two.md"].replace("## Second\n", "")
    for name, content in files.items():
        (root / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / name).write_text(content, encoding="utf-8")
    (root / "mkdocs.yml").write_text(tiny_config(root / "docs"), encoding="utf-8")
    base = serve(root / "site")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HANDBOOK_SITE_URL", base)  # Material's instant navigation needs it
        built = build_into(root / "mkdocs.yml", root / "site")
    assert (built.ok, built.messages) == (True, [])
    return base


# Pages in fresh contexts that record the URLs the walker pushes, as in the walker's tests.
new_page = test_tree_browser.new_page


@pytest.fixture
def page(new_page) -> Page:
    """A desktop page recording the URLs the walker pushes; no outside request, no error."""
    return new_page()


# ---------------------------------------------------------------- what readers see


def test_each_example_shows_its_situation_path_and_outcome(page, base_url):
    page.goto(base_url + TREE_PAGE)
    expect(heading(page)).to_have_text(START)
    expect(tree(page).get_by_role("heading", name="Worked examples")).to_be_visible()
    # Each answer follows its question after an arrow the stylesheet draws (and screen
    # readers skip), as in the walker's answers so far.
    arrow = "e => getComputedStyle(e, '::before').content"
    assert tree(page).locator(".dt-example .dt-a").first.evaluate(arrow) == '"→ " / ""'
    shown = [
        (
            section.get_by_role("heading").inner_text(),
            section.locator("li").all_inner_texts(),
            section.locator(".dt-example-outcome").inner_text(),
        )
        for section in tree(page).locator(".dt-example").all()
    ]
    assert shown == [
        (RETAINER, [f"{START} Yes, squarely", f"{CAPACITY} Yes"], f"Outcome: {TAKE_IT} ✓ Go"),
        (PAYROLL, [f"{START} Not at all"], f"Outcome: {REFER} ✕ Decline"),
        (
            BRANDING,
            [f"{START} Partly", f"{CUSTOMISABLE} Yes"],
            f"Outcome: {SCOPE_IT} ! Go with care",
        ),
    ]
    screenshot(page, "examples-light")


# ---------------------------------------------------------------- walking an example


def test_walk_this_example_opens_the_walker_at_its_outcome_with_its_answers(page, base_url):
    page.goto(base_url + TREE_PAGE)
    page.evaluate("window.__samePage = true")
    example(page, 3).get_by_role("link", name="Walk this example").click()
    expect(heading(page)).to_have_text(SCOPE_IT)
    expect(heading(page)).to_be_focused()
    assert trail(page) == [f"{START} → Partly", f"{CUSTOMISABLE} → Yes"]
    assert marked(page, ".dt-edge", "is-path") == ["core:1", "customisable:0"]
    assert pushed_url(page) == step_url(base_url, "1.0", "scope-it")
    assert page.evaluate("window.__samePage") is True  # no reload: the walker took it


def test_back_returns_to_the_step_before_the_example_and_forward_to_it(page, base_url):
    page.goto(base_url + TREE_PAGE)
    walker(page).get_by_role("button", name="Partly").click()
    expect(heading(page)).to_have_text(CUSTOMISABLE)
    example(page, 1).get_by_role("link", name="Walk this example").click()
    expect(heading(page)).to_have_text(TAKE_IT)
    assert trail(page) == [f"{START} → Yes, squarely", f"{CAPACITY} → Yes"]
    page.go_back()
    expect(heading(page)).to_have_text(CUSTOMISABLE)
    assert trail(page) == [f"{START} → Partly"]
    assert urlsplit(page.url).query == f"dt-{TREE}=1"
    page.go_forward()
    expect(heading(page)).to_have_text(TAKE_IT)
    assert urlsplit(page.url).query == f"dt-{TREE}=0.0"


def test_an_examples_link_opened_fresh_restores_its_walk(new_page, base_url):
    first = new_page()
    first.goto(base_url + TREE_PAGE)
    shared = example(first, 2).get_by_role("link", name="Walk this example")
    href = shared.get_attribute("href")
    assert href == step_url(base_url, "2", "refer")  # Material made it absolute
    page = new_page()
    page.goto(href)
    expect(heading(page)).to_have_text(REFER)
    expect(heading(page)).to_be_focused()
    assert trail(page) == [f"{START} → Not at all"]


def test_a_step_of_an_example_opens_the_walker_there_with_the_answers_before_it(page, base_url):
    page.goto(base_url + TREE_PAGE)
    example(page, 1).get_by_role("link", name=CAPACITY).click()
    expect(heading(page)).to_have_text(CAPACITY)
    assert trail(page) == [f"{START} → Yes, squarely"]
    assert pushed_url(page) == step_url(base_url, "0", "capacity")
    example(page, 2).get_by_role("link", name=REFER).click()
    expect(heading(page)).to_have_text(REFER)
    assert trail(page) == [f"{START} → Not at all"]


def test_a_trees_example_headings_leave_the_next_trees_walker_heading_level_alone(page, base_url):
    # Both trees stand under one h2: each walker's heading is an h3, whatever headings
    # (steps, examples) the first tree holds.
    page.goto(base_url + "two/")
    expect(heading(page, "first")).to_have_text("First tree, first question?")
    levels = [heading(page, t).evaluate("e => e.tagName") for t in ("first", "second")]
    assert levels == ["H3", "H3"]
    assert tree(page, "first").locator(".dt-example-title").evaluate("e => e.tagName") == "H4"


def test_keyboard_alone_walks_an_example(page, base_url):
    page.goto(base_url + TREE_PAGE)
    walk_link = example(page, 2).get_by_role("link", name="Walk this example")
    example(page, 2).get_by_role("link", name=REFER).focus()
    page.keyboard.press("Tab")
    expect(walk_link).to_be_focused()
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text(REFER)
    expect(heading(page)).to_be_focused()
    assert pushed_url(page) == step_url(base_url, "2", "refer")


# ---------------------------------------------------------------- without JavaScript


def test_without_javascript_an_examples_steps_lead_to_the_steps_sections(new_page, base_url):
    page = new_page(java_script_enabled=False)
    page.goto(base_url + TREE_PAGE)
    expect(walker(page)).to_be_hidden()
    example(page, 1).get_by_role("link", name=CAPACITY).click()
    assert page.url == step_url(base_url, None, "capacity")
    expect(tree(page).locator(".dt-step:has(> h3:target)")).to_have_attribute(
        "data-node", "capacity"
    )
    example(page, 1).get_by_role("link", name=TAKE_IT).click()
    expect(tree(page).locator(".dt-step:has(> h3:target)")).to_have_attribute(
        "data-node", "take-it"
    )
    # The walker's link still leads to the outcome: the server ignores the query.
    example(page, 2).get_by_role("link", name="Walk this example").click()
    expect(page).to_have_url(step_url(base_url, "2", "refer"))
    expect(tree(page).locator(".dt-step:has(> h3:target)")).to_have_attribute("data-node", "refer")
    screenshot(page, "examples-no-js", full_page=False)


# ---------------------------------------------------------------- search


def test_search_for_words_of_a_situation_lands_on_the_example(page, base_url):
    page.goto(base_url)
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("payroll", delay=20)
    result = page.locator("a.md-search-result__link").filter(has_text=PAYROLL)
    expect(result).to_have_count(1)
    result.click()
    expect(page).to_have_url(f"{base_url}{TREE_PAGE}?h=payroll#{TREE}--example--2")
    target = example(page, 2)
    expect(target.get_by_role("heading", name=PAYROLL)).to_be_in_viewport()
    assert target.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
    expect(heading(page)).to_have_text(START)  # the walker is left as it was


# ---------------------------------------------------------------- palettes, sizes, print


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_in_the_examples(new_page, base_url, scheme):
    page = new_page(color_scheme=scheme)
    page.goto(base_url + TREE_PAGE)
    expect(heading(page)).to_have_text(START)
    example(page, 2).get_by_role("link", name="Walk this example").hover()
    assert axe_violations(page) == ""  # the link under the pointer reads well too
    example(page, 2).get_by_role("link", name="Walk this example").click()
    expect(heading(page)).to_have_text(REFER)
    page.mouse.move(0, 0)  # off the walker's buttons, which moved under the pointer
    assert axe_violations(page) == ""
    if scheme == "dark":
        example(page, 1).scroll_into_view_if_needed()
        screenshot(page, "examples-dark")
    page.goto(base_url + "two/")  # two trees' examples: two regions, each named apart
    expect(heading(page, "second")).to_have_text("Second tree, first question?")
    assert axe_violations(page) == ""


def test_on_a_wide_screen_the_sticky_chart_stands_beside_the_examples(page, base_url):
    page.goto(base_url + TREE_PAGE)
    for number in (1, 2, 3):
        example(page, number).scroll_into_view_if_needed()
        box = example(page, number).bounding_box()
        chart = tree(page).locator(".dt-chart").bounding_box()
        assert box is not None and chart is not None
        assert box["x"] + box["width"] <= chart["x"]


def test_phone_width_keeps_examples_inside_the_screen(new_page, base_url):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(base_url + TREE_PAGE)
    example(page, 1).scroll_into_view_if_needed()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    box = example(page, 1).get_by_role("link", name="Walk this example").bounding_box()
    assert box is not None and box["height"] >= 35
    screenshot(page, "examples-phone")


def test_print_shows_examples_as_text_without_the_walk_links(page, base_url):
    page.goto(base_url + TREE_PAGE)
    page.emulate_media(media="print")
    expect(tree(page).locator(".dt-example")).to_have_count(3)
    for section in tree(page).locator(".dt-example").all():
        expect(section.locator(".dt-example-title")).to_be_visible()
        expect(section.locator(".dt-example-outcome")).to_be_visible()
        expect(section.get_by_role("link", name="Walk this example")).to_be_hidden()
    screenshot(page, "examples-print")
