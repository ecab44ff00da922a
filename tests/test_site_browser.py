"""The real handbook in real Chromium: offline-only, searchable, dark, phone-sized, instant.

The tests browse the real handbook, built by the `handbook_site` fixture (or, for instant
navigation, built for the address it is served at) and served on 127.0.0.1. The pages visited
are found in the built site itself (its sitemap and search index), so the tests hold whatever
articles the handbook has. Screenshots land in tests/screenshots/ for a person to look at.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from conftest import ROOT, Guard, open_page, screenshot
from mkdocs.utils.yaml import yaml_load
from playwright.sync_api import expect

LOCAL_HOST = "127.0.0.1"
PHONE = {"width": 390, "height": 844}
# lunr's English stop words of six letters or more: search ignores them, so never pick one.
STOP_WORDS = {
    *("across", "almost", "because", "cannot", "either"),
    *("however", "likely", "neither", "rather", "should"),
}
PAGE_BOTTOM = 899  # a point of the desktop viewport (1280x900) that shows no tooltip
# <link rel=...> values that name a related page rather than load something into this one.
NAVIGATIONAL_RELS = {"canonical", "alternate", "next", "prev", "search", "author", "license"}
# Attributes through which an element makes the browser fetch something.
LOADING_ATTRIBUTES = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "image": ("href", "xlink:href"),
}


# ---------------------------------------------------------------- what the handbook holds


def config() -> dict:
    """mkdocs.yml as MkDocs reads it, with !ENV values filled in from the environment."""
    with (ROOT / "mkdocs.yml").open(encoding="utf-8") as file:
        return yaml_load(file)


def sitemap_paths(site_dir: Path) -> list[str]:
    """The path of every page in the built sitemap, relative to the site root ('' is home)."""
    tree = ElementTree.parse(site_dir / "sitemap.xml")
    locations = [loc.text or "" for loc in tree.findall(".//{*}loc")]
    root = urlsplit(locations[0]).path  # the home page comes first
    return [urlsplit(location).path.removeprefix(root) for location in locations]


def first_article(site_dir: Path) -> str:
    """The first page of the sitemap inside a section, else the first but home and tags."""
    pages = [path for path in sitemap_paths(site_dir) if path not in ("", "tags/")]
    assert pages, "the built handbook has no page besides the home page and tags"
    in_sections = [path for path in pages if path.count("/") >= 2]
    return (in_sections or pages)[0]


def rarest_word(site_dir: Path, article: str) -> str:
    """A word of the article that the fewest other pages use, from the built search index."""
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    words_of: dict[str, set[str]] = {}
    for doc in index["docs"]:
        page = doc["location"].split("#")[0]
        text = html.unescape(re.sub(r"<[^>]+>", " ", f"{doc['title']} {doc['text']}")).lower()
        words_of.setdefault(page, set()).update(set(re.findall(r"[a-z]{6,}", text)) - STOP_WORDS)
    pages_using = Counter(word for words in words_of.values() for word in words)
    candidates = sorted(words_of.get(article, ()), key=lambda word: (pages_using[word], word))
    assert candidates, f"{article} has no word of six letters or more to search for"
    return candidates[0]


@pytest.fixture(scope="module")
def site(handbook_site, serve) -> str:
    """The base URL of the real handbook as built, served on 127.0.0.1.

    test_build.py holds the build to --strict; these tests only need the pages it wrote, so a
    warning elsewhere in the handbook does not hide what a reader would see.
    """
    written = handbook_site.site_dir / "sitemap.xml"
    assert written.is_file(), f"the handbook was not built: {handbook_site.messages}"
    return serve(handbook_site.site_dir)


@pytest.fixture(scope="module")
def article(handbook_site) -> str:
    """The path of one article of the handbook, such as 'clients/reading-requests/'."""
    return first_article(handbook_site.site_dir)


def record_requests(page) -> list[str]:
    """Every URL the page's context requests from now on, workers' requests included."""
    urls: list[str] = []
    page.context.on("request", lambda request: urls.append(request.url))
    return urls


def other_hosts(urls: list[str]) -> list[str]:
    """The URLs that go to a host other than 127.0.0.1 (data: and blob: stay in the page)."""
    return [
        url
        for url in urls
        if not url.startswith(("data:", "blob:", "about:")) and urlsplit(url).hostname != LOCAL_HOST
    ]


@pytest.fixture
def phone(browser, guard: Guard):
    """A phone-sized touch page; like `page`, it fails the test on outside requests."""
    page = open_page(browser, guard, viewport=PHONE, is_mobile=True, has_touch=True)
    yield page
    page.context.close()
    assert guard.outside == [], f"requests to other hosts: {guard.outside}"
    assert guard.errors == [], f"script errors: {guard.errors}"


# ---------------------------------------------------------------- no request leaves the intranet


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("kind", ["home", "article", "tags", "search"])
def test_page_makes_no_request_to_another_host(page, guard, site, handbook_site, article, kind):
    requests = record_requests(page)
    if kind == "search":
        word = rarest_word(handbook_site.site_dir, article)
        page.goto(f"{site}?q={word}")  # search.share: a shared link opens the results
        expect(page.locator(".md-search-result__item").first).to_be_visible()
    else:
        path = {"home": "", "article": article, "tags": "tags/"}[kind]
        page.goto(site + path)
    page.wait_for_load_state("networkidle")
    # The search overlay covers the viewport only, so a full-page shot would half-dim.
    screenshot(page, f"page-{kind}", full_page=kind != "search")
    assert requests, "the page requested nothing, so nothing was checked"
    assert other_hosts(requests) == []
    assert guard.outside == []


@pytest.mark.browser
@pytest.mark.slow
def test_repository_button_links_without_asking_github(page, site):
    page.goto(site)
    button = page.locator("a.md-source").first
    expect(button).to_have_attribute("href", config()["repo_url"])
    expect(button).not_to_have_attribute("data-md-component", "source")


# ---------------------------------------------------------------- reading and finding


@pytest.mark.browser
@pytest.mark.slow
def test_search_finds_an_article_by_one_of_its_words(page, site, handbook_site, article):
    word = rarest_word(handbook_site.site_dir, article)
    page.goto(site)
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially(word, delay=20)
    results = page.locator("a.md-search-result__link")
    expect(results.first).to_be_visible()
    hrefs = results.evaluate_all("links => links.map(link => link.href)")
    screenshot(page, "search", full_page=False)
    # search.highlight adds ?h=<word> to each result, and sections add a #fragment.
    opened = [urlsplit(href)._replace(query="", fragment="").geturl() for href in hrefs]
    assert site + article in opened, (word, hrefs)


@pytest.mark.browser
@pytest.mark.slow
def test_palette_toggle_switches_to_dark(page, site, article):
    page.goto(site + article)
    body = page.locator("body")
    # Only the toggle for the palette in use is shown; each press moves to the next palette:
    # system preference (light in headless Chromium) -> light -> dark.
    toggle = page.locator('[data-md-component="palette"] label:visible')
    toggle.click()
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    page.mouse.move(0, PAGE_BOTTOM)  # no toggle tooltip in the screenshots
    screenshot(page, "light")
    toggle.click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.mouse.move(0, PAGE_BOTTOM)
    screenshot(page, "dark")


@pytest.mark.browser
@pytest.mark.slow
def test_phone_shows_navigation_after_tapping_the_menu(phone, site, article):
    phone.goto(site + article)
    drawer = phone.locator(".md-sidebar--primary")
    expect(drawer).not_to_be_in_viewport()
    phone.locator('label.md-header__button[for="__drawer"]').tap()
    expect(drawer).to_be_in_viewport(ratio=0.9)
    expect(drawer.locator("a.md-nav__link").first).to_be_visible()
    screenshot(phone, "phone", full_page=False)


@pytest.mark.browser
@pytest.mark.slow
def test_nav_link_opens_the_page_without_a_full_reload(page, handbook_at_its_url, article):
    # Built for the address it is served at: instant navigation takes over sitemap links only.
    page.goto(handbook_at_its_url + article)
    page.evaluate("window.stillTheSameDocument = true")
    here, title = page.url, page.title()
    links = page.locator(".md-sidebar--primary a.md-nav__link[href]:visible")
    hrefs = links.evaluate_all("links => links.map(link => link.href)")
    index = next((i for i, href in enumerate(hrefs) if href.split("#")[0] != here), None)
    assert index is not None, f"the navigation of {article} links to no other page: {hrefs}"
    links.nth(index).click()
    page.wait_for_url(hrefs[index])
    expect(page).not_to_have_title(title)
    # A full reload would have thrown away the old document and this mark with it.
    assert page.evaluate("window.stillTheSameDocument") is True


@pytest.mark.browser
@pytest.mark.slow
def test_edit_this_page_opens_the_source_in_the_repository(page, site, article):
    page.goto(site + article)
    edit = page.locator('a.md-content__button[rel="edit"]')
    expect(edit).to_have_attribute("title", "Edit this page")
    href = edit.get_attribute("href")
    prefix = f"{config()['repo_url'].rstrip('/')}/edit/main/docs/"
    assert href.startswith(prefix), href
    source = href.removeprefix(prefix)
    assert source in (f"{article.rstrip('/')}.md", f"{article}index.md"), href
    assert (ROOT / "docs" / source).is_file(), href


# ---------------------------------------------------------------- the built files themselves


# ---------------------------------------------------------------- trees as readers see them

DESKTOP = {"width": 1280, "height": 900}
MIN_CHART_TEXT = 11  # CSS px: the least size at which a chart's text is read without zooming

# Where the current question and its box in the chart are, in the viewport's CSS px, and
# the part of the chart's frame on screen (below Material's fixed header).
WHERE_THINGS_ARE = """tree => {
  const rect = e => { const r = e.getBoundingClientRect();
    return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; };
  const frame = rect(tree.querySelector('.dt-chart'));
  const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
  return {
    question: rect(tree.querySelector('.dt-walker-title')),
    box: rect(tree.querySelector('.dt-node.is-current rect')),
    seen: {top: Math.max(frame.top, header, 0), bottom: Math.min(frame.bottom, innerHeight),
           left: Math.max(frame.left, 0), right: Math.min(frame.right, innerWidth)},
    header, height: innerHeight, width: innerWidth,
    path: tree.querySelectorAll('.dt-edge.is-path').length,
  };
}"""

# Which answer to take at the current question: one that leads to another question if any,
# alternately the last and the first of those, so the walk goes deep and swings across.
DEEPER = """(tree, step) => {
  const here = tree.querySelector('.dt-node.is-current').dataset.node;
  const answers = [...tree.querySelectorAll(`.dt-step[data-node="${here}"] .dt-answer`)];
  const asks = answers.map((a, i) => [i,
    tree.querySelector(`.dt-step[data-node="${a.dataset.next}"]`).matches('.dt-step-question')]);
  const deeper = asks.filter(([, q]) => q).map(([i]) => i);
  const pool = deeper.length ? deeper : asks.map(([i]) => i);
  return step % 2 ? pool[0] : pool[pool.length - 1];
}"""


def tree_pages(site_dir: Path) -> list[tuple[str, str]]:
    """(page path, tree id) of the first tree on every page of the built handbook that has one."""
    found = []
    for path in sitemap_paths(site_dir):
        page_html = (site_dir / path / "index.html").read_text(encoding="utf-8")
        match = re.search(r'<div class="dt" id="tree-([a-z0-9-]+)"', page_html)
        if match:
            found.append((path, match.group(1)))
    assert found, "the built handbook has no decision tree"
    return found


def inside(inner: dict, outer: dict) -> bool:
    return all(
        [
            inner["top"] >= outer["top"] - 0.5,
            inner["bottom"] <= outer["bottom"] + 0.5,
            inner["left"] >= outer["left"] - 0.5,
            inner["right"] <= outer["right"] + 0.5,
        ]
    )


def question_and_box_on_screen(page, tree) -> dict:
    """Wait (the chart pans smoothly) until the question and its chart box are both on screen
    and return where they are; the caller asserts on the last positions seen."""
    where: dict = {}
    for _ in range(40):
        where = tree.evaluate(WHERE_THINGS_ARE)
        screen = {
            "top": where["header"],
            "bottom": where["height"],
            "left": 0,
            "right": where["width"],
        }
        if inside(where["question"], screen) and inside(where["box"], where["seen"]):
            break
        page.wait_for_timeout(100)
    return where


@pytest.mark.browser
@pytest.mark.slow
def test_desktop_walk_keeps_each_question_and_its_chart_box_on_screen(page, site, handbook_site):
    for path, tree_id in tree_pages(handbook_site.site_dir):
        page.goto(site + path)
        tree = page.locator(f"#tree-{tree_id}")
        title = tree.locator(".dt-walker-title")
        expect(title).to_be_visible()
        frame = tree.locator(".dt-chart")
        assert frame.evaluate("e => getComputedStyle(e).position") == "sticky", path
        steps = 0
        while tree.locator(".dt-walker .dt-choice").count():
            before = title.text_content() or ""
            tree.locator(".dt-walker .dt-choice").nth(tree.evaluate(DEEPER, steps)).click()
            expect(title).not_to_have_text(before)
            steps += 1
            where = question_and_box_on_screen(page, tree)
            screen = {"top": where["header"], "bottom": 900, "left": 0, "right": 1280}
            assert inside(where["question"], screen), (path, steps, where)
            assert inside(where["box"], where["seen"]), (path, steps, where)
            assert where["path"] == steps, (path, steps, where)
        assert steps >= 2, f"{path}: a walk of {steps} step(s) shows nothing of following"
        assert page.evaluate("document.scrollingElement.scrollWidth") <= DESKTOP["width"]
        screenshot(page, f"tree-desktop-{tree_id}", full_page=False)
        # A shared step URL and the browser's back button land in view as well.
        page.reload()
        expect(title).to_be_focused()
        where = question_and_box_on_screen(page, tree)
        assert inside(where["box"], where["seen"]), (path, "reload", where)
        last = title.text_content() or ""
        page.go_back()
        expect(title).not_to_have_text(last)
        where = question_and_box_on_screen(page, tree)
        assert inside(where["box"], where["seen"]), (path, "back", where)


@pytest.mark.browser
@pytest.mark.slow
def test_phone_chart_text_is_readable_and_the_frame_scrolls_not_the_page(
    phone, site, handbook_site
):
    for path, tree_id in tree_pages(handbook_site.site_dir):
        phone.goto(site + path)
        tree = phone.locator(f"#tree-{tree_id}")
        expect(tree.locator(".dt-walker-title")).to_be_visible()
        tree.locator(".dt-walker .dt-choice").last.tap()
        sizes = tree.locator(".dt-svg").evaluate(
            """svg => {
              const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
              return [...svg.querySelectorAll('text')].map(
                t => parseFloat(getComputedStyle(t).fontSize) * scale);
            }"""
        )
        assert sizes and min(sizes) >= MIN_CHART_TEXT, (path, min(sizes))
        assert phone.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"], path
        frame = tree.locator(".dt-chart")
        wide = frame.evaluate("e => e.scrollWidth > e.clientWidth")
        svg_width = tree.locator(".dt-svg").evaluate("e => e.viewBox.baseVal.width")
        assert wide == (svg_width > PHONE["width"] - 40), (path, svg_width)
        # The frame is panned sideways to the current box.
        for _ in range(40):
            where = tree.evaluate(WHERE_THINGS_ARE)
            if where["box"]["left"] >= where["seen"]["left"] - 0.5 and (
                where["box"]["right"] <= where["seen"]["right"] + 0.5
            ):
                break
            phone.wait_for_timeout(100)
        assert where["box"]["left"] >= where["seen"]["left"] - 0.5, (path, where)
        assert where["box"]["right"] <= where["seen"]["right"] + 0.5, (path, where)
        frame.scroll_into_view_if_needed()
        screenshot(phone, f"tree-phone-{tree_id}", full_page=False)


@pytest.mark.browser
@pytest.mark.slow
def test_every_tree_page_reads_in_the_dark_palette_and_prints_its_whole_chart(
    browser, guard, site, handbook_site
):
    page = open_page(browser, guard, viewport=DESKTOP, color_scheme="dark")
    try:
        for path, tree_id in tree_pages(handbook_site.site_dir):
            page.goto(site + path)
            tree = page.locator(f"#tree-{tree_id}")
            expect(tree.locator(".dt-walker-title")).to_be_visible()
            colours = tree.locator(".dt-svg").evaluate(
                """svg => [getComputedStyle(svg.querySelector('text')).fill,
                           getComputedStyle(svg.querySelector('.dt-node rect')).fill]"""
            )
            assert colours[0] != colours[1], (path, colours)  # text never in its box's colour
            tree.locator(".dt-chart").scroll_into_view_if_needed()
            screenshot(page, f"tree-dark-{tree_id}", full_page=False)
            page.emulate_media(media="print")
            expect(tree.locator(".dt-walker")).to_be_hidden()
            fits = tree.locator(".dt-chart").evaluate(
                """frame => frame.scrollWidth <= frame.clientWidth + 1
                  && frame.querySelector('svg').getBoundingClientRect().width
                     <= frame.clientWidth + 1"""
            )
            assert fits, f"{path}: the printed chart is cut off"
            screenshot(page, f"tree-print-{tree_id}")
            page.emulate_media(media="screen")
    finally:
        page.context.close()
    assert guard.outside == [] and guard.errors == []


def outside_imports(css: str) -> list[str]:
    """Absolute URLs that CSS imports or points url(...) at (data: URIs stay in the file)."""
    pattern = r"""(?:url\(\s*|@import\s+)["']?((?:https?:)?//[^"')\s;]+)"""
    return re.findall(pattern, css)


class _Resources(HTMLParser):
    """Every URL an HTML page makes the browser fetch, and every Mermaid diagram it holds."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.mermaid = 0
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self._in_style = tag == "style"
        self.urls.extend(outside_imports(values.get("style", "")))
        if tag == "pre" and "mermaid" in values.get("class", "").split():
            self.mermaid += 1
        if tag == "link" and set(values.get("rel", "").lower().split()) <= NAVIGATIONAL_RELS:
            return
        for name in LOADING_ATTRIBUTES.get(tag, ()):
            value = values.get(name, "")
            urls = [part.split()[0] for part in value.split(",") if part.split()]
            self.urls.extend(urls if name == "srcset" else [value] if value else [])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.urls.extend(outside_imports(data))


def outside_resources(html: str) -> tuple[list[str], int]:
    """Absolute URLs that a page would load, and how many Mermaid diagrams it holds.

    MkDocs writes every address inside the site as a relative one, so any absolute address a
    page loads from names another host wherever the site is hosted.
    """
    parser = _Resources()
    parser.feed(html)
    parser.close()
    outside = [
        url
        for url in parser.urls
        if url.startswith("//") or urlsplit(url).scheme in ("http", "https")
    ]
    return outside, parser.mermaid


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<script src="assets/app.js"></script>', ([], 0)),
        ('<script src="https://cdn.example/a.js"></script>', (["https://cdn.example/a.js"], 0)),
        ('<link rel="stylesheet" href="//fonts.example/css">', (["//fonts.example/css"], 0)),
        (
            '<link rel="preconnect" href="https://fonts.gstatic.com">',
            (["https://fonts.gstatic.com"], 0),
        ),
        ('<link rel="canonical" href="https://handbook.example/">', ([], 0)),
        ('<img srcset="a.png 1x, https://x.example/b.png 2x">', (["https://x.example/b.png"], 0)),
        ('<iframe src="http://video.example/embed"></iframe>', (["http://video.example/embed"], 0)),
        ('<svg><image href="https://x.example/c.png"/></svg>', (["https://x.example/c.png"], 0)),
        ('<div style="background:url(//x.example/d.png)">', (["//x.example/d.png"], 0)),
        ("<style>@import 'https://x.example/e.css';</style>", (["https://x.example/e.css"], 0)),
        ('<script src="http://127.0.0.1:8000/a.js"></script>', (["http://127.0.0.1:8000/a.js"], 0)),
        ('<a href="https://example.com/">a link is not a request</a>', ([], 0)),
        ("<p>https://example.com/ written out</p>", ([], 0)),
        ('<pre class="mermaid">graph LR</pre>', ([], 1)),
    ],
)
def test_outside_resources_are_found_in_html(html, expected):
    assert outside_resources(html) == expected


@pytest.mark.parametrize(
    ("css", "expected"),
    [
        ('@import url("https://fonts.example/css");', ["https://fonts.example/css"]),
        ("@import '//fonts.example/a.css';", ["//fonts.example/a.css"]),
        (".a{background:url(https://x.example/b.png)}", ["https://x.example/b.png"]),
        (".a{background:url(../images/b.png)}", []),
        ("""a{mask:url('data:image/svg+xml;<svg xmlns="http://www.w3.org/2000/svg"/>')}""", []),
    ],
)
def test_outside_imports_are_found_in_css(css, expected):
    assert outside_imports(css) == expected


@pytest.mark.slow
def test_no_built_page_loads_anything_from_another_host(handbook_site):
    written = handbook_site.site_dir / "sitemap.xml"
    assert written.is_file(), f"the handbook was not built: {handbook_site.messages}"
    found = {}
    for path in sorted(handbook_site.site_dir.rglob("*.html")):
        outside, mermaid = outside_resources(path.read_text(encoding="utf-8"))
        if outside or mermaid:
            # Material loads Mermaid from unpkg.com for any <pre class="mermaid">.
            found[str(path.relative_to(handbook_site.site_dir))] = (outside, mermaid)
    assert found == {}


@pytest.mark.slow
def test_no_built_stylesheet_loads_anything_from_another_host(handbook_site):
    written = handbook_site.site_dir / "sitemap.xml"
    assert written.is_file(), f"the handbook was not built: {handbook_site.messages}"
    found = {
        str(path.relative_to(handbook_site.site_dir)): outside
        for path in sorted(handbook_site.site_dir.rglob("*.css"))
        if (outside := outside_imports(path.read_text(encoding="utf-8")))
    }
    assert found == {}
