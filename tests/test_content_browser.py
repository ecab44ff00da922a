"""The pages a reader opens at a hard moment, in real Chromium: each template copies with one
click exactly as written, and the new pages are screenshotted in both palettes and on a phone
for a person to look at."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT, Guard, open_page, screenshot
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TEMPLATES_PAGE = "service/templates/"
# Pages to look at, with the name of their screenshots.
PAGES = [
    ("service/templates/", "templates"),
    ("principles/decision-rights/", "decision-rights"),
    ("clients/worked-numbers/", "worked-numbers"),
]


@pytest.fixture(scope="module")
def site(handbook_site, serve) -> str:
    return serve(handbook_site.site_dir)


@pytest.fixture
def new_page(browser):
    """Pages opened with given context options; each fails the test on outside requests."""
    opened: list[tuple[object, Guard]] = []

    def _open(**options: object) -> object:
        guard = Guard()
        options = {"viewport": {"width": 1280, "height": 900}, **options}
        page = open_page(browser, guard, **options)
        opened.append((page, guard))
        return page

    yield _open
    for page, guard in opened:
        page.context.close()
        assert guard.outside == [], f"requests to other hosts: {guard.outside}"
        assert guard.errors == [], f"script errors: {guard.errors}"


def template_source() -> list[str]:
    """The text of each ```text block of the templates page, as the writer wrote it."""
    page = (ROOT / "docs" / "service" / "templates.md").read_text(encoding="utf-8")
    return re.findall(r"(?ms)^```text\n(.*?)^```$", page)


def test_each_template_copies_exactly_as_written_with_the_copy_button(new_page, site):
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    page.goto(site + TEMPLATES_PAGE)
    blocks = page.locator("article .highlight")
    written = template_source()
    expect(blocks).to_have_count(len(written))
    assert len(written) == 5
    for k, text in enumerate(written):
        block = blocks.nth(k)
        block.hover()
        button = block.get_by_role("button", name="Copy to clipboard")
        expect(button).to_be_visible()
        button.click()
        assert page.evaluate("navigator.clipboard.readText()").rstrip("\n") == text.rstrip("\n")


@pytest.mark.parametrize(("path", "name"), PAGES)
def test_new_pages_in_light_dark_and_on_a_phone(new_page, site, path, name):
    for scheme in ("light", "dark"):
        page = new_page(color_scheme=scheme)
        page.goto(site + path)
        expect(page.locator("article h1")).to_be_visible()
        screenshot(page, f"content-{name}-{scheme}")
    phone = new_page(
        color_scheme="light", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    phone.goto(site + path)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{path} is {width}px wide on a 390px phone"
    screenshot(phone, f"content-{name}-phone")
