"""Keeping the handbook internal: writers' messages for HTML that runs or calls out, and the
Content-Security-Policy, referrer and robots rules every built page carries.

Messages are asserted whole, one table row per kind; the policy is read back from the HTML
the build writes. tests/test_security_browser.py shows Chromium enforcing it.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT

from security.policy import (
    ROBOTS_TXT,
    content_security_policy,
    header_policy,
    protect_page,
    source_hash,
    theme_inline_code,
)
from security.unsafe import find_unsafe_html

RUNS = "runs code in the reader's browser, which the handbook's security policy blocks: remove "
SHOW = "to show the HTML itself, put it in backticks or a code block"
CALLS_OUT = (
    "which tells that host who reads the handbook and which the handbook's security policy "
    "blocks: save the file under docs/ and "
)
RESOURCE = CALLS_OUT + "point to it with a relative path, or link to it instead"
IMAGE = CALLS_OUT + "write a relative path to it, or link to it instead"
EMBEDS = (
    "which the handbook's security policy blocks: link to it instead, like [its title](https://...)"
)


def messages(markdown: str, line_offset: int = 0) -> list[str]:
    return [
        str(problem)
        for problem in find_unsafe_html(markdown, "p.md", line_offset, "https://intra.example/hb/")
    ]


# ---------------------------------------------------------------- what is reported


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        pytest.param(
            "Hi\n\n<script>alert('x')</script>\n",
            [f"docs/p.md:3:1: <script> {RUNS}it; {SHOW}"],
            id="script",
        ),
        pytest.param(
            '<SCRIPT src="app.js"></SCRIPT>',
            [f"docs/p.md:1:1: <script> {RUNS}it; {SHOW}"],
            id="script with a source, any case",
        ),
        pytest.param(
            'Hover <span onmouseover="alert(1)">here</span>.',
            [f"docs/p.md:1:13: 'onmouseover' {RUNS}the attribute; {SHOW}"],
            id="event attribute",
        ),
        pytest.param(
            "<a href=\"x.md\" title='a onclick=b' OnClick=go()>x</a>",
            [f"docs/p.md:1:36: 'OnClick' {RUNS}the attribute; {SHOW}"],
            id="event attribute, not text inside another attribute",
        ),
        pytest.param(
            '<iframe src="https://video.example/embed/1"></iframe>',
            [f"docs/p.md:1:1: <iframe> shows another page inside this one, {EMBEDS}"],
            id="iframe",
        ),
        pytest.param(
            '<object data="chart.svg"></object>',
            [f"docs/p.md:1:1: <object> embeds content from outside the page, {EMBEDS}"],
            id="object",
        ),
        pytest.param(
            '<embed src="clip.mp4">',
            [f"docs/p.md:1:1: <embed> embeds content from outside the page, {EMBEDS}"],
            id="embed",
        ),
        pytest.param(
            'A logo: <img alt="" src="https://cdn.example/logo.png">',
            [
                'docs/p.md:1:26: <img src="https://cdn.example/logo.png"> loads from another '
                f"host (cdn.example), {RESOURCE}"
            ],
            id="img from another host",
        ),
        pytest.param(
            "<img src=//cdn.example/a.png>",
            [
                'docs/p.md:1:10: <img src="//cdn.example/a.png"> loads from another host '
                f"(cdn.example), {RESOURCE}"
            ],
            id="img from a scheme-relative URL",
        ),
        pytest.param(
            "Text\n\n![A chart](https://cdn.example/chart.png)\n",
            [
                "docs/p.md:3:12: the image 'https://cdn.example/chart.png' loads from another "
                f"host (cdn.example), {IMAGE}"
            ],
            id="markdown image",
        ),
        pytest.param(
            "![A chart][chart]\n\n[chart]: https://cdn.example/chart.png\n",
            [
                "docs/p.md:3:10: the image 'https://cdn.example/chart.png' loads from another "
                f"host (cdn.example), {IMAGE}"
            ],
            id="markdown image by reference",
        ),
        pytest.param(
            '<link rel="stylesheet" href="https://cdn.example/x.css">',
            [
                'docs/p.md:1:30: <link href="https://cdn.example/x.css"> loads from another '
                f"host (cdn.example), {RESOURCE}"
            ],
            id="link",
        ),
        pytest.param(
            '<video poster="https://cdn.example/p.png" src="clip.mp4"></video>',
            [
                'docs/p.md:1:16: <video poster="https://cdn.example/p.png"> loads from another '
                f"host (cdn.example), {RESOURCE}"
            ],
            id="video poster",
        ),
        pytest.param(
            '<audio src="https://cdn.example/a.mp3"></audio>',
            [
                'docs/p.md:1:13: <audio src="https://cdn.example/a.mp3"> loads from another '
                f"host (cdn.example), {RESOURCE}"
            ],
            id="audio",
        ),
        pytest.param(
            '<picture><source srcset="a.png 1x, https://cdn.example/b.png 2x"></picture>',
            [
                'docs/p.md:1:36: <source srcset="https://cdn.example/b.png"> loads from '
                f"another host (cdn.example), {RESOURCE}"
            ],
            id="source srcset, second candidate",
        ),
        pytest.param(
            "<style>p { color: red }</style>",
            [
                "docs/p.md:1:1: <style> in a page is ignored by the handbook's security policy: "
                "remove it, and ask for the style to be added to the theme (theme_overrides/) "
                "if the handbook needs it"
            ],
            id="style element",
        ),
        pytest.param(
            '<p style="color: red">Red</p>',
            [
                "docs/p.md:1:4: a style attribute is ignored by the handbook's security policy: "
                "remove it, and ask for a class in the theme (theme_overrides/) if the handbook "
                "needs one"
            ],
            id="style attribute",
        ),
        pytest.param(
            'Send us <form method="post" action="https://forms.example/f"><input name="q"></form>',
            [
                'docs/p.md:1:37: <form action="https://forms.example/f"> would send what the '
                "reader types to another host (forms.example), which the handbook's security "
                "policy blocks: link to the form instead, like [its title](https://...)"
            ],
            id="form sending to another host",
        ),
        pytest.param(
            '<form action="/search/">\n<button FormAction="https://x.example/go">Go</button>',
            [
                'docs/p.md:2:21: <button formaction="https://x.example/go"> would send what the '
                "reader types to another host (x.example), which the handbook's security "
                "policy blocks: link to the form instead, like [its title](https://...)"
            ],
            id="formaction on a button, the form itself on this site",
        ),
        pytest.param(
            'Moved.\n\n<meta http-equiv="Refresh" content="0; url=https://elsewhere.example/">',
            [
                'docs/p.md:3:1: <meta http-equiv="refresh"> moves the reader to another page '
                "without asking: remove it, and link to the page instead, like [its title](https://...)"
            ],
            id="meta refresh",
        ),
    ],
)
def test_each_kind_of_html_that_runs_or_calls_out_is_named_with_what_to_do(markdown, expected):
    assert messages(markdown) == expected


@pytest.mark.parametrize(
    "markdown",
    [
        pytest.param("See [the vendor](https://vendor.example/docs).", id="markdown link"),
        pytest.param('<a href="https://vendor.example/">vendor</a>', id="html link"),
        pytest.param("<https://vendor.example/>", id="autolink"),
        pytest.param("[v][v]\n\n[v]: https://vendor.example/\n", id="reference used by a link"),
        pytest.param('<img src="../img/chart.png" alt="">', id="image on this site"),
        pytest.param("![Chart](img/chart.png)", id="markdown image on this site"),
        pytest.param('<img src="https://intra.example/hb/a.png">', id="image on the own host"),
        pytest.param('<img src="data:image/png;base64,AAAA" alt="">', id="data image"),
        pytest.param("Use `<script>alert(1)</script>` to...", id="inline code"),
        pytest.param("``<iframe src=`x`>``", id="double-backtick code"),
        pytest.param(
            '```html\n<script>alert(1)</script>\n<span onclick="x">\n```\n', id="fenced code"
        ),
        pytest.param('~~~\n<img src="https://cdn.example/a.png">\n~~~\n', id="tilde fence"),
        pytest.param('Text\n\n    <iframe src="https://x.example"></iframe>\n', id="indented"),
        pytest.param(
            "- item\n\n    ```html\n    <script>x()</script>\n    ```\n", id="fence in a list"
        ),
        pytest.param("<!-- <script>old()</script> -->", id="html comment"),
        pytest.param('A <b>bold</b> and <span class="one">span</span>.', id="plain html"),
        pytest.param("The onclick= attribute, in prose.", id="prose"),
        pytest.param('<form action="https://intra.example/hb/find/"></form>', id="form, own host"),
        pytest.param('<meta name="refresh" content="refresh">', id="meta that is no refresh"),
    ],
)
def test_what_is_only_shown_or_stays_on_the_site_is_not_reported(markdown):
    assert messages(markdown) == []


def test_lines_count_the_front_matter_and_every_problem_is_reported_in_page_order():
    page = 'Text\n\n<img src="https://a.example/x.png">\n\n<script>x()</script>\n'
    assert [message.split(": ", 1)[0] for message in messages(page, line_offset=4)] == [
        "docs/p.md:7:11",
        "docs/p.md:9:1",
    ]


# ---------------------------------------------------------------- whole builds


def test_a_build_names_every_problem_of_a_page_once_with_its_place(build_site):
    page = (
        "---\ntags: [x]\n---\n\n# Home\n\n"  # front matter: the text starts on line 5
        "<script>alert('x')</script>\n\n"
        'Hover <span onmouseover="go()">here</span>; [do not](javascript:alert(1)).\n\n'
        "![Chart](https://cdn.example/chart.png)\n\n"
        "```html\n<script>shown()</script>\n```\n"
    )
    built = build_site({"index.md": page})
    assert not built.ok
    assert built.messages == [
        f"docs/index.md:7:1: <script> {RUNS}it; {SHOW}",
        f"docs/index.md:9:13: 'onmouseover' {RUNS}the attribute; {SHOW}",
        "docs/index.md:11:10: the image 'https://cdn.example/chart.png' loads from another "
        f"host (cdn.example), {IMAGE}",
        # javascript: URLs are the link checker's, reported once, in its own words.
        "docs/index.md:9:54: broken link 'javascript:alert(1)': javascript: URLs are refused; "
        "link to a page or a file",
    ]


# ---------------------------------------------------------------- the policy itself

THEME_PAGE = """<!doctype html>
<html><head>
<meta charset="utf-8">
<script>var theme = 1;</script>
<script id="__config" type="application/json">{"a": 1}</script>
<style>.x { color: red }</style>
<title>TITLE</title>
</head><body><main><article>CONTENT</article>
<script>var tabs = 2;</script></main>
<script src="bundle.js"></script>
<script type="module">import "./walker.js";</script>
</body></html>"""
SMUGGLED = "<p>Hi</p><script>steal()</script><style>p{}</style>"


def test_only_the_theme_s_inline_scripts_and_styles_are_hashed():
    page = THEME_PAGE.replace("CONTENT", SMUGGLED)
    scripts, styles = theme_inline_code(page, SMUGGLED)
    assert scripts == ["var theme = 1;", "var tabs = 2;", 'import "./walker.js";']
    assert styles == [".x { color: red }"]


def test_tag_names_are_read_in_ascii_letters_of_any_case_as_browsers_read_them():
    long_s = "\u017f"  # which Python's re.I takes for an "s", and browsers do not
    page = (
        f"<head><SCRIPT>a()</Script ><{long_s}cript>b()</{long_s}cript><Style>p {{}}</STYLE>"
        f"<script>c()</{long_s}cript></script></head>"
    )
    # That is no script to a browser, so neither is it here, nor does its end tag end one.
    assert theme_inline_code(page, "") == (["a()", f"c()</{long_s}cript>"], ["p {}"])


def test_a_script_a_writer_typed_outside_the_content_is_not_hashed():
    # A title or copyright line in mkdocs.yml or front matter reaches the page outside content.
    page = THEME_PAGE.replace("TITLE", "<script>steal()</script>").replace("CONTENT", "")
    scripts, _ = theme_inline_code(page, "", ["title: Hi <script>steal()</script>\n"])
    assert "steal()" not in scripts


def test_content_that_changed_after_rendering_leaves_nothing_in_main_hashed():
    page = THEME_PAGE.replace("CONTENT", "<script>steal()</script>")
    scripts, _ = theme_inline_code(page, "<p>what the page rendered</p>")
    assert scripts == ["var theme = 1;", 'import "./walker.js";']


def test_the_policy_names_each_inline_script_and_style_by_hash():
    scripts = " ".join(sorted([source_hash("a"), source_hash("b")]))  # in a stable order
    assert content_security_policy(["b", "a", "a"], [".x{}"]) == (
        f"default-src 'self'; script-src 'self' {scripts}; "
        f"style-src 'self' {source_hash('.x{}')}; img-src 'self' data:; font-src 'self'; "
        "connect-src 'self'; worker-src 'self'; frame-src 'none'; object-src 'none'; "
        "base-uri 'self'; form-action 'self'"
    )


def test_source_hash_is_the_base64_sha256_of_the_utf8_text():
    digest = base64.b64encode(hashlib.sha256("é".encode()).digest()).decode()
    assert source_hash("é") == f"'sha256-{digest}'"


def test_under_serve_inline_scripts_are_allowed_for_live_reload_and_nothing_else_changes():
    built = content_security_policy(["a"], [".x{}"])
    served = content_security_policy(["a"], [".x{}"], serving=True)
    assert "'unsafe-inline'" not in built
    assert served == built.replace(source_hash("a"), "'unsafe-inline'")
    assert "'unsafe-eval'" not in served


@pytest.mark.parametrize(
    ("public", "robots"),
    [(False, ['<meta name="robots" content="noindex, nofollow">']), (True, [])],
)
def test_the_rules_go_right_after_the_charset_before_any_script(public, robots):
    page = protect_page(THEME_PAGE, "CONTENT", public=public)
    head = page.split("<script", 1)[0]
    tags = re.findall(r"<meta [^>]*>", head)
    assert tags[0] == '<meta charset="utf-8">'
    assert tags[1].startswith('<meta http-equiv="Content-Security-Policy" content="')
    assert tags[2:] == ['<meta name="referrer" content="same-origin">', *robots]


def test_the_header_for_other_hosts_keeps_every_rule_and_leaves_hashes_to_the_page():
    header = dict(rule.split(" ", 1) for rule in header_policy().split("; "))
    page = dict(rule.split(" ", 1) for rule in content_security_policy([], []).split("; "))
    assert header.pop("script-src") == header.pop("style-src") == "'self' 'unsafe-inline'"
    assert header.pop("frame-ancestors") == "'self'"
    del page["script-src"], page["style-src"]
    assert header == page


@pytest.mark.parametrize(
    ("server", "line"),
    [
        ("nginx", 'add_header Content-Security-Policy "{}" always;'),
        ("apache", 'Header always set Content-Security-Policy "{}"'),
    ],
)
def test_the_readme_gives_the_header_as_the_build_defines_it(server, line):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(rf"```{server}\n(.*?)```", readme, re.S)
    assert block, f"README.md has no {server} block"
    assert line.format(header_policy()) in block.group(1).splitlines()


# ---------------------------------------------------------------- every built page


class _Head(HTMLParser):
    """The `<meta>` tags of a page's head and the inline scripts and styles of the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: list[dict[str, str]] = []
        self.inline: dict[str, list[str]] = {"script": [], "style": []}
        self._open: str | None = None
        self._in_head = False

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "head":
            self._in_head = True
        elif tag == "meta" and self._in_head:
            self.meta.append(attributes)
        elif tag == "style" or (
            tag == "script" and "src" not in attributes and "type" not in attributes
        ):
            self._open = tag
            self.inline[tag].append("")

    def handle_endtag(self, tag):
        if tag == "head":
            self._in_head = False
        if tag == self._open:
            self._open = None

    def handle_data(self, data):
        if self._open:
            self.inline[self._open][-1] += data


def html_pages(site_dir: Path) -> list[Path]:
    pages = sorted(site_dir.rglob("*.html"))
    assert len(pages) > 10, pages
    return pages


@pytest.mark.slow
def test_every_built_page_carries_the_policy_and_the_robots_rule(handbook_site):
    assert handbook_site.ok, handbook_site.messages
    missing = {}
    for path in html_pages(handbook_site.site_dir):
        text = path.read_text(encoding="utf-8")
        head = _Head()
        head.feed(text)
        names = {m.get("name") or m.get("http-equiv"): m.get("content") for m in head.meta}
        policy = names.get("Content-Security-Policy", "")
        script_src = re.search(r"script-src ([^;]*)", policy)
        style_src = re.search(r"style-src ([^;]*)", policy)
        # Every inline script and style the page holds is named by hash, and nothing looser is.
        problems = [
            *(["no robots rule"] if names.get("robots") != "noindex, nofollow" else []),
            *(["no referrer rule"] if names.get("referrer") != "same-origin" else []),
            *(["no policy"] if not (script_src and style_src) else []),
        ]
        if script_src and style_src:
            allowed = set(script_src.group(1).split()) | set(style_src.group(1).split())
            needed = {source_hash(code) for code in head.inline["script"] + head.inline["style"]}
            problems += [f"unnamed inline code {source}" for source in needed - allowed]
            problems += [f"loose {source}" for source in allowed if "unsafe" in source]
        # The policy covers only what follows it: it must come before the first script.
        if text.find("Content-Security-Policy") > text.find("<script"):
            problems.append("policy after a script")
        if problems:
            missing[str(path.relative_to(handbook_site.site_dir))] = problems
    assert missing == {}
    assert (handbook_site.site_dir / "robots.txt").read_text(encoding="utf-8") == ROBOTS_TXT


@pytest.mark.parametrize(
    ("extra", "environment"),
    [
        pytest.param("extra:\n  handbook_public: true\n", {}, id="mkdocs.yml"),
        pytest.param("", {"HANDBOOK_PUBLIC": "true"}, id="environment"),
    ],
)
def test_a_handbook_declared_public_may_be_indexed(build_site, monkeypatch, extra, environment):
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    built = build_site({"index.md": "# Home\n"}, extra=extra)
    assert built.ok, built.messages
    page = built.html()
    assert 'name="robots"' not in page
    assert "Content-Security-Policy" in page
    assert not (built.site_dir / "robots.txt").exists()


def test_without_a_word_the_handbook_is_internal(build_site, monkeypatch):
    monkeypatch.delenv("HANDBOOK_PUBLIC", raising=False)
    built = build_site({"index.md": "# Home\n"})
    assert built.ok, built.messages
    assert '<meta name="robots" content="noindex, nofollow">' in built.html()
    assert (built.site_dir / "robots.txt").read_text(encoding="utf-8") == ROBOTS_TXT


def test_an_internal_handbook_replaces_a_robots_txt_of_its_own(build_site):
    built = build_site({"index.md": "# Home\n", "robots.txt": "User-agent: *\nAllow: /\n"})
    assert built.ok, built.messages
    assert (built.site_dir / "robots.txt").read_text(encoding="utf-8") == ROBOTS_TXT
    assert '<meta name="robots" content="noindex, nofollow">' in built.html("404.html")


def test_a_public_setting_that_is_not_true_or_false_stops_the_build(build_site):
    built = build_site({"index.md": "# Home\n"}, extra="extra:\n  handbook_public: 'yes'\n")
    assert not built.ok
    assert built.messages == [
        "mkdocs.yml: extra.handbook_public: expected true or false but received: 'yes'; leave "
        "it out (or false) for an internal handbook"
    ]
