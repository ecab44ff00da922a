"""Hostile text in every field of a tree, and in the page around it, in real Chromium.

Writers paste text from tickets and emails: markup, quotes that would end an attribute, the
end of an SVG or CDATA section, right-to-left overrides, words too long for any line. Every
such text must show exactly as typed, in the steps without JavaScript and in the walker, run
no script, and never push the page wider than a phone. A `javascript:` link anywhere in a
tree is refused by the build with a message.
"""

from __future__ import annotations

import pytest
from conftest import Guard, build_into, open_page, tiny_config
from playwright.sync_api import Page, expect

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
RLO = "\u202e"
LONG = "Donaudampfschifffahrtsgesellschaftskapitän" * 4  # one word, far wider than a phone

TEXTS = {
    "title": f"Title {SCRIPT} ]]> </svg> & more",
    "summary": f"Summary {SCRIPT} {IMG} {LONG}",
    "question": f"Ask {IMG} \" ' ]]> </svg>?",
    "help": f"Help {SCRIPT} {RLO}reversed{RLO} {LONG}",
    "label-1": '" onmouseover="window.__pwned=1',
    "label-2": f"' onfocus='window.__pwned=1 {'W' * 40}",
    "second": f"{RLO}Second {LONG[:60]}?",
    "label-3": f"]]></svg>{SCRIPT}",
    "label-4": f"{RLO}No",
    "outcome": f"</svg>{SCRIPT} done",
    "body": f"Body {IMG} {LONG}",
    "other": "Stop here",
}
HEADING = "Fish & chips \"quoted\" 'single' <script>"  # as the reader sees it
# The heading as typed in Markdown: entities, so the page shows the text, not markup.
HEADING_MD = "Fish &amp; chips \"quoted\" 'single' &lt;script&gt;"
ANCHOR = "fish-chips-quoted-single-script"


def yaml_text(text: str) -> str:
    """`text` as a single-quoted YAML scalar, which takes any printable text."""
    return "'" + text.replace("'", "''") + "'"


TREE = f"""\
```decision-tree
id: hostile
title: {yaml_text(TEXTS["title"])}
summary: {yaml_text(TEXTS["summary"])}
start: ask
nodes:
  ask:
    question: {yaml_text(TEXTS["question"])}
    help: {yaml_text(TEXTS["help"])}
    answers:
      - label: {yaml_text(TEXTS["label-1"])}
        next: second
      - label: {yaml_text(TEXTS["label-2"])}
        next: stop
  second:
    question: {yaml_text(TEXTS["second"])}
    answers:
      - label: {yaml_text(TEXTS["label-3"])}
        next: done
      - label: {yaml_text(TEXTS["label-4"])}
        next: stop
  done:
    outcome: {yaml_text(TEXTS["outcome"])}
    verdict: caution
    body: {yaml_text(TEXTS["body"])}
    read: [other.md#{ANCHOR}]
  stop:
    outcome: {yaml_text(TEXTS["other"])}
    verdict: decline
    read: [other.md]
```
"""
PAGES = {
    "index.md": (
        '# Hostile &lt;script&gt;window.__pwned=1&lt;/script&gt; "page"\n\n'
        f'See [a &lt;img src=x onerror="window.__pwned=1"&gt; link](other.md#{ANCHOR}).\n\n'
        f"{TREE}\nAfter the tree.\n"
    ),
    "other.md": f"# Other\n\n## {HEADING_MD}\n\nBack to [the tree](index.md).\n",
}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def base_url(serve, tmp_path_factory) -> str:
    """The hostile site, built strictly and served; ends in '/'."""
    root = tmp_path_factory.mktemp("hostile")
    for name, content in {**PAGES, "includes/glossary-terms.md": ""}.items():
        (root / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / name).write_text(content, encoding="utf-8")
    (root / "mkdocs.yml").write_text(tiny_config(root / "docs"), encoding="utf-8")
    built = build_into(root / "mkdocs.yml", root / "site")
    assert built.messages == []
    assert built.ok
    return serve(root / "site")


@pytest.fixture
def new_page(browser, guard: Guard):
    """Pages in fresh contexts with their own options; any dialog is recorded and dismissed."""
    contexts = []
    dialogs: list[str] = []

    def _open(**options: object) -> Page:
        options.setdefault("viewport", PHONE)
        opened = open_page(browser, guard, **options)
        opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        contexts.append(opened.context)
        return opened

    yield _open
    for context in contexts:
        context.close()
    assert dialogs == []
    assert guard.outside == [], f"requests to other hosts: {guard.outside}"
    assert guard.errors == [], f"script errors: {guard.errors}"


def assert_safe_and_narrow(page: Page) -> None:
    """No script the writer typed ran, and the page is no wider than the screen."""
    assert page.evaluate("typeof window.__pwned") == "undefined"
    width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert width[0] <= width[1], f"the page is {width[0]}px wide on a {width[1]}px screen"


def text_of(page: Page, selector: str) -> str:
    """The text of one element as typed: its text content with runs of spaces as one."""
    return " ".join(page.locator(selector).first.evaluate("e => e.textContent").split())


# ---------------------------------------------------------------- without JavaScript


STEPS = [
    pytest.param(".dt-title", TEXTS["title"], id="title"),
    pytest.param(".dt-summary", TEXTS["summary"], id="summary"),
    pytest.param("[data-node=ask] h3", TEXTS["question"], id="question"),
    pytest.param("[data-node=ask] .dt-help", TEXTS["help"], id="help"),
    pytest.param("[data-node=ask] [data-answer='0']", TEXTS["label-1"], id="label-quote"),
    pytest.param("[data-node=ask] [data-answer='1']", TEXTS["label-2"], id="label-apostrophe"),
    pytest.param("[data-node=second] h3", TEXTS["second"], id="right-to-left"),
    pytest.param("[data-node=second] [data-answer='0']", TEXTS["label-3"], id="label-cdata"),
    pytest.param("[data-node=done] h3", TEXTS["outcome"], id="outcome"),
    pytest.param("[data-node=done] .dt-body", TEXTS["body"], id="body"),
    pytest.param("[data-node=done] .dt-read a", f"Other: {HEADING}", id="read-title"),
    pytest.param("h1", 'Hostile <script>window.__pwned=1</script> "page"¶', id="h1"),
    pytest.param(
        "p > a[href*=other]", 'a <img src=x onerror="window.__pwned=1"> link', id="link-text"
    ),
]


@pytest.mark.browser
def test_without_javascript_every_text_shows_as_typed_and_fits_a_phone(new_page, base_url):
    page = new_page(java_script_enabled=False)
    page.goto(base_url)
    for selector, expected in (param.values for param in STEPS):
        assert text_of(page, f".md-content {selector}") == " ".join(expected.split()), selector
    assert page.locator(".dt script, .dt img, .dt [onerror], .dt [onmouseover]").count() == 0
    assert_safe_and_narrow(page)
    for node in ("second", "done"):
        page.goto(f"{base_url}#hostile--{node}")
        assert_safe_and_narrow(page)


def test_every_hostile_text_is_in_the_table_above():
    # Guards the table: a text left out of it would go unchecked.
    checked = {expected for _, expected in (param.values for param in STEPS)}
    assert set(TEXTS.values()) - checked == {TEXTS["label-4"], TEXTS["other"]}


# ---------------------------------------------------------------- the walker


def walker(page: Page):
    return page.locator("#tree-hostile .dt-walker")


def choose(page: Page, label: str, then: str) -> None:
    """Press the answer button named `label` and wait for the step titled `then`."""
    walker(page).get_by_role("button", name=label, exact=True).click()
    expect(walker(page).locator(".dt-walker-title")).to_have_text(then)


@pytest.mark.browser
@pytest.mark.parametrize(
    "viewport", [PHONE, {"width": 1280, "height": 900}], ids=["phone", "desktop"]
)
def test_the_walker_shows_every_text_as_typed_and_runs_nothing(new_page, base_url, viewport):
    page = new_page(viewport=viewport)
    page.goto(base_url)
    title = walker(page).locator(".dt-walker-title")
    expect(title).to_have_text(TEXTS["question"])
    assert " ".join(walker(page).locator(".dt-help").text_content().split()) == TEXTS["help"]
    for label in (TEXTS["label-1"], TEXTS["label-2"]):
        expect(walker(page).get_by_role("button", name=label, exact=True)).to_have_text(label)
    assert_safe_and_narrow(page)
    walker(page).get_by_role("button", name=TEXTS["label-1"], exact=True).hover()
    choose(page, TEXTS["label-1"], TEXTS["second"])
    expect(walker(page).get_by_role("button", name=TEXTS["label-3"], exact=True)).to_be_visible()
    assert_safe_and_narrow(page)
    choose(page, TEXTS["label-3"], TEXTS["outcome"])
    assert " ".join(walker(page).locator(".dt-body").text_content().split()) == TEXTS["body"]
    expect(walker(page).locator(".dt-read a")).to_have_text(f"Other: {HEADING}")
    trail = walker(page).locator(".dt-trail").text_content()
    for text in (TEXTS["question"], TEXTS["label-1"], TEXTS["second"], TEXTS["label-3"]):
        assert text in trail
    assert page.locator(".dt script, .dt img, .dt [onerror], .dt [onmouseover]").count() == 0
    assert_safe_and_narrow(page)


# ---------------------------------------------------------------- javascript: links are refused


def hostile_tree(read: str = "other.md", body: str = "Fine.", help_: str = "Fine.") -> str:
    """A small valid tree page with the given `read`, `body` and `help`."""
    return (
        "# Tree\n\n```decision-tree\nid: small\ntitle: Small\nstart: ask\nnodes:\n"
        f"  ask:\n    question: Ask?\n    help: {yaml_text(help_)}\n    answers:\n"
        "      - label: A\n        next: done\n      - label: B\n        next: done\n"
        f"  done:\n    outcome: Done\n    verdict: go\n    body: {yaml_text(body)}\n"
        f"    read: [{read}]\n```\n"
    )


REFUSED_READ = (
    "links are not allowed: they can run code or hide content in the page; link to the "
    "handbook article that explains this outcome"
)
REFUSED_LINK = "javascript: URLs are refused; link to a page or a file"


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        pytest.param(
            hostile_tree(read="javascript:alert(1)"),
            f"docs/index.md:20:12: nodes.done.read[0]: 'javascript:' {REFUSED_READ}",
            id="read",
        ),
        pytest.param(
            hostile_tree(read="'JavaScript:alert(1)'"),
            f"docs/index.md:20:12: nodes.done.read[0]: 'javascript:' {REFUSED_READ}",
            id="read-capitals",
        ),
        pytest.param(
            hostile_tree(read="' java\tscript:alert(1)'"),
            f"docs/index.md:20:12: nodes.done.read[0]: 'javascript:' {REFUSED_READ}",
            id="read-tab",
        ),
        pytest.param(
            hostile_tree(body="See [this](javascript:alert(1))."),
            f"docs/index.md:19:23: broken link 'javascript:alert(1)': {REFUSED_LINK}",
            id="body",
        ),
        pytest.param(
            hostile_tree(help_="See [this](JAVASCRIPT:alert(1))."),
            f"docs/index.md:10:23: broken link 'JAVASCRIPT:alert(1)': {REFUSED_LINK}",
            id="help",
        ),
        pytest.param(
            hostile_tree(body="See ![this](  javascript:alert(1) )."),
            f"docs/index.md:19:26: broken link 'javascript:alert(1)': {REFUSED_LINK}",
            id="body-image",
        ),
    ],
)
def test_a_javascript_link_in_a_tree_is_refused_with_a_message(build_site, markdown, expected):
    built = build_site({"index.md": markdown, "other.md": "# Other\n\n[Back](index.md)\n"})
    assert not built.ok
    assert built.messages == [expected]
