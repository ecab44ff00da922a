"""What every built page carries to stay internal: a Content-Security-Policy and robots rules.

The policy is a `<meta http-equiv>` at the top of `<head>` (GitHub Pages cannot send headers):
scripts and styles from the site itself, plus the theme's own inline scripts and styles by
their SHA-256 hash; nothing from another host, no frames, no objects. The hashes are taken
from the page as the theme wrote it, leaving out the page's content and anything a writer
typed, so a script that reached a page's content is not on the list and does not run.

Under `mkdocs serve` MkDocs adds an inline live-reload script whose text changes with every
request, so no hash can name it: while serving, inline scripts are allowed instead of listed.
The built site never carries that exception.

Unless the handbook is declared public, every page also says `noindex, nofollow` and the site
ships a robots.txt that disallows everything. Nothing here touches MkDocs.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

# Raw text elements: their text runs to the first closing tag, whatever it contains, as
# `<script\b([^>]*)>(.*?)</script\s*>` reads them, here in three steps: where either can
# start, its start tag, its closing tag. HTML reads tag names in ASCII letters of any case:
# hence character classes, not re.I, which also takes the long s (U+017F) for an "s".
_OPENING = re.compile(r"<[sS](?:([cC][rR][iI][pP][tT])|[tT][yY][lL][eE])\b")
_START_TAGS = (
    re.compile(r"<[sS][cC][rR][iI][pP][tT]\b([^>]*)>"),
    re.compile(r"<[sS][tT][yY][lL][eE]\b([^>]*)>"),
)
_END_TAGS = (
    re.compile(r"</[sS][cC][rR][iI][pP][tT]\s*>"),
    re.compile(r"</[sS][tT][yY][lL][eE]\s*>"),
)
_SRC = re.compile(r"(?<![^\s])src\s*=", re.I)
_TYPE = re.compile(r"""(?<![^\s])type\s*=\s*["']?([^"'\s>]*)""", re.I)
_JAVASCRIPT_TYPES = {"", "module", "text/javascript", "application/javascript"}
_CHARSET = re.compile(r"<meta\s+charset=[^>]*>", re.I)
_HEAD = re.compile(r"<head\b[^>]*>", re.I)
_MAIN = re.compile(r"<main\b.*</main\s*>", re.I | re.S)

ROBOTS_TXT = "User-agent: *\nDisallow: /\n"
PUBLIC_KEY = "handbook_public"  # under `extra:` in mkdocs.yml

# Everything but scripts and styles, which carry the hashes of one page.
_FIXED = {
    "default-src": "'self'",
    "img-src": "'self' data:",  # Material draws its icons as data: SVG in its stylesheets
    "font-src": "'self'",
    "connect-src": "'self'",  # search index, instant navigation, live reload
    "worker-src": "'self'",  # search runs in a worker from the site's own files
    "frame-src": "'none'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}


def public_setting(extra: dict) -> bool:
    """Whether mkdocs.yml declares the handbook public: `extra: handbook_public: true`."""
    value = extra.get(PUBLIC_KEY, False)
    if isinstance(value, bool):
        return value
    raise ValueError(
        f"extra.{PUBLIC_KEY}: expected true or false but received: {value!r}; leave it out "
        "(or false) for an internal handbook"
    )


@dataclass(frozen=True)
class SitePolicy:
    """What one build puts in every page: set up once, then applied page by page."""

    serving: bool = False  # under `mkdocs serve`, whose live-reload script has no fixed hash
    public: bool = False
    config_text: str = ""  # mkdocs.yml, whose titles and copyright reach every page

    def apply(self, html: str, content: str = "", page_source: str = "") -> str:
        """A page (or a theme-only page such as 404.html) with its policy in `<head>`."""
        written = (page_source, self.config_text)
        return protect_page(html, content, written, self.serving, self.public)


@functools.lru_cache(maxsize=256)  # the theme writes the same few scripts on every page
def source_hash(text: str) -> str:
    """A CSP source naming an inline script or style by its text's SHA-256."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(
    scripts: Iterable[str], styles: Iterable[str], serving: bool = False
) -> str:
    """The policy for a page whose theme writes these inline scripts and styles."""
    script_src = ["'self'"]
    if serving:
        script_src.append("'unsafe-inline'")  # MkDocs' live reload; the built site never has it
    else:
        script_src.extend(sorted({source_hash(script) for script in scripts}))
    style_src = ["'self'", *sorted({source_hash(style) for style in styles})]
    return _compose(" ".join(script_src), " ".join(style_src))


def header_policy() -> str:
    """The same policy as an HTTP header, for a web server in front of the built site.

    A header cannot list the theme's hashes (they differ with each page's depth and each
    Material release), so it allows inline scripts and styles and leaves narrowing them to
    the page's own `<meta>` policy: a browser enforces both, and code must pass both. It adds
    `frame-ancestors`, which only a header can set: no other site may frame the handbook.
    """
    inline = "'self' 'unsafe-inline'"
    return _compose(inline, inline, {"frame-ancestors": "'self'"})


def _compose(script_src: str, style_src: str, more: dict[str, str] | None = None) -> str:
    """A policy's text: default-src first, then scripts and styles, then the fixed rest."""
    directives = {
        "default-src": _FIXED["default-src"],
        "script-src": script_src,
        "style-src": style_src,
        **{key: value for key, value in _FIXED.items() if key != "default-src"},
        **(more or {}),
    }
    return "; ".join(f"{key} {value}" for key, value in directives.items())


def theme_inline_code(
    html: str, content: str, written: Iterable[str] = ()
) -> tuple[list[str], list[str]]:
    """The inline scripts and styles of a page that its theme wrote, not its writers.

    Left out: everything inside each copy of the page's rendered `content` (when the content
    is not found as it is, everything inside `<main>`), and any script or style whose text
    appears in one of the `written` sources (the page's file, mkdocs.yml), which a title or
    the copyright line could carry outside the content.
    """
    excluded = _spans_of(html, content)
    sources = [text for text in written if text]

    def theirs(start: int, body: str) -> bool:
        # Not inside the content, and not typed in a source (an empty text never counts as
        # typed): tested in that order, each only as far as it must go, in plain loops.
        for begin, end in excluded:
            if begin <= start < end:
                return False
        text = body.strip()
        if text:
            for source in sources:
                if text in source:
                    return False
        return True

    found_scripts, found_styles = _elements(html)
    scripts = [
        body
        for start, attributes, body in found_scripts
        if _is_inline_javascript(attributes) and theirs(start, body)  # the cheaper test first
    ]
    styles = [body for start, _, body in found_styles if theirs(start, body)]
    return scripts, styles


def _elements(html: str) -> tuple[list[tuple[int, str, str]], list[tuple[int, str, str]]]:
    r"""Each script and each style of a page: where it starts, its attributes and its text.

    These are exactly the matches of `<script\b([^>]*)>(.*?)</script\s*>` (and of the same
    for style; tag names in ASCII letters of any case) that `finditer` gives, found faster. A
    page has a thousand tags and a handful of scripts and styles: one search for where either
    can start replaces two searches at every tag. At each such place the start tag is matched
    (`[^>]*>` can end only at the first '>'), then the text runs to the first closing tag
    after it, which is where the lazy `(.*?)` stops, found by a search for the closing tag
    instead of a test at each character; and, as `finditer` does, the next script (or style)
    is looked for only after the end of the last one.
    """
    found: tuple[list[tuple[int, str, str]], list[tuple[int, str, str]]] = ([], [])
    after = [0, 0]  # where the search for each kind goes on from
    for opening in _OPENING.finditer(html):
        kind = 0 if opening.group(1) is not None else 1
        at = opening.start()
        if at < after[kind]:
            continue
        tag = _START_TAGS[kind].match(html, at)
        end = _END_TAGS[kind].search(html, tag.end()) if tag is not None else None
        if tag is not None and end is not None:
            found[kind].append((at, tag.group(1), html[tag.end() : end.start()]))
            after[kind] = end.end()
    return found


def protect_page(
    html: str,
    content: str,
    written: Iterable[str] = (),
    serving: bool = False,
    public: bool = False,
) -> str:
    """The page with its policy, referrer rule and (unless public) robots rule in `<head>`.

    They go right after `<meta charset>`, before anything a policy must cover: a policy in a
    `<meta>` applies only to what follows it.
    """
    scripts, styles = theme_inline_code(html, content, written)
    policy = content_security_policy(scripts, styles, serving)
    tags = [
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
        '<meta name="referrer" content="same-origin">',
    ]
    if not public:
        tags.append('<meta name="robots" content="noindex, nofollow">')
    anchor = _CHARSET.search(html) or _HEAD.search(html)
    at = anchor.end() if anchor else 0
    return html[:at] + "\n    " + "\n    ".join(tags) + html[at:]


def _spans_of(html: str, content: str) -> list[tuple[int, int]]:
    """Where the page's content stands in the whole page, every time it does."""
    if not content.strip():
        return []
    spans = []
    start = html.find(content)
    while start >= 0:
        spans.append((start, start + len(content)))
        start = html.find(content, start + len(content))
    if spans:
        return spans
    main = _MAIN.search(html)  # content that changed after rendering: trust nothing in <main>
    return [main.span()] if main else [(0, len(html))]


def _is_inline_javascript(attributes: str) -> bool:
    """Whether a `<script>` with these attributes runs its own text (not `src`, not JSON)."""
    if _SRC.search(attributes):
        return False
    kind = _TYPE.search(attributes)
    return kind is None or kind.group(1).lower() in _JAVASCRIPT_TYPES
