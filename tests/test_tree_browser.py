"""The decision-tree walker in real Chromium: walking, changing, sharing, copying, no JS.

The tests browse a tiny site built once with the handbook's config, hooks and theme and
served on 127.0.0.1; its two tree pages (tests/data/walker/) hold ```decision-tree fences,
so the walker reads the markup the build really writes.
Screenshots land in tests/screenshots/ for a person to look at.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import ROOT, Guard, build_into, open_page, screenshot, tiny_config
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

DATA = ROOT / "tests" / "data" / "walker"
ASSETS = ROOT / "theme_overrides" / "assets"
TREE = "take-on-request"
TREE_PAGE = "fit/take-on/"
ODD_PAGE = "odd/"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

START = "Is the request within what we are known for?"
CAPACITY = "Can we serve it without pulling people off core work?"
CUSTOMISABLE = "Is the gap something we already customise for others?"
TAKE_IT = "Take it on"
SCOPE_IT = "Take it on, with an agreed scope"
REFER = "Decline, and point them somewhere better"


def site_files() -> dict[str, str]:
    """A tiny handbook: two tree pages, the pages their outcomes point to (linking back), home."""
    return {
        "index.md": (
            "# Home\n\nBefore a yes: [should we take it on?](fit/take-on.md)\n\n"
            "Or go straight to [declining](fit/take-on.md#take-on-request--refer).\n"
        ),
        "fit/take-on.md": (DATA / "take-on.md").read_text(encoding="utf-8"),
        "fit/focus.md": (
            "# Focus\n\n## Core and periphery\n\nSee [the tree](take-on.md).\n\n"
            "## A little flexibility\n\nSome.\n"
        ),
        "fit/saying-no.md": (
            "# Saying no\n\n## Offer an alternative\n\nSee [the tree](take-on.md).\n"
        ),
        "service/right-level.md": (
            "# The right level\n\nSee [the tree](../fit/take-on.md), [odd labels](../odd.md)"
            " and [two trees](../two.md).\n"
        ),
        "odd.md": (DATA / "odd.md").read_text(encoding="utf-8"),
        "two.md": (DATA / "two.md").read_text(encoding="utf-8"),
    }


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory) -> Path:
    """Where the tiny site is built."""
    return tmp_path_factory.mktemp("walker") / "site"


@pytest.fixture(scope="module")
def base_url(serve, site_dir) -> str:
    """The tiny site, built strictly for the address it is served at; ends in '/'.

    Material's instant navigation only takes over links to pages in the sitemap, whose URLs
    come from site_url, so the site is built for the test server's own address.
    """
    root = site_dir.parent
    files = {**site_files(), "includes/glossary-terms.md": ""}
    for name, content in files.items():
        (root / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / name).write_text(content, encoding="utf-8")
    (root / "mkdocs.yml").write_text(tiny_config(root / "docs"), encoding="utf-8")
    base = serve(site_dir)  # the server reads files per request: they may come later
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HANDBOOK_SITE_URL", base)
        built = build_into(root / "mkdocs.yml", site_dir)
    assert built.messages == []
    assert built.ok
    return base


# Material's anchor tracking rewrites the hash of the address as the reader scrolls, so tests
# read the URL the walker last pushed (and check that the query, where a walk lives, stayed).
RECORD_PUSHES = """
const push = history.pushState.bind(history);
history.pushState = (state, unused, url) => {
  if (url !== undefined) window.__pushed = new URL(url, location.href).href;
  return push(state, unused, url);
};
"""


@pytest.fixture
def page(page: Page) -> Page:
    """The shared `page` fixture, recording the URLs pushed into its history."""
    page.add_init_script(RECORD_PUSHES)
    return page


@pytest.fixture
def new_page(browser, guard: Guard) -> Iterator[Callable[..., Page]]:
    """Pages in fresh contexts with their own options, held to the same guard as `page`."""
    contexts = []

    def _open(**options: object) -> Page:
        options.setdefault("viewport", DESKTOP)
        opened = open_page(browser, guard, **options)
        opened.add_init_script(RECORD_PUSHES)
        contexts.append(opened.context)
        return opened

    yield _open
    for context in contexts:
        context.close()
    assert guard.outside == [], f"requests to other hosts: {guard.outside}"
    assert guard.errors == [], f"script errors: {guard.errors}"


# ---------------------------------------------------------------- helpers


def tree(page: Page, tree_id: str = TREE):
    return page.locator(f"#tree-{tree_id}")


def walker(page: Page, tree_id: str = TREE):
    return tree(page, tree_id).locator(".dt-walker")


def heading(page: Page, tree_id: str = TREE):
    return walker(page, tree_id).locator(".dt-walker-title")


def choose(page: Page, *labels: str) -> None:
    """Click the answer buttons in order, waiting for each new step to show."""
    for label in labels:
        before = heading(page).text_content()
        walker(page).get_by_role("button", name=label, exact=True).click()
        expect(heading(page)).not_to_have_text(before or "")


def trail(page: Page, tree_id: str = TREE) -> list[str]:
    """The answers so far as 'question → answer' lines."""
    items = walker(page, tree_id).locator(".dt-trail li")
    return [
        f"{item.locator('.dt-q').inner_text()} → {item.locator('.dt-a').inner_text().lstrip('→ ')}"
        for item in items.all()
    ]


def marked(page: Page, selector: str, state: str) -> list[str]:
    """Which flowchart nodes or edges carry a highlight class, as node ids or 'from:answer'."""
    return (
        tree(page)
        .locator(f"{selector}.{state}")
        .evaluate_all(
            "els => els.map(e => e.dataset.node ?? `${e.dataset.from}:${e.dataset.answer}`)"
        )
    )


def step_url(base_url: str, answers: str | None, node: str, page: str = TREE_PAGE) -> str:
    query = "" if answers is None else f"?dt-{TREE}={answers}"
    return f"{base_url}{page}{query}#{TREE}--{node}"


def pushed_url(page: Page) -> str:
    """The step URL the walker pushed last; the address keeps its query (not always its hash)."""
    pushed = page.evaluate("window.__pushed")
    assert urlsplit(pushed).query == urlsplit(page.url).query
    return pushed


def focused_text(page: Page) -> str:
    return page.evaluate("document.activeElement.textContent.trim()")


# ---------------------------------------------------------------- walking


WALKS = [
    pytest.param(
        ["Yes, squarely", "Yes"], TAKE_IT, "✓ Go", "0.0", "take-it",
        [f"{START} → Yes, squarely", f"{CAPACITY} → Yes"],
        ["core:0", "capacity:0"], "service/right-level/", id="go",
    ),
    pytest.param(
        ["Partly", "Yes"], SCOPE_IT, "! Go with care", "1.0", "scope-it",
        [f"{START} → Partly", f"{CUSTOMISABLE} → Yes"],
        ["core:1", "customisable:0"], "fit/focus/#a-little-flexibility", id="caution",
    ),
    pytest.param(
        ["Not at all"], REFER, "✕ Decline", "2", "refer",
        [f"{START} → Not at all"],
        ["core:2"], "fit/saying-no/#offer-an-alternative", id="decline",
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("answers", "outcome", "verdict", "query", "node", "so_far", "edges", "read"), WALKS
)
def test_mouse_walk_reaches_each_verdict_with_its_url_trail_and_path(
    page, base_url, answers, outcome, verdict, query, node, so_far, edges, read
):
    page.goto(base_url + TREE_PAGE)
    expect(heading(page)).to_have_text(START)
    expect(tree(page).locator(".dt-steps")).to_be_hidden()
    choose(page, *answers)
    expect(heading(page)).to_have_text(outcome)
    expect(walker(page).locator(".dt-verdict")).to_have_text(verdict)
    # Material makes every link absolute when a page loads.
    expect(walker(page).locator(".dt-read a")).to_have_attribute("href", base_url + read)
    assert pushed_url(page) == step_url(base_url, query, node)
    assert trail(page) == so_far
    assert marked(page, ".dt-edge", "is-path") == edges
    assert marked(page, ".dt-node", "is-current") == [node]
    assert marked(page, ".dt-node", "is-visited") == [edge.split(":")[0] for edge in edges]
    expect(walker(page).get_by_role("button", name="Copy decision record")).to_be_visible()
    screenshot(page, f"tree-light-{node}")


def test_outcome_shows_its_body_and_the_live_region_announces_it(page, base_url):
    page.goto(base_url + TREE_PAGE)
    choose(page, "Yes, squarely", "Yes")
    expect(walker(page).locator(".dt-body")).to_have_text(
        "Confirm what “done” looks like before you start."
    )
    expect(walker(page).locator("[aria-live=polite]")).to_have_text("Outcome: Take it on. ✓ Go")


def test_keyboard_alone_walks_to_an_outcome_with_focus_on_each_new_step(page, base_url):
    page.goto(step_url(base_url, None, "core"))
    expect(heading(page)).to_be_focused()
    page.keyboard.press("Tab")
    assert focused_text(page) == "our focus"  # the link in the question's help
    page.keyboard.press("Tab")
    assert focused_text(page) == "Yes, squarely"
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text(CAPACITY)
    expect(heading(page)).to_be_focused()
    expect(walker(page).locator("[aria-live=polite]")).to_have_text(f"Question 2: {CAPACITY}")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert focused_text(page) == "No"
    page.keyboard.press("Space")
    expect(heading(page)).to_have_text(REFER)
    expect(heading(page)).to_be_focused()
    assert pushed_url(page) == step_url(base_url, "0.1", "refer")
    # Back along the trail by keyboard: Shift+Tab reaches the second "Change" button.
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        f"Change your answer to “{CAPACITY}”"
    )
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text(CAPACITY)
    assert trail(page) == [f"{START} → Yes, squarely"]


def test_changing_an_earlier_answer_drops_the_later_ones(page, base_url):
    page.goto(base_url + TREE_PAGE)
    choose(page, "Yes, squarely", "Yes")
    walker(page).get_by_role("button", name=f"Change your answer to “{START}”").click()
    expect(heading(page)).to_have_text(START)
    expect(walker(page).locator(".dt-trail")).to_be_hidden()
    assert pushed_url(page) == step_url(base_url, None, "core")
    choose(page, "Partly")
    expect(heading(page)).to_have_text(CUSTOMISABLE)
    assert trail(page) == [f"{START} → Partly"]
    assert marked(page, ".dt-edge", "is-path") == ["core:1"]


def test_start_again_clears_the_answers_and_the_path(page, base_url):
    page.goto(base_url + TREE_PAGE)
    expect(walker(page).get_by_role("button", name="Start again")).to_be_hidden()
    choose(page, "Not at all")
    walker(page).get_by_role("button", name="Start again").click()
    expect(heading(page)).to_have_text(START)
    expect(heading(page)).to_be_focused()
    assert trail(page) == []
    assert pushed_url(page) == step_url(base_url, None, "core")
    assert marked(page, ".dt-edge", "is-path") == []
    assert marked(page, ".dt-node", "is-current") == ["core"]


def test_back_and_forward_walk_the_steps(page, base_url):
    page.goto(base_url + TREE_PAGE)
    choose(page, "Yes, squarely", "Yes")
    for move, title, answers in [
        (page.go_back, CAPACITY, 1),
        (page.go_back, START, 0),
        (page.go_forward, CAPACITY, 1),
        (page.go_forward, TAKE_IT, 2),
    ]:
        move()
        expect(heading(page)).to_have_text(title)
        assert len(trail(page)) == answers
    assert urlsplit(page.url).query == f"dt-{TREE}=0.0"


def test_a_step_url_opened_in_a_new_page_restores_the_step_and_answers(page, base_url):
    page.goto(step_url(base_url, "0.1", "refer"))
    expect(heading(page)).to_have_text(REFER)
    expect(heading(page)).to_be_focused()
    assert trail(page) == [f"{START} → Yes, squarely", f"{CAPACITY} → No"]
    assert marked(page, ".dt-edge", "is-path") == ["core:0", "capacity:1"]


@pytest.mark.parametrize(
    ("url_tail", "title", "so_far"),
    [
        pytest.param("?dt-take-on-request=0.9.9", CAPACITY, 1, id="index-out-of-range"),
        pytest.param("?dt-take-on-request=x#take-on-request--core", START, 0, id="not-a-number"),
        pytest.param("?dt-take-on-request=nowhere~0", START, 0, id="unknown-first-node"),
        pytest.param("#take-on-request--nowhere", START, 0, id="unknown-anchor"),
        pytest.param(
            "?dt-take-on-request=0.0#take-on-request--core", START, 0, id="anchor-on-path"
        ),
    ],
)
def test_a_damaged_step_url_shows_the_nearest_sensible_step(
    page, base_url, url_tail, title, so_far
):
    page.goto(base_url + TREE_PAGE + url_tail)
    expect(heading(page)).to_have_text(title)
    assert len(trail(page)) == so_far


def test_a_bare_anchor_shows_that_node_and_keeps_other_query_parameters(page, base_url):
    page.goto(f"{base_url}{TREE_PAGE}?h=gap#{TREE}--customisable")
    expect(heading(page)).to_have_text(CUSTOMISABLE)
    expect(heading(page)).to_be_focused()
    assert trail(page) == []
    expect(walker(page).get_by_role("button", name="Start again")).to_be_visible()
    choose(page, "Yes")
    expect(heading(page)).to_have_text(SCOPE_IT)
    assert trail(page) == [f"{CUSTOMISABLE} → Yes"]
    assert (
        pushed_url(page) == f"{base_url}{TREE_PAGE}?h=gap&dt-{TREE}=customisable~0#{TREE}--scope-it"
    )
    page.reload()
    expect(heading(page)).to_have_text(SCOPE_IT)
    assert trail(page) == [f"{CUSTOMISABLE} → Yes"]


def test_clicking_a_chart_node_jumps_there_and_a_visited_node_goes_back(page, base_url):
    page.goto(base_url + TREE_PAGE)
    choose(page, "Yes, squarely", "No")
    tree(page).locator(".dt-node[data-node=core]").click()
    expect(heading(page)).to_have_text(START)
    assert trail(page) == []
    assert pushed_url(page) == step_url(base_url, None, "core")
    tree(page).locator(".dt-node[data-node=scope-it]").click()
    expect(heading(page)).to_have_text(SCOPE_IT)
    expect(heading(page)).to_be_focused()
    assert pushed_url(page) == step_url(base_url, "scope-it~", "scope-it")
    assert marked(page, ".dt-node", "is-current") == ["scope-it"]
    page.mouse.wheel(0, 600)  # Material's anchor tracking may now rewrite the hash...
    page.reload()
    expect(heading(page)).to_have_text(SCOPE_IT)  # ...but the query keeps the step


def test_two_trees_on_one_page_keep_their_own_steps_in_one_url(page, base_url):
    page.goto(base_url + "two/")
    walker(page, "first").get_by_role("button", name="Right").click()
    walker(page, "second").get_by_role("button", name="Up").click()
    expected = f"{base_url}two/?dt-first=1&dt-second=0#second--up"
    assert pushed_url(page) == expected
    page.reload()
    expect(heading(page, "first")).to_have_text("First tree went right")
    expect(heading(page, "second")).to_have_text("Second tree went up")
    page.go_back()
    expect(heading(page, "second")).to_have_text("Second tree, first question?")
    expect(heading(page, "first")).to_have_text("First tree went right")
    walker(page, "first").get_by_role("button", name="Start again").click()
    assert pushed_url(page) == f"{base_url}two/#first--one"
    expect(heading(page, "first")).to_be_focused()


@pytest.mark.parametrize(
    ("path", "tree_id", "level"),
    [
        pytest.param(TREE_PAGE, TREE, "H3", id="under-a-section-heading"),
        pytest.param(ODD_PAGE, "odd-labels", "H2", id="right-under-the-page-title"),
    ],
)
def test_the_walker_heading_sits_one_level_below_the_heading_before_the_tree(
    page, base_url, path, tree_id, level
):
    page.goto(base_url + path)
    assert heading(page, tree_id).evaluate("element => element.tagName") == level


def test_a_chart_node_opens_by_keyboard_too(page, base_url):
    page.goto(step_url(base_url, None, "core"))
    expect(heading(page)).to_be_focused()
    tree(page).locator(".dt-node[data-node=take-it]").focus()
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text(TAKE_IT)
    expect(heading(page)).to_be_focused()
    assert pushed_url(page) == step_url(base_url, "take-it~", "take-it")


def test_the_walker_attaches_once_however_often_it_is_started(page, base_url):
    page.goto(base_url + TREE_PAGE)
    expect(heading(page)).to_have_text(START)
    page.evaluate(
        "async () => { const m = await import(new URL('assets/decision-tree.js', document.baseURI"
        ".replace(/fit\\/take-on\\/.*$/, '')).href); m.enhance(); m.enhance(document); }"
    )
    expect(walker(page).locator(".dt-stage")).to_have_count(1)
    expect(walker(page).locator(".dt-choices button")).to_have_count(3)


# ---------------------------------------------------------------- copying the record


def record(base_url: str) -> str:
    return (
        "Date:\nClient:\nDecided by:\nWhy:\nTold the client:\nReview on:\n"
        "\n"
        "Should we take on this request?\n"
        "\n"
        "1. Is the request within what we are known for?\n"
        "   Answer: Yes, squarely\n"
        "2. Can we serve it without pulling people off core work?\n"
        "   Answer: No\n"
        "\n"
        "Outcome: Decline, and point them somewhere better\n"
        "Verdict: ✕ Decline\n"
        "Read next: Saying no: Offer an alternative"
        f" <{base_url}fit/saying-no/#offer-an-alternative>\n"
        "\n"
        f"Link to this step: {step_url(base_url, '0.1', 'refer')}\n"
    )


CLIPBOARD = ["clipboard-read", "clipboard-write"]
# Hide the Clipboard API from the page, keeping a way for the test to read what was copied.
NO_CLIPBOARD_API = """
const clip = navigator.clipboard;
window.__readClipboard = () => clip.readText();
Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined });
"""


@pytest.mark.parametrize(
    ("init_script", "read_back"),
    [
        pytest.param(None, "navigator.clipboard.readText()", id="clipboard-api"),
        pytest.param(NO_CLIPBOARD_API, "window.__readClipboard()", id="without-clipboard-api"),
    ],
)
def test_copy_puts_the_whole_decision_record_on_the_clipboard(
    new_page, base_url, init_script, read_back
):
    page = new_page(permissions=CLIPBOARD)
    if init_script:
        page.add_init_script(init_script)
    page.goto(base_url + TREE_PAGE)
    choose(page, "Yes, squarely", "No")
    walker(page).get_by_role("button", name="Copy decision record").click()
    expect(walker(page).get_by_role("status")).to_have_text("Decision record copied")
    assert page.evaluate(read_back) == record(base_url)


def test_copy_shows_the_record_to_copy_by_hand_when_no_clipboard_works(new_page, base_url):
    page = new_page()
    page.add_init_script(NO_CLIPBOARD_API + "document.execCommand = () => false;")
    page.goto(step_url(base_url, "0.1", "refer"))
    walker(page).get_by_role("button", name="Copy decision record").click()
    expect(walker(page).get_by_role("status")).to_have_text("Copy the text below")
    area = walker(page).get_by_role("textbox", name="Decision record")
    expect(area).to_be_focused()
    expect(area).to_have_value(record(base_url))


# ---------------------------------------------------------------- without JavaScript


def test_without_javascript_the_steps_are_linked_sections_and_the_target_stands_out(
    new_page, base_url
):
    page = new_page(java_script_enabled=False)
    page.goto(base_url + TREE_PAGE)
    expect(walker(page)).to_be_hidden()
    steps = tree(page).locator(".dt-steps")
    expect(steps).to_be_visible()
    steps.get_by_role("link", name="Yes, squarely").click()
    assert page.url == step_url(base_url, None, "capacity")
    steps.locator("[data-node=capacity]").get_by_role("link", name="No").click()
    assert page.url == step_url(base_url, None, "refer")
    target = steps.locator("section:has(> h3:target)")
    expect(target).to_have_attribute("data-node", "refer")
    expect(target).to_contain_text("✕ Decline")
    outline = "getComputedStyle(document.querySelector('.dt-step[data-node={}]')).outlineStyle"
    assert page.evaluate(outline.format("refer")) == "solid"
    assert page.evaluate(outline.format("core")) == "none"
    screenshot(page, "tree-no-js-target", full_page=False)


# ---------------------------------------------------------------- text stays text


def test_labels_with_markup_show_as_text_and_run_nothing(page, base_url):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(base_url + ODD_PAGE)
    expect(heading(page, "odd-labels")).to_have_text(
        "Is <script>window.__pwned = 1</script> shown as text?"
    )
    label = '<img src=x onerror="window.__pwned=1">'
    walker(page, "odd-labels").get_by_role("button", name=label, exact=True).click()
    expect(heading(page, "odd-labels")).to_have_text(f"{label} & done")
    assert trail(page, "odd-labels") == [
        f"Is <script>window.__pwned = 1</script> shown as text? → {label}"
    ]
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('.dt script, .dt img').length") == 0
    assert dialogs == []
    screenshot(page, "tree-odd-labels")


# ---------------------------------------------------------------- palettes, sizes, print


def axe_violations(page: Page) -> str:
    """axe-core's report of every violation in the article ('' when there are none).

    Only the article: the trees live there, and Material's own header, search dialog and
    footer are the theme's to answer for. Colours are read once every transition has ended
    (a button the pointer just left fades back over a tenth of a second, and halfway its
    text is neither colour).
    """
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
    results = Axe().run(page, context={"include": [[".md-content"]]})
    return "" if results.violations_count == 0 else results.generate_report()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_on_a_tree_page(new_page, base_url, scheme):
    page = new_page(color_scheme=scheme)
    page.goto(base_url + TREE_PAGE)
    expect(heading(page)).to_have_text(START)
    assert axe_violations(page) == ""
    choose(page, "Partly", "Yes")
    assert axe_violations(page) == ""


def test_dark_palette_walk(new_page, base_url):
    page = new_page(color_scheme="dark")
    page.goto(base_url + TREE_PAGE)
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    choose(page, "Yes, squarely", "No")
    colour = page.evaluate(
        "getComputedStyle(document.querySelector('.dt-walker .dt-verdict')).color"
    )
    assert colour == "rgb(244, 154, 146)"  # the dark palette's decline colour
    screenshot(page, "tree-dark")


def test_phone_width_keeps_the_chart_at_its_size_in_a_frame_and_buttons_tappable(
    new_page, base_url
):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(base_url + TREE_PAGE)
    choose(page, "Partly")
    frame = tree(page).locator(".dt-chart").bounding_box()
    assert frame is not None and frame["x"] >= 0 and frame["x"] + frame["width"] <= PHONE["width"]
    drawn = (
        tree(page)
        .locator(".dt-svg")
        .evaluate("svg => svg.getBoundingClientRect().width / svg.viewBox.baseVal.width")
    )
    assert drawn == pytest.approx(1, abs=0.001)  # never scaled: 13-14px text stays so
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    heights = (
        walker(page)
        .get_by_role("button")
        .evaluate_all(
            "els => els.filter(e => e.offsetParent).map(e => e.getBoundingClientRect().height)"
        )
    )
    assert heights and min(heights) >= 35
    screenshot(page, "tree-phone")


def test_print_shows_the_chart_and_every_step_without_buttons(page, base_url):
    page.goto(step_url(base_url, "0.0", "take-it"))
    expect(heading(page)).to_have_text(TAKE_IT)
    page.emulate_media(media="print")
    expect(walker(page)).to_be_hidden()
    expect(tree(page).locator(".dt-svg")).to_be_visible()
    expect(tree(page).locator(".dt-step")).to_have_count(6)
    for step in tree(page).locator(".dt-step").all():
        expect(step).to_be_visible()
    visible_buttons = page.locator(".dt button").evaluate_all(
        "els => els.filter(e => e.getClientRects().length).length"
    )
    assert visible_buttons == 0
    expect(tree(page).locator(".dt-step .dt-restart").first).to_be_hidden()
    screenshot(page, "tree-print")


# ---------------------------------------------------------------- instant navigation


def test_instant_navigation_to_a_tree_page_starts_the_walker(page, base_url):
    page.goto(base_url)
    page.evaluate("window.__samePage = true")
    page.get_by_role("link", name="should we take it on?").click()
    expect(heading(page)).to_have_text(START)
    assert page.evaluate("window.__samePage") is True  # swapped in place, not reloaded
    choose(page, "Partly")
    assert pushed_url(page) == step_url(base_url, "1", "customisable")
    page.go_back()
    page.go_back()
    expect(page.locator("h1")).to_have_text(re.compile("^Home"))
    page.go_forward()
    expect(walker(page).locator(".dt-stage")).to_have_count(1)
    expect(heading(page)).to_have_text(START)
    page.go_forward()
    expect(heading(page)).to_have_text(CUSTOMISABLE)
    assert page.evaluate("window.__samePage") is True


def test_instant_navigation_to_a_step_anchor_shows_that_step_with_focus(page, base_url):
    page.goto(base_url)
    page.evaluate("window.__samePage = true")
    page.get_by_role("link", name="declining").click()
    expect(heading(page)).to_have_text(REFER)
    expect(heading(page)).to_be_focused()
    assert page.evaluate("window.__samePage") is True


def test_a_link_in_the_text_to_a_step_shows_that_step(page, base_url):
    page.goto(base_url + TREE_PAGE)
    choose(page, "Partly")
    page.get_by_role("link", name="how to decline").click()
    expect(heading(page)).to_have_text(REFER)
    expect(heading(page)).to_be_focused()
    assert trail(page) == []
    page.go_back()
    expect(heading(page)).to_have_text(CUSTOMISABLE)
    assert trail(page) == [f"{START} → Partly"]


def test_a_table_of_contents_link_leaves_the_walk_as_it_is(page, base_url):
    page.goto(base_url + TREE_PAGE)
    choose(page, "Partly")
    # Beside a walked tree the chart takes the right-hand column: the table of contents
    # moves into the navigation on the left.
    expect(page.locator(".md-sidebar--secondary")).to_be_hidden()
    toc = page.locator(".md-sidebar--primary .md-nav--secondary")
    toc.get_by_role("link", name="Decide").click()
    expect(page).to_have_url(re.compile("#decide$"))
    expect(heading(page)).to_have_text(CUSTOMISABLE)
    assert trail(page) == [f"{START} → Partly"]
    assert page.url == f"{base_url}{TREE_PAGE}?dt-{TREE}=1#decide"  # the walk is back in it
    page.reload()
    expect(heading(page)).to_have_text(CUSTOMISABLE)


def test_a_read_link_leads_to_its_page_by_instant_navigation(page, base_url):
    page.goto(step_url(base_url, "2", "refer"))
    page.evaluate("window.__samePage = true")
    walker(page).get_by_role("link", name="Saying no: Offer an alternative").click()
    expect(page.locator("h1")).to_have_text(re.compile("^Saying no"))
    assert page.evaluate("window.__samePage") is True


def test_without_material_the_walker_starts_on_its_own(new_page, base_url, site_dir):
    # The tree as the build wrote it, read with scripts off, on a page with no Material.
    plain = new_page(java_script_enabled=False)
    plain.goto(base_url + TREE_PAGE)
    markup = tree(plain).evaluate("element => element.outerHTML")
    (site_dir / "plain").mkdir(exist_ok=True)
    (site_dir / "plain" / "index.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Plain</title>'
        '<link rel="stylesheet" href="../assets/decision-tree.css">'
        '<script type="module" src="../assets/decision-tree.js"></script></head>'
        f"<body>{markup}</body></html>",
        encoding="utf-8",
    )
    page = new_page()
    page.goto(base_url + "plain/")
    assert page.evaluate("typeof window.document$") == "undefined"
    choose(page, "Not at all")
    expect(heading(page)).to_have_text(REFER)
    assert pushed_url(page) == f"{base_url}plain/?dt-{TREE}=2#{TREE}--refer"


# ---------------------------------------------------------------- weight and wiring


def test_walker_script_and_styles_stay_under_10_kb_gzipped():
    sizes = {
        path.name: len(gzip.compress(path.read_bytes(), compresslevel=9))
        for path in (ASSETS / "decision-tree.js", ASSETS / "decision-tree.css")
    }
    assert sum(sizes.values()) <= 10 * 1024, sizes


def test_every_page_loads_the_walker_styles_and_module(build_site):
    built = build_site({"index.md": "# Home\n", "a/b.md": "# Deep\n"})
    assert built.ok
    for page, prefix in [("index.html", ""), ("a/b/index.html", "../../")]:
        html = built.html(page)
        assert f'<link rel="stylesheet" href="{prefix}assets/decision-tree.css">' in html
        assert f'<script type="module" src="{prefix}assets/decision-tree.js"></script>' in html
    for name in ("decision-tree.js", "decision-tree.css"):
        assert (built.site_dir / "assets" / name).read_bytes() == (ASSETS / name).read_bytes()


def test_no_writer_text_reaches_the_page_as_markup():
    source = (ASSETS / "decision-tree.js").read_text(encoding="utf-8")
    assert re.findall(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", source) == []
