"""Raw HTML in a page that would run code or load something from another host.

The built site blocks all of it anyway (its Content-Security-Policy allows the theme's own
scripts only, and nothing from another host), so such HTML would only leave a silently broken
page; worse, a resource from another host tells that host who reads the handbook. This check
names each case at file:line:col with what to do instead:

- `<script>`, and `on…=` event attributes such as `onmouseover`, run code;
- `<iframe>`, `<frame>`, `<object>` and `<embed>` embed something from outside the page;
- `<img>`, `<video>`, `<audio>`, `<source>`, `<track>`, `<link>`, SVG `<image>`, and Markdown
  images, when they load from another host;
- `<style>` elements and `style` attributes, which the policy ignores;
- `<form action>` and `formaction` pointing at another host, where the policy stops the form
  from sending, and `<meta http-equiv="refresh">`, which moves the reader on unasked (to
  another host, too, for all the policy can do).

Ordinary links to other sites stay allowed, and `javascript:` URLs are refused by the link
checker (hooks/links/check.py), so neither is reported here. The page is read as link
collection reads it (`mask_code`): HTML shown in a code block or in backticks is only text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple
from urllib.parse import urlsplit

from links.collect import collect_links, mask_code
from links.index import START_TAG
from links.model import Link
from markdown_blocks import Blocks
from problems import Problem, page_path

_TAG = re.compile(START_TAG)
_ATTRIBUTE = re.compile(r"""\s+([^\s"'<>=/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_EVENT = re.compile(r"on[a-z]+", re.I)
_SRCSET_CANDIDATE = re.compile(r"[^\s,][^\s]*")

_BLOCKED = "which the handbook's security policy blocks"
_IGNORED = "is ignored by the handbook's security policy"
_TELLS = "which tells that host who reads the handbook"
_SHOW = "to show the HTML itself, put it in backticks or a code block"
_LINK = "[its title](https://...)"
_ASK_STYLE = (
    "ask for the style to be added to the theme (theme_overrides/) if the handbook needs it"
)
_ASK_CLASS = "ask for a class in the theme (theme_overrides/) if the handbook needs one"
_SAVE_RESOURCE = (
    "save the file under docs/ and point to it with a relative path, or link to it instead"
)
_SAVE_IMAGE = "save the file under docs/ and write a relative path to it, or link to it instead"
# What an embedding element does, said in the message about it.
_EMBEDS = {
    "iframe": "shows another page inside this one",
    "frame": "shows another page inside this one",
    "object": "embeds content from outside the page",
    "embed": "embeds content from outside the page",
}
# Attributes that send a form, by element.
_SENDS = {"form": "action", "button": "formaction", "input": "formaction"}
_REFRESH = re.compile(r"\s*refresh\s*", re.I)
# Attributes that load a resource, by element; `*` is every element.
_LOADS = {
    "*": {"src", "srcset", "poster", "background"},
    "link": {"href"},
    "image": {"href", "xlink:href"},
    "use": {"href", "xlink:href"},
}
_IMAGE_REFERENCE = re.compile(
    r"(?<!\\)!\[((?:[^\[\]\\]|\\.)*)\](?!\()(?:\[((?:[^\[\]\\]|\\.)*)\])?"
)
_DEFINITION_LABEL = re.compile(r"\[((?:[^\[\]\\\n]|\\.)+)\]:")


class Attribute(NamedTuple):
    """One attribute of a start tag: its name and value ('' for none), and where each starts."""

    name: str  # as typed
    value: str
    at: int  # the name's first character in the page
    offset: int  # the value's first character (the name's when it has no value)


def find_unsafe_html(
    markdown: str,
    source: str,
    line_offset: int = 0,
    site_url: str = "",
    blocks: Blocks | None = None,
) -> list[Problem]:
    """Every piece of raw HTML or Markdown image in a page that runs code or calls out.

    `source` is the page's path under docs/; `line_offset` counts the front-matter lines
    MkDocs removed above `markdown`; a URL on `site_url`'s host is not another host.
    `blocks` is the scan of the page padded with those lines, when the caller has one.
    """
    page = "\n" * line_offset + markdown
    # Everything reported is a start tag (it needs a "<") or a Markdown image (a "!["), and
    # masking code only blanks characters: a page with neither has nothing to report.
    if "<" not in page and "![" not in page:
        return []
    text = mask_code(page, blocks)  # shared with link collection when `blocks` is given
    own_host = urlsplit(site_url).netloc.lower()
    found: list[tuple[int, str]] = []
    for tag in _TAG.finditer(text):
        name = text[tag.start() + 1 : tag.start(1)].lower()
        found.extend(_tag_problems(name, tag.start(), _attributes(tag), own_host))
    if "![" in text:  # most pages show no image at all: no need to read their links
        found.extend(_image_problems(page, text, source, own_host, blocks))
    problems = []
    for offset, message in sorted(found):
        line, col = _place(text, offset)
        problems.append(Problem(page_path(source), line, col, message))
    return problems


def _attributes(tag: re.Match[str]) -> Iterator[Attribute]:
    """The attributes of a start tag matched by `START_TAG`, in order."""
    for match in _ATTRIBUTE.finditer(tag.group(1)):
        group = next((g for g in (2, 3, 4) if match.group(g) is not None), 1)
        value = match.group(group) if group != 1 else ""
        yield Attribute(
            match.group(1),
            value,
            tag.start(1) + match.start(1),
            tag.start(1) + match.start(group),
        )


def _tag_problems(
    name: str, at: int, attributes: Iterator[Attribute], own_host: str
) -> Iterator[tuple[int, str]]:
    """(offset, message) for what one start tag does that the site's policy blocks."""
    if name == "script":
        yield at, f"<script> runs code in the reader's browser, {_BLOCKED}: remove it; {_SHOW}"
    elif name in _EMBEDS:
        yield at, f"<{name}> {_EMBEDS[name]}, {_BLOCKED}: link to it instead, like {_LINK}"
    elif name == "style":
        yield at, f"<style> in a page {_IGNORED}: remove it, and {_ASK_STYLE}"
    loads = _LOADS["*"] | _LOADS.get(name, set())
    sends = _SENDS.get(name)
    for attribute in attributes:
        key = attribute.name.lower()
        if name == "meta" and key == "http-equiv" and _REFRESH.fullmatch(attribute.value):
            moves = '<meta http-equiv="refresh"> moves the reader to another page without asking'
            yield at, f"{moves}: remove it, and link to the page instead, like {_LINK}"
        if _EVENT.fullmatch(key):
            runs = f"runs code in the reader's browser, {_BLOCKED}"
            yield attribute.at, f"'{attribute.name}' {runs}: remove the attribute; {_SHOW}"
        elif key == "style" and attribute.value.strip():
            yield attribute.at, f"a style attribute {_IGNORED}: remove it, and {_ASK_CLASS}"
        elif key == sends:
            for offset, url, host in _outside_urls(attribute, own_host):
                sent = f'<{name} {key}="{url}"> would send what the reader types to another host'
                yield offset, f"{sent} ({host}), {_BLOCKED}: link to the form instead, like {_LINK}"
        elif key in loads and name not in ("script", *_EMBEDS):
            for offset, url, host in _outside_urls(attribute, own_host):
                loaded = f'<{name} {key}="{url}"> loads from another host ({host})'
                yield offset, f"{loaded}, {_TELLS} and {_BLOCKED}: {_SAVE_RESOURCE}"


def _outside_urls(attribute: Attribute, own_host: str) -> Iterator[tuple[int, str, str]]:
    """(offset, URL, host) of each URL in an attribute that names another host."""
    if attribute.name == "srcset":
        candidates = [(m.start(), m.group()) for m in _SRCSET_CANDIDATE.finditer(attribute.value)]
        # A candidate is "url [descriptor]"; only what follows a comma starts a new URL.
        urls, expect_url = [], True
        for start, word in candidates:
            if expect_url:
                urls.append((start, word.rstrip(",")))
            expect_url = word.endswith(",")
    else:
        stripped = attribute.value.lstrip()
        urls = [(len(attribute.value) - len(stripped), stripped.rstrip())]
    for start, url in urls:
        host = _other_host(url, own_host)
        if host:
            yield attribute.offset + start, url, host


def _other_host(url: str, own_host: str) -> str:
    """The host a URL loads from when it is not this site's own, else ''."""
    try:
        host = urlsplit(url).netloc
    except ValueError:
        return ""  # the link checker reports a URL that does not parse
    return host if host and host.lower() != own_host else ""


def _image_problems(
    page: str, text: str, source: str, own_host: str, blocks: Blocks | None
) -> Iterator[tuple[int, str]]:
    """Markdown images, inline or by reference, whose file is on another host."""
    external = {}
    for link in collect_links(page, source, blocks):
        host = _other_host(link.target, own_host)
        if host and link.kind in ("image", "reference"):
            external[(link.line, link.col)] = (link, host)
    if not external:
        return
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    image_labels = {
        _label(match.group(2) if match.group(2) and match.group(2).strip() else match.group(1))
        for match in _IMAGE_REFERENCE.finditer(text)
    }
    for link, host in external.values():
        offset = starts[link.line - 1] + link.col - 1
        if link.kind == "reference" and _defined_label(text, starts, link) not in image_labels:
            continue  # a reference used only by links: an ordinary link to another site
        loaded = f"the image '{link.target}' loads from another host ({host})"
        yield offset, f"{loaded}, {_TELLS} and {_BLOCKED}: {_SAVE_IMAGE}"


def _defined_label(text: str, starts: list[int], link: Link) -> str:
    """The label of the reference definition whose target `link` is."""
    # The target stands on the definition's line or, after a line break, on the next one.
    end = starts[link.line - 1] + link.col - 1
    begin = starts[max(link.line - 2, 0)]
    labels = list(_DEFINITION_LABEL.finditer(text, begin, end))
    return _label(labels[-1].group(1)) if labels else ""


def _label(text: str) -> str:
    """A reference label as Markdown matches it: case-insensitive, runs of spaces as one."""
    return " ".join(text.split()).casefold()


def _place(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of an offset; problems are few, so no index is built."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1
