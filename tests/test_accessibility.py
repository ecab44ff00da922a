"""Every page of the real handbook in Chromium: axe-core, verdict contrast, no outside requests.

One pass visits every built page in the light palette and in the dark, each palette in a
single browser context held to the suite's guard (any request to another host is refused and
recorded). On each page it runs axe-core (the copy shipped in axe-playwright-python, added
from disk to every page the context opens, never fetched) and reads the colours of every
verdict. The two palettes' pages run side by side: while axe checks a page in one, the other
loads. The tests below assert on what the pass found; a short keyboard walk of a real tree
closes the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

import axe_playwright_python
import pytest
from conftest import Guard, open_page, screenshot
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PALETTES = {"light": "default", "dark": "slate"}
AXE_SCRIPT = Path(axe_playwright_python.__file__).with_name("axe.min.js")
AA_TEXT = 4.5
# Every axe rule in the light palette; in the dark one only what a palette changes, colour.
AXE_OPTIONS = {
    "light": {"resultTypes": ["violations"]},
    "dark": {
        "resultTypes": ["violations"],
        "runOnly": {"type": "rule", "values": ["color-contrast"]},
    },
}
# axe.run starts without being awaited, so the light page checks itself while the dark one
# loads (each context has its own renderer); AXE_RESULTS then waits for the answer.
START_AXE = "(options) => { window.handbookAxe = axe.run(document, options); }"
AXE_RESULTS = "() => window.handbookAxe"

# The colours of each verdict element and what lies behind it, as the browser computes them.
# An SVG outcome's text is drawn on its box's fill; other verdict text on the first ancestor
# with a background.
BEHIND = """const behind = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const bg = getComputedStyle(e).backgroundColor;
      if (bg && bg !== "transparent" && !/, 0\\)$/.test(bg)) return bg;
    }
    return getComputedStyle(document.body).backgroundColor;
  };"""
VERDICT_COLOURS = (
    "() => {\n  "
    + BEHIND
    + """
  const page = getComputedStyle(document.body).backgroundColor;
  const found = [];
  for (const el of document.querySelectorAll(".dt-verdict")) {
    if (!el.getClientRects().length) continue;
    found.push({where: "text " + el.closest("[class*=dt-verdict-]").className,
                fg: getComputedStyle(el).color, bg: behind(el), page});
  }
  for (const node of document.querySelectorAll(".dt-node-outcome")) {
    found.push({where: "chart " + node.getAttribute("class"),
                fg: getComputedStyle(node.querySelector("text")).fill,
                bg: getComputedStyle(node.querySelector("rect")).fill, page});
  }
  return found;
}"""
)


@dataclass
class Visit:
    """What one page showed in one palette."""

    violations: list[tuple[str, str, str]] = field(default_factory=list)  # rule, target, why
    colours: list[dict] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def built_pages(site: Path) -> list[str]:
    """Every HTML page the build wrote, as paths under the site folder."""
    return sorted(
        path.relative_to(site).as_posix()
        for path in site.rglob("*.html")
        if not path.relative_to(site).as_posix().startswith("assets/")
    )


def flagged(violation: dict) -> list[tuple[str, str, str]]:
    """One (rule, selector, impact and summary) per element axe flagged."""
    return [
        (
            violation["id"],
            " ".join(map(str, node["target"])),
            f"({violation['impact']}) {node.get('failureSummary', '').splitlines()[-1].strip()}",
        )
        for node in violation["nodes"]
    ]


def parse_colour(text: str) -> tuple[float, float, float, float]:
    """An rgb()/rgba() string from getComputedStyle as red, green, blue (0-255) and alpha."""
    numbers = [float(n) for n in re.findall(r"[\d.]+", text)]
    assert len(numbers) in (3, 4), text
    return (*numbers[:3], numbers[3] if len(numbers) == 4 else 1.0)  # type: ignore[return-value]


def luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG 2 relative luminance."""

    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = map(channel, rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg: str, bg: str, page_bg: str) -> float:
    """WCAG contrast of `fg` over `bg`, each blended over what lies behind it when translucent."""

    def blend(colour: str, under: tuple[float, float, float]) -> tuple[float, float, float]:
        *rgb, alpha = parse_colour(colour)
        return tuple(alpha * c + (1 - alpha) * u for c, u in zip(rgb, under, strict=True))  # type: ignore[return-value]

    back = blend(bg, blend(page_bg, (255, 255, 255)))
    front = blend(fg, back)
    high, low = sorted((luminance(front), luminance(back)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(
    ("fg", "bg", "expected"),
    [
        ("rgb(0, 0, 0)", "rgb(255, 255, 255)", 21.0),
        ("rgb(255, 255, 255)", "rgb(255, 255, 255)", 1.0),
        ("rgb(118, 118, 118)", "rgb(255, 255, 255)", 4.54),
        ("rgba(0, 0, 0, 0.5)", "rgb(255, 255, 255)", 3.98),
    ],
)
def test_contrast_is_computed_as_wcag_defines_it(fg, bg, expected):
    assert round(contrast(fg, bg, "rgb(255, 255, 255)"), 2) == expected


# ---------------------------------------------------------------- one pass over every page


@pytest.fixture(scope="module")
def visits(browser, handbook_site, serve) -> dict[tuple[str, str], Visit]:
    """(palette, page) -> what that page showed; every page in both palettes."""
    assert handbook_site.ok, handbook_site.messages
    base = serve(handbook_site.site_dir)
    found: dict[tuple[str, str], Visit] = {}
    lanes: dict[str, tuple[Page, Guard]] = {}
    try:
        for palette in PALETTES:
            guard = Guard()
            page = open_page(browser, guard, viewport={"width": 1280, "height": 900},
                             color_scheme=palette)  # fmt: skip
            page.context.add_init_script(path=AXE_SCRIPT)
            lanes[palette] = page, guard
        for path in built_pages(handbook_site.site_dir):
            before, colours = {}, {}
            for palette, (page, guard) in lanes.items():
                before[palette] = len(guard.outside), len(guard.errors)
                page.goto(base + path, wait_until="load")
                expect(page.locator("body")).to_have_attribute(
                    "data-md-color-scheme", PALETTES[palette]
                )
                colours[palette] = page.evaluate(VERDICT_COLOURS)
                page.evaluate(START_AXE, AXE_OPTIONS[palette])
            for palette, (page, guard) in lanes.items():
                outside, errors = before[palette]
                visit = Visit(colours=colours[palette])
                for violation in page.evaluate(AXE_RESULTS)["violations"]:
                    visit.violations += flagged(violation)
                visit.outside = guard.outside[outside:]
                visit.errors = guard.errors[errors:]
                found[palette, path] = visit
    finally:
        for page, _ in lanes.values():
            page.context.close()
    return found


def test_every_page_of_the_sitemap_is_visited(visits, handbook_site):
    sitemap = ET.parse(handbook_site.site_dir / "sitemap.xml").getroot()
    locations = [element.text or "" for element in sitemap.iter() if element.tag.endswith("loc")]
    paths = {urlsplit(location).path.lstrip("/") + "index.html" for location in locations}
    visited = {path for _, path in visits}
    assert len(paths) > 20
    assert paths <= visited, sorted(paths - visited)


@pytest.mark.parametrize("palette", PALETTES)
def test_axe_finds_no_violations_on_any_page(visits, palette):
    found = [
        f"{path}: {rule} at {target} {why}"
        for (p, path), visit in visits.items()
        if p == palette
        for rule, target, why in visit.violations
    ]
    assert found == [], "axe-core violations:\n" + "\n".join(found)


@pytest.mark.parametrize("palette", PALETTES)
def test_every_verdict_reads_at_aa_contrast(visits, palette):
    low = []
    checked = 0
    for (p, path), visit in visits.items():
        if p != palette:
            continue
        for colour in visit.colours:
            checked += 1
            ratio = contrast(colour["fg"], colour["bg"], colour["page"])
            if ratio < AA_TEXT:
                low.append(
                    f"{path}: {colour['where']}: {colour['fg']} on {colour['bg']}: {ratio:.2f}"
                )
    assert checked >= 3, "no verdicts found: the handbook's trees did not draw"
    assert low == [], "verdicts below 4.5:1:\n" + "\n".join(low)


def test_no_page_requests_another_host_or_throws(visits):
    outside = {f"{palette} {path}": visit.outside for (palette, path), visit in visits.items()
               if visit.outside}  # fmt: skip
    errors = {f"{palette} {path}": visit.errors for (palette, path), visit in visits.items()
              if visit.errors}  # fmt: skip
    assert outside == {}
    assert errors == {}


# ---------------------------------------------------------------- keyboard


def tree_page(site: Path) -> tuple[str, str, str]:
    """The first built page holding a tree: its path, the tree id and its start node."""
    for path in built_pages(site):
        found = re.search(r'data-dt="([^"]+)" data-dt-start="([^"]+)"', (site / path).read_text())
        if found:
            return path, found[1], found[2]
    raise AssertionError("no page of the handbook holds a tree")


def test_keyboard_alone_walks_a_tree_and_each_new_step_is_announced(
    page: Page, handbook_site, serve
):
    path, tree_id, start = tree_page(handbook_site.site_dir)
    page.goto(f"{serve(handbook_site.site_dir)}{path}#{tree_id}--{start}")
    walker = page.locator(f"#tree-{tree_id} .dt-walker")
    title = walker.locator(".dt-walker-title")
    live = walker.locator("[aria-live=polite]")
    expect(title).to_be_focused()
    for number in range(2, 30):
        for _ in range(10):  # past any links in the question's help, to the first answer
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.classList.contains('dt-choice')"):
                break
        else:
            raise AssertionError(f"Tab never reached an answer of '{title.inner_text()}'")
        page.keyboard.press("Enter")
        expect(title).to_be_focused()
        if walker.locator(".dt-stage .dt-verdict").count():
            verdict = walker.locator(".dt-stage .dt-verdict").inner_text()
            expect(live).to_have_text(f"Outcome: {title.inner_text()}. {verdict}")
            break
        expect(live).to_have_text(f"Question {number}: {title.inner_text()}")
    else:
        raise AssertionError("the walk never reached an outcome")


# The colours of a control under the pointer, as the browser computes them.
HOVERED_COLOURS = (
    "(el) => {\n  "
    + BEHIND
    + """
  return {fg: getComputedStyle(el).color, bg: behind(el),
          page: getComputedStyle(document.body).backgroundColor};
}"""
)


@pytest.mark.parametrize("palette", PALETTES)
def test_the_walkers_buttons_read_at_aa_contrast_under_the_pointer(
    browser, guard, handbook_site, serve, palette
):
    path, tree_id, start = tree_page(handbook_site.site_dir)
    page = open_page(browser, guard, viewport={"width": 1280, "height": 900},
                     color_scheme=palette)  # fmt: skip
    try:
        page.goto(f"{serve(handbook_site.site_dir)}{path}#{tree_id}--{start}")
        walker = page.locator(f"#tree-{tree_id} .dt-walker")
        walker.locator(".dt-choice").first.click()  # one answer given: "Change" and the rest show
        buttons = walker.locator(".dt-button:visible")
        expect(buttons.first).to_be_visible()
        low, checked = [], 0
        for i in range(buttons.count()):
            button = buttons.nth(i)
            button.hover()
            colour = button.evaluate(HOVERED_COLOURS)
            ratio = contrast(colour["fg"], colour["bg"], colour["page"])
            checked += 1
            if ratio < AA_TEXT:
                low.append(
                    f"{button.inner_text()!r}: {colour['fg']} on {colour['bg']}: {ratio:.2f}"
                )
        buttons.first.hover()
        buttons.first.scroll_into_view_if_needed()
        screenshot(page, f"walker-hover-{palette}", full_page=False)
        assert checked >= 3
        assert low == [], "buttons below 4.5:1 under the pointer:\n" + "\n".join(low)
    finally:
        page.context.close()
    assert guard.outside == [] and guard.errors == []
