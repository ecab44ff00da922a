"""Every kind of link source and target, checked end to end through the pure functions.

Each row is a tiny site (page path -> Markdown) and the exact messages the checker gives.
Pages are rendered with Python-Markdown's toc, attr_list and md_in_html, so anchors come
from real HTML just as in a build.
"""

from __future__ import annotations

import html
import re

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from links.check import check_back_links, check_links, check_site, find_orphans
from links.collect import collect_links, collect_nav_links
from links.index import _ID_ATTRIBUTE, START_TAG, anchors_in, build_index
from links.model import BackLinkRule, Link

FOCUS = "# Focus\n\n## Core and periphery\n\n## A little flexibility\n"
NAV_CONFIG = "site_name: t\nnav:\n  - Home: index.md\n  - fit/focus.md\n"


def url_of(page: str) -> str:
    """The directory URL MkDocs gives a page."""
    if page == "index.md":
        return ""
    if page.endswith("/index.md"):
        return page[: -len("index.md")]
    return page[: -len(".md")] + "/"


def render(text: str) -> str:
    return markdown.markdown(text, extensions=["toc", "attr_list", "md_in_html"])


def messages(
    pages: dict[str, str],
    files: tuple[str, ...] = (),
    config: str | None = None,
    site_url: str = "https://handbook.example/",
) -> list[str]:
    """Check a tiny site the way the build does and return the messages, in order."""
    links = [link for page, text in pages.items() for link in collect_links(text, page)]
    index = build_index(
        {page: url_of(page) for page in pages},
        {file: file for file in files},
        {page: anchors_in(render(text)) for page, text in pages.items()},
    )
    nav_links = collect_nav_links(config) if config else []
    problems = check_site(links, nav_links, [], index, site_url, [] if config else None)
    return [str(problem) for problem in problems]


CASES = [
    # ------------------------------------------------------------ inline links and images
    ("inline link to a page", {"index.md": "[f](fit/focus.md)", "fit/focus.md": FOCUS}, []),
    (
        "inline link to a missing page suggests the nearest",
        {"index.md": "# Home\n\nSee [f](fit/focs.md).", "fit/focus.md": FOCUS},
        [
            "docs/index.md:3:9: broken link 'fit/focs.md': no page 'fit/focs.md' "
            "(did you mean 'fit/focus.md'?)"
        ],
    ),
    (
        "near match is suggested as the link to write in this file",
        {"fit/focus.md": FOCUS, "service/right-level.md": "[f](focus.md)"},
        [
            "docs/service/right-level.md:1:5: broken link 'focus.md': no page 'service/focus.md'"
            " (did you mean '../fit/focus.md'?)"
        ],
    ),
    (
        "relative link climbs out of a folder",
        {"index.md": "", "fit/focus.md": "[home](../index.md)"},
        [],
    ),
    ("image of a static file", {"index.md": "![logo](img/logo.png)"}, [], ("img/logo.png",)),
    (
        "image of a missing file",
        {"index.md": "![logo](img/logo.svg)"},
        [
            "docs/index.md:1:9: broken link 'img/logo.svg': no file 'img/logo.svg' "
            "(did you mean 'img/logo.png'?)"
        ],
        ("img/logo.png",),
    ),
    (
        "link with a title and an angle-bracket target with a space",
        {
            "index.md": '[a](fit/focus.md "Focus") [b](<my page.md>)',
            "fit/focus.md": "",
            "my page.md": "",
        },
        [],
    ),
    ("URL-encoded path", {"index.md": "[b](my%20page.md)", "my page.md": ""}, []),
    (
        "query string and anchor",
        {"index.md": "[f](fit/focus.md?tab=2#core-and-periphery)", "fit/focus.md": FOCUS},
        [],
    ),
    # ------------------------------------------------------------ letter case
    (
        "page name differing only in letter case",
        {"index.md": "[f](fit/Focus.md)", "fit/focus.md": FOCUS},
        [
            "docs/index.md:1:5: broken link 'fit/Focus.md': no page 'fit/Focus.md' — the file "
            "is 'fit/focus.md' (letter case differs)"
        ],
    ),
    (
        "file name differing only in letter case",
        {"index.md": "![x](img/Logo.PNG)"},
        [
            "docs/index.md:1:6: broken link 'img/Logo.PNG': no file 'img/Logo.PNG' — the file "
            "is 'img/logo.png' (letter case differs)"
        ],
        ("img/logo.png",),
    ),
    # ------------------------------------------------------------ anchors
    (
        "missing anchor on another page suggests the nearest",
        {"index.md": "[f](fit/focus.md#core-periphery)", "fit/focus.md": FOCUS},
        [
            "docs/index.md:1:5: broken link 'fit/focus.md#core-periphery': no anchor "
            "'#core-periphery' on 'fit/focus.md' (did you mean '#core-and-periphery'?)"
        ],
    ),
    (
        "missing anchor on the same page",
        {"index.md": "# Home\n\n## Our values\n\nBack to [values](#our-value)."},
        [
            "docs/index.md:5:18: broken link '#our-value': no anchor '#our-value' on this page "
            "(did you mean '#our-values'?)"
        ],
    ),
    (
        "anchor with letter case differing",
        {"index.md": "[f](fit/focus.md#Core-and-periphery)", "fit/focus.md": FOCUS},
        [
            "docs/index.md:1:5: broken link 'fit/focus.md#Core-and-periphery': no anchor "
            "'#Core-and-periphery' on 'fit/focus.md' (did you mean '#core-and-periphery'?)"
        ],
    ),
    (
        "anchors from attr_list and raw HTML ids",
        {
            "index.md": "[a](fit/focus.md#custom) [b](fit/focus.md#raw) [c](fit/focus.md#old)",
            "fit/focus.md": '## Heading {#custom}\n\n<div id="raw"></div>\n\n<a name="old"></a>\n',
        },
        [],
    ),
    ("top of page", {"index.md": "[up](#top) [up](#)"}, []),
    # ------------------------------------------------------------ reference links
    (
        "full reference reported once at its definition",
        {"index.md": "[a][focus] and [b][focus]\n\n[focus]: fit/focs.md\n", "fit/focus.md": ""},
        [
            "docs/index.md:3:10: broken link 'fit/focs.md': no page 'fit/focs.md' "
            "(did you mean 'fit/focus.md'?)"
        ],
    ),
    (
        "collapsed and shortcut references match labels ignoring case",
        {"index.md": '[Focus][] and [FOCUS]\n\n  [focus]: <fit/nope.md> "t"\n'},
        ["docs/index.md:3:13: broken link 'fit/nope.md': no page 'fit/nope.md'"],
    ),
    ("undefined reference is plain text", {"index.md": "A [nothing] and [x][nowhere]."}, []),
    ("unused definition is not a link", {"index.md": "Text.\n\n[unused]: nope.md\n"}, []),
    ("footnote is not a link", {"index.md": "Text[^1].\n\n[^1]: nope.md\n"}, []),
    # ------------------------------------------------------------ autolinks and raw HTML
    ("autolink is external", {"index.md": "<https://example.org/a> <mailto:a@b.example>"}, []),
    (
        "raw HTML href to a page URL and src to a file",
        {
            "index.md": '<a href="fit/focus/#core-and-periphery">f</a> <img src=img/logo.png>',
            "fit/focus.md": FOCUS,
        },
        [],
        ("img/logo.png",),
    ),
    (
        "raw HTML href to a .md file is not rewritten",
        {"fit/saying-no.md": "", "fit/focus.md": "<a href='saying-no.md'>no</a>"},
        [
            "docs/fit/focus.md:1:10: broken link 'saying-no.md': raw HTML links are not "
            "rewritten to page URLs: write the page's URL (did you mean '../saying-no/'?)"
        ],
    ),
    (
        "raw HTML href to the home page's .md file",
        {"index.md": "", "fit/focus.md": '<a href="../index.md">home</a>'},
        [
            "docs/fit/focus.md:1:10: broken link '../index.md': raw HTML links are not "
            "rewritten to page URLs: write the page's URL (did you mean '../../'?)"
        ],
    ),
    (
        "raw HTML block over several lines with an unquoted src",
        {"index.md": "# Home\n\n<figure>\n  <img alt='x'\n       src=img/none.png>\n</figure>\n"},
        [
            "docs/index.md:5:12: broken link 'img/none.png': nothing is published at "
            "'img/none.png' (raw HTML links resolve against the page's URL '', not its file)"
        ],
    ),
    (
        "raw HTML anchor checked on the target page",
        {"index.md": '<a href="fit/focus/#core-and-periphary">f</a>', "fit/focus.md": FOCUS},
        [
            "docs/index.md:1:10: broken link 'fit/focus/#core-and-periphary': no anchor "
            "'#core-and-periphary' on "
            "'fit/focus.md' (did you mean '#core-and-periphery'?)"
        ],
    ),
    # ------------------------------------------------------------ code that looks like links
    (
        "code spans, fences, indented code and comments hold no links",
        {
            "index.md": "`[a](no1.md)` and ``[b](`no2.md`)`` here.\n\n"
            "```\n[c](no3.md)\n```\n\n~~~~\n[d](no4.md)\n~~~~\n\n"
            "    [e](no5.md)\n\n"
            "- item\n\n    ```md\n    [f](no6.md)\n    ```\n\n"
            '!!! note\n    ~~~\n    <a href="no7.md">g</a>\n    ~~~\n\n'
            "<!-- [h](no8.md)\n[i](no9.md) -->\n\n"
            "```decision-tree\nread: [no10.md]\nhelp: '[j](no11.md)'\n```\n"
        },
        [],
    ),
    (
        "a link after code on the same line is still found",
        {"index.md": "`[a](x.md)` then [b](y.md)\n\n- item\n\n    text [c](z.md)\n"},
        [
            "docs/index.md:1:22: broken link 'y.md': no page 'y.md'",
            "docs/index.md:5:14: broken link 'z.md': no page 'z.md'",
        ],
    ),
    # ------------------------------------------------------------ links this site refuses
    (
        "link escaping docs/",
        {"fit/focus.md": "[readme](../../README.md)"},
        [
            "docs/fit/focus.md:1:10: broken link '../../README.md': it points outside docs/, "
            "which is not published"
        ],
    ),
    (
        "absolute link to the site's own page",
        {"index.md": "", "fit/focus.md": FOCUS, "fit/saying-no.md": "[f](/fit/focus/#core)"},
        [
            "docs/fit/saying-no.md:1:5: broken link '/fit/focus/#core': absolute links break on "
            "another host; write a relative link to the .md file (did you mean 'focus.md#core'?)"
        ],
    ),
    (
        "full URL on the site's own host",
        {"index.md": "[f](https://handbook.example/fit/focus/)", "fit/focus.md": FOCUS},
        [
            "docs/index.md:1:5: broken link 'https://handbook.example/fit/focus/': absolute links"
            " break on another host; write a relative link to the .md file "
            "(did you mean 'fit/focus.md'?)"
        ],
    ),
    (
        "javascript URL",
        {"index.md": "[x](javascript:alert(1)) <a href=' JavaScript:void(0)'>y</a>"},
        [
            "docs/index.md:1:5: broken link 'javascript:alert(1)': javascript: URLs are refused; "
            "link to a page or a file",
            "docs/index.md:1:35: broken link ' JavaScript:void(0)': javascript: URLs are refused; "
            "link to a page or a file",
        ],
    ),
    (
        "folder link suggests the page's .md file",
        {"index.md": "", "fit/index.md": "", "fit/focus.md": "[fit](../fit/) [sn](../saying/)"},
        [
            "docs/fit/focus.md:1:7: broken link '../fit/': a link to a folder is left as written "
            "and resolves against the page's URL, not its file: link to the .md file "
            "(did you mean 'index.md'?)",
            "docs/fit/focus.md:1:21: broken link '../saying/': no page 'saying.md' or "
            "'saying/index.md'",
        ],
    ),
    (
        "link to the current folder",
        {"index.md": "[home](./)", "fit/focus.md": "[fit](./) [home](..)"},
        [
            "docs/fit/focus.md:1:7: broken link './': no page 'fit.md' or 'fit/index.md'",
            "docs/fit/focus.md:1:18: broken link '..': a link to a folder is left as written and "
            "resolves against the page's URL, not its file: link to the .md file "
            "(did you mean '../index.md'?)",
            "docs/index.md:1:8: broken link './': a link to a folder is left as written and "
            "resolves against the page's URL, not its file: link to the .md file "
            "(did you mean 'index.md'?)",
        ],
    ),
    (
        "link to the built .html suggests the .md file",
        {"index.md": "[f](fit/focus.html)", "fit/focus.md": ""},
        [
            "docs/index.md:1:5: broken link 'fit/focus.html': no file 'fit/focus.html': link to "
            "the .md file (did you mean 'fit/focus.md'?)"
        ],
    ),
    (
        "URL that cannot be parsed",
        {"index.md": "<a href='http://[::1/'>x</a>"},
        [
            "docs/index.md:1:10: broken link 'http://[::1/': it is not a valid URL; check its "
            "brackets and slashes"
        ],
    ),
    (
        "empty link",
        {"index.md": "[x]()"},
        ["docs/index.md:1:5: broken link '': it has no target; write the .md file it points to"],
    ),
    (
        "external schemes are skipped, never fetched",
        {
            "index.md": "[a](https://x.example/nope) [b](mailto:a@b.example) [c](tel:+1) "
            "[d](//cdn.example/x.js)"
        },
        [],
    ),
]


def _case(row: tuple) -> tuple:
    name, pages, expected, *files = row
    return pytest.param(pages, expected, files[0] if files else (), id=name)


@pytest.mark.parametrize(("pages", "expected", "files"), [_case(row) for row in CASES])
def test_link_messages(pages, expected, files):
    assert messages(pages, files) == expected


# ---------------------------------------------------------------- nav and orphans

NAV_CASES = [
    ("every page in the nav", {"index.md": "", "fit/focus.md": ""}, NAV_CONFIG, []),
    (
        "nav entry naming no page",
        {"index.md": "", "fit/focus.md": ""},
        NAV_CONFIG + "  - Gone: fit/focos.md\n  - Web: https://example.org/\n",
        [
            "mkdocs.yml:5:11: broken link 'fit/focos.md': no page 'fit/focos.md' "
            "(did you mean 'fit/focus.md'?)"
        ],
    ),
    (
        "page reached only through links is no orphan",
        {
            "index.md": "",
            "fit/focus.md": "[more](more.md)",
            "fit/more.md": "[deeper](deep.md)",
            "fit/deep.md": "",
        },
        NAV_CONFIG,
        [],
    ),
    (
        "orphan pages, even when they link to each other",
        {
            "index.md": "",
            "fit/focus.md": "",
            "lost.md": "[b](lost-too.md)",
            "lost-too.md": "[a](lost.md)",
        },
        NAV_CONFIG,
        [
            "docs/lost-too.md:1:1: no page links here and it is not in the nav: add it to `nav` "
            "in mkdocs.yml or link to it from a related page",
            "docs/lost.md:1:1: no page links here and it is not in the nav: add it to `nav` in "
            "mkdocs.yml or link to it from a related page",
        ],
    ),
]


@pytest.mark.parametrize(
    ("pages", "config", "expected"), [pytest.param(p, c, e, id=n) for n, p, c, e in NAV_CASES]
)
def test_nav_and_orphan_messages(pages, config, expected):
    assert messages(pages, config=config) == expected


def test_orphans_counts_raw_html_links_by_url():
    links = [Link("index.md", 1, 1, "fit/focus/", "html")]
    urls = {"index.md": "", "fit/focus.md": "fit/focus/"}
    assert find_orphans(["index.md", "fit/focus.md"], [], links, urls) == []


# ---------------------------------------------------------------- back-links

TREE_PAGE = "fit/take-on.md"
READ = Link(TREE_PAGE, 40, 17, "../service/right-level.md#why", "read")
BACK_LINK_CASES = [
    (
        "read page links back",
        "See [the tree](../fit/take-on.md#take-on-request).",
        [],
    ),
    (
        "read page does not link back",
        "See [focus](../fit/focus.md).",
        [
            "docs/fit/take-on.md:40:17: 'service/right-level.md' does not link back to "
            "'fit/take-on.md', which holds tree 'take-on-request': add a link to it"
        ],
    ),
]


@pytest.mark.parametrize(
    ("read_page_text", "expected"), [pytest.param(t, e, id=n) for n, t, e in BACK_LINK_CASES]
)
def test_back_link_rule(read_page_text, expected):
    pages = {TREE_PAGE: "", "fit/focus.md": "", "service/right-level.md": read_page_text}
    index = build_index({p: url_of(p) for p in pages}, {}, {"service/right-level.md": {"why"}})
    links = [link for page, text in pages.items() for link in collect_links(text, page)]
    rule = BackLinkRule(TREE_PAGE, "take-on-request", READ)
    assert [str(p) for p in check_back_links([rule], [*links, READ], index)] == expected


def test_broken_read_entry_is_reported_once_by_check_links_not_by_the_rule():
    read = Link(TREE_PAGE, 3, 9, "../service/gone.md", "read")
    index = build_index({TREE_PAGE: "fit/take-on/"}, {}, {})
    assert check_back_links([BackLinkRule(TREE_PAGE, "t", read)], [read], index) == []
    assert [str(p) for p in check_links([read], index)] == [
        "docs/fit/take-on.md:3:9: broken link '../service/gone.md': no page 'service/gone.md'"
    ]


def test_problems_are_sorted_by_file_line_and_column():
    pages = {"b.md": "[x](x.md)\n[y](y.md)", "a.md": "[z](z.md) [w](w.md)"}
    assert [m.split(": ")[0] for m in messages(pages)] == [
        "docs/a.md:1:5",
        "docs/a.md:1:15",
        "docs/b.md:1:5",
        "docs/b.md:2:5",
    ]


TARGET_BITS = st.lists(
    st.sampled_from(
        [
            "..",
            "/",
            "fit",
            "focus",
            ".md",
            "#",
            "core",
            "?",
            "%2",
            "%20",
            "http:",
            "//",
            "[",
            ":",
            "\\",
            " ",
            "index",
            "javascript:",
            "mailto:",
            "img",
            ".png",
            ".html",
            ".",
        ]
    ),
    max_size=10,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(TARGET_BITS, st.sampled_from(["inline", "html", "nav", "read"]))
def test_any_target_gives_problems_not_exceptions(target, kind):
    source = "mkdocs.yml" if kind == "nav" else "fit/focus.md"
    link = Link(source, 1, 1, target, kind)
    index = build_index(
        {"index.md": "", "fit/focus.md": "fit/focus/"}, {"img/a.png": "img/a.png"}, {}
    )
    for problem in check_links([link], index, "http://127.0.0.1:8000/"):
        assert str(problem).startswith(("docs/fit/focus.md:1:1: broken link", "mkdocs.yml:1:1:"))
    orphans = find_orphans(["index.md", "fit/focus.md"], [], [link])
    assert [problem.path for problem in orphans] == ["docs/fit/focus.md"]


# The tag pattern as first written: an atomic group per attribute, greedy quantifiers.
_ATOMIC_START_TAG = (
    r"<[a-zA-Z][a-zA-Z0-9:-]*"
    r"((?>\s+[^\s\"'<>=/]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*)"
    r"\s*/?>"
)
_TAG_PIECES = [*"<>/=\"'` \t\n-:a1xZ!", "<a", "<div", " id", '="', "<!--", "-->", " name='"]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(_TAG_PIECES), max_size=30).map("".join))
def test_the_possessive_tag_pattern_matches_what_the_atomic_one_does(text):
    possessive, atomic = re.compile(START_TAG), re.compile(_ATOMIC_START_TAG)
    for at in range(len(text)):
        mine, theirs = possessive.match(text, at), atomic.match(text, at)
        assert (mine and (mine.span(), mine.groups())) == (
            theirs and (theirs.span(), theirs.groups())
        )
    assert anchors_in(text) == _anchors_atomic(text)


def _anchors_atomic(text: str) -> set[str]:
    found = set()
    for attributes in re.findall(rf"<!--(?:.*?-->|.*)|{_ATOMIC_START_TAG}", text, re.S):
        for double, single, bare in _ID_ATTRIBUTE.findall(attributes):
            found.add(html.unescape(double or single or bare))
    return found
