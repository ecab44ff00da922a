"""The Content-Security-Policy in real Chromium: readers never meet it, smuggled code does.

The real handbook, built for the address it is served at, is read as a reader reads it (every
page opened, a tree walked, its record copied, search, the palette, instant navigation and
back) while every `securitypolicyviolation` and every console line about the policy is
recorded: there must be none. A tiny site whose page smuggles a script and an event handler
past a non-strict build shows that the policy blocks them while the theme's own scripts run.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import urlopen
from xml.etree import ElementTree

import pytest
from conftest import tiny_config
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

# Installed before any script of the page runs, so the first violation is caught too; the
# document survives Material's instant navigation, so one list covers a whole reading.
WATCH_POLICY = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` in ${event.sourceFile || location.href}:${event.lineNumber}`);
});
"""
CLIPBOARD = ["clipboard-read", "clipboard-write"]


def watch(page: Page) -> list[str]:
    """Record the policy's complaints from now on: the page's events and Chromium's console."""
    console: list[str] = []
    page.add_init_script(WATCH_POLICY)
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return console


def complaints(page: Page, console: list[str]) -> list[str]:
    return [*page.evaluate("window.__violations || []"), *console]


def page_paths(base: str) -> list[str]:
    """Every page of the served site, from its sitemap, plus the page for a missing address."""
    with urlopen(base + "sitemap.xml") as response:  # 127.0.0.1 only
        tree = ElementTree.fromstring(response.read())
    locations = [loc.text or "" for loc in tree.findall(".//{*}loc")]
    root = urlsplit(base).path
    return [urlsplit(location).path.removeprefix(root) for location in locations] + ["404.html"]


def first_tree(base: str, paths: list[str]) -> tuple[str, str]:
    """(page path, tree id) of the first page in the sitemap that holds a decision tree."""
    for path in paths:
        with urlopen(base + path) as response:
            match = re.search(r'<div class="dt" id="tree-([a-z0-9-]+)"', response.read().decode())
        if match:
            return path, match.group(1)
    raise AssertionError("the built handbook has no decision tree")


# ---------------------------------------------------------------- the real handbook


@pytest.mark.slow
def test_no_page_of_the_handbook_raises_a_policy_violation(page, handbook_at_its_url):
    console = watch(page)
    seen = {}
    for path in page_paths(handbook_at_its_url):
        page.goto(handbook_at_its_url + path, wait_until="load")
        # Material starts the search worker after load; its start must pass the policy too.
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", re.compile("."))
        page.wait_for_timeout(100)
        if found := complaints(page, console):
            seen[path] = list(found)
            console.clear()
    assert seen == {}


@pytest.mark.slow
def test_reading_walking_copying_searching_and_navigating_raise_no_violation(
    page, handbook_at_its_url
):
    base = handbook_at_its_url
    console = watch(page)
    page.context.grant_permissions(CLIPBOARD)
    path, tree_id = first_tree(base, page_paths(base))
    page.goto(base + path)
    page.evaluate("window.__samePage = true")

    tree = page.locator(f"#tree-{tree_id}")
    title = tree.locator(".dt-walker-title")
    choices = tree.locator(".dt-walker .dt-choice")
    while choices.count():
        before = title.text_content() or ""
        choices.first.click()
        expect(title).not_to_have_text(before)
    tree.get_by_role("button", name="Copy decision record").click()
    status = tree.locator(".dt-walker").get_by_role("status")
    expect(status).to_have_text(re.compile(r"\bcopied\b", re.IGNORECASE))
    assert page.evaluate("navigator.clipboard.readText()").strip()

    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("customer", delay=20)
    expect(page.locator("a.md-search-result__link").first).to_be_visible()
    search.press("Escape")

    body = page.locator("body")
    toggle = page.locator('[data-md-component="palette"] label:visible')
    toggle.click()
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    toggle.click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")

    here = page.url
    links = page.locator(".md-sidebar--primary a.md-nav__link[href]:visible")
    hrefs = links.evaluate_all("links => links.map(link => link.href)")
    index = next(i for i, href in enumerate(hrefs) if href.split("#")[0] != here.split("?")[0])
    links.nth(index).click()
    page.wait_for_url(_at(hrefs[index]))
    page.go_back()
    page.wait_for_url(_at(here))
    expect(title).to_be_visible()
    # Home sits at another folder depth, so its policy names other hashes; a document keeps
    # enforcing every policy it has met, so the scripts Material runs on each swap must pass
    # them all.
    page.locator("a.md-header__button.md-logo").click()
    page.wait_for_url(_at(base))
    page.go_back()
    page.wait_for_url(_at(here))
    expect(title).to_be_visible()
    assert page.evaluate("window.__samePage") is True  # instant navigation, not reloads
    assert complaints(page, console) == []


# ---------------------------------------------------------------- smuggled code is blocked

SMUGGLED = """# Smuggled

<script>window.__smuggled = "ran";</script>

<img src="data:," alt="" onerror="window.__handler = 'ran'">

Text after the script.
"""


def test_a_script_smuggled_into_a_page_is_blocked_and_the_theme_still_runs(page, build_site, serve):
    # Non-strict, as a careless build would be: the writer was told, the build went on.
    built = build_site({"index.md": SMUGGLED}, strict=False)
    assert built.ok
    assert [message.split(": ", 1)[0] for message in built.messages] == [
        "docs/index.md:3:1",
        "docs/index.md:5:26",
    ]
    console = watch(page)
    page.goto(serve(built.site_dir))
    expect(page.get_by_text("Text after the script.")).to_be_visible()
    page.wait_for_timeout(300)  # the broken image fails after load
    assert page.evaluate("window.__smuggled") is None
    assert page.evaluate("window.__handler") is None
    blocked = page.evaluate("window.__violations")
    assert any(entry.startswith("script-src-elem blocked inline") for entry in blocked), blocked
    assert any(entry.startswith("script-src-attr blocked inline") for entry in blocked), blocked
    # The theme's own inline scripts ran: Material's storage helpers and its bundle.
    assert page.evaluate("typeof __md_get") == "function"
    assert page.evaluate("typeof document$") == "object"
    assert len(blocked) == 2, blocked
    assert len(console) == 2, console


# ---------------------------------------------------------------- live reload under serve


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(tmp_path) -> Iterator[tuple[str, Path]]:
    """`mkdocs serve` of a tiny site on 127.0.0.1: its URL and the page a writer edits."""
    docs = tmp_path / "docs"
    (docs / "includes").mkdir(parents=True)
    (docs / "includes" / "glossary-terms.md").write_text("", encoding="utf-8")
    page = docs / "index.md"
    page.write_text("# Home\n\nThe first draft.\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(tiny_config(docs), encoding="utf-8")
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "mkdocs"), "serve", "-a", f"127.0.0.1:{port}"],
        cwd=tmp_path,
        env={**os.environ, "HANDBOOK_SITE_URL": f"http://127.0.0.1:{port}/"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(600):  # the first build takes a while on a busy machine
            try:
                with urlopen(url, timeout=1):
                    break
            except OSError:
                assert server.poll() is None, "mkdocs serve stopped"
                time.sleep(0.2)
        yield url, page
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.slow
def test_under_serve_live_reload_works_within_the_policy(page, served):
    url, source = served
    console = watch(page)
    logged: list[str] = []
    page.on("console", lambda message: logged.append(message.text))
    page.goto(url)
    expect(page.get_by_text("The first draft.")).to_be_visible()
    for _ in range(50):  # console messages arrive a moment after they are logged
        if "Enabled live reload" in logged:
            break
        page.wait_for_timeout(100)
    assert "Enabled live reload" in logged, logged
    # MkDocs' live-reload script changes with every request, so no hash names it: while
    # serving (never in a build), the policy lets inline scripts run.
    policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert "script-src 'self' 'unsafe-inline';" in (policy or "")
    source.write_text("# Home\n\nThe second draft.\n", encoding="utf-8")
    # MkDocs rebuilds and the page reloads itself: nobody presses anything.
    expect(page.get_by_text("The second draft.")).to_be_visible(timeout=60_000)
    assert complaints(page, console) == []


def _at(url: str):
    """Whether the page is at `url`, whatever anchor Material's scroll tracking (the
    `navigation.tracking` feature) has written into the address since it arrived."""
    wanted = url.split("#")[0]
    return lambda now: now.split("#")[0] == wanted
