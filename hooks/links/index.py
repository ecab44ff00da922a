"""What exists on the site: pages, static files, each page's URL and the anchors it defines.

Anchors come from a page's *rendered* HTML, so whatever made an id (the toc extension's slug
of a heading, an attr_list `{#id}`, raw HTML, a decision tree's node sections) counts, and
nothing is slugified twice by a second, subtly different function.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote

# One pass over the HTML finds comments (skipped) and start tags; a second, small pattern reads
# `id`/`name` inside each tag. This is safe enough without an HTML parser because the input is
# what Python-Markdown wrote: text and code have their `<` escaped to `&lt;`, so an `id="x"`
# written in prose or in a code sample never sits inside a `<...>` tag, and quoted attribute
# values are matched whole, so a `>` inside one does not end the tag early.
#
# Every quantifier over the attributes is possessive (never gives back what it took) and their
# parts cannot overlap (an unquoted value never starts with a quote), so a tag that never closes
# costs linear time, not exponential backtracking. Giving back could never make a match either:
# a name runs to a space, '=', '/' or '>', a value to its end, and what may follow the last
# attribute (spaces, '/', '>') cannot start inside one; so these match exactly what the same
# pattern with an atomic group per attribute and greedy quantifiers matches, with less work
# for the regular expression engine at every attribute.
START_TAG = (
    r"<[a-zA-Z][a-zA-Z0-9:-]*"
    r"((?:\s++[^\s\"'<>=/]++(?:\s*+=\s*+(?:\"[^\"]*+\"|'[^']*+'|[^\s\"'=<>`]++))?+)*+)"
    r"\s*/?>"
)
# An unclosed comment runs to the end, as in a browser, so it is scanned once, not once per `<!--`.
_TAG_OR_COMMENT = re.compile(rf"<!--(?:.*?-->|.*)|{START_TAG}", re.S)
# `id` or `name` after whitespace, in the attributes of a tag (which open with whitespace, as
# the tag's pattern reads `\s+` before each). Taking that whitespace into the match finds what
# a look-behind for it would, faster: no match ends in whitespace, so none takes the one the
# next match starts with.
_ID_ATTRIBUTE = re.compile(r"""\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>]+))""")


def anchors_in(page_html: str) -> set[str]:
    """Every `id` and `name` attribute value in a page's rendered HTML, entities decoded."""
    anchors: set[str] = set()
    # `findall` gives each match's attributes ("" for a comment) as strings made in C: no
    # match object and no call to read its group for each of the page's thousand tags.
    for attributes in _TAG_OR_COMMENT.findall(page_html):
        if "id" not in attributes and "name" not in attributes:
            continue
        for double, single, bare in _ID_ATTRIBUTE.findall(attributes):
            value = double or single or bare  # the one that matched, or "" for id=""
            anchors.add(html.unescape(value))
    return anchors


def normal_url(url: str) -> str:
    """A site URL, path or anchor in the one form the index compares: percent-decoded."""
    return unquote(url) if "%" in url else url


@dataclass
class SiteIndex:
    """Everything a link may point to, built once per build after every page is rendered.

    Paths are posix paths under docs/ ("fit/focus.md"); URLs are relative to the site root
    as MkDocs writes them ("fit/focus/", "" for the home page).
    """

    pages: dict[str, str]  # page path -> its URL
    files: dict[str, str]  # static file path (images, PDFs, theme assets) -> its URL
    anchors: Mapping[str, Collection[str]]  # page path -> ids it defines
    # Derived lookups, filled in once by __post_init__ so checking each link costs O(1).
    by_url: dict[str, str] = field(init=False, repr=False)
    pages_by_lower: dict[str, str] = field(init=False, repr=False)
    files_by_lower: dict[str, str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # One form for every URL: percent-decoded. MkDocs writes "caf%C3%A9/" for café.md; a
        # link may spell it either way, and links are decoded before they are looked up.
        self.by_url = {}
        for path, url in self.files.items():
            self.by_url[normal_url(url)] = path
        for path, url in self.pages.items():
            self.by_url[normal_url(url)] = path
            self.by_url[normal_url(url).rstrip("/")] = path  # a server redirects "x" to "x/"
        self.pages_by_lower = {path.lower(): path for path in self.pages}
        self.files_by_lower = {path.lower(): path for path in self.files}

    def page_at(self, url: str) -> str | None:
        """The page or file served at a site-relative URL, or None."""
        url = normal_url(url.split("#", 1)[0])
        if url.endswith("index.html"):
            url = url[: -len("index.html")]
        return self.by_url.get(url) or self.by_url.get(url.rstrip("/"))


def build_index(
    pages: Mapping[str, str],
    files: Mapping[str, str],
    anchors: Mapping[str, Iterable[str]],
) -> SiteIndex:
    """A `SiteIndex` from page paths and URLs, static files and URLs, and anchors per page."""
    return SiteIndex(
        pages=dict(pages),
        files=dict(files),
        anchors={page: set(ids) for page, ids in anchors.items()},
    )
