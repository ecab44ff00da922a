"""Markdown fields of trees (`summary`, `help`, `body`) rendered like the page around them.

Tree HTML is written by the hooks, not by MkDocs' Markdown pass, so MkDocs never sees the links
inside these fields. To give them exactly the URLs a page link gets (directory URLs, anchors,
static files), this uses MkDocs' own relative-path treeprocessor. It is private API, pinned with
MkDocs 1.6.1 in pyproject.toml; writing a second resolver would let the two drift apart.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

import markdown
from markdown.extensions.abbr import AbbrExtension
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page, _RelativePathTreeprocessor

from links.index import normal_url
from markdown_blocks import scan
from trees.model import MarkdownText, ReadLink


class FieldRenderer:
    """Renders tree fields and `read` links for one build, one Markdown instance reused."""

    def __init__(self, config: MkDocsConfig, files: Files) -> None:
        self._md = markdown.Markdown(
            extensions=config["markdown_extensions"],
            extension_configs=config["mdx_configs"] or {},
        )
        # Tree fields are text a writer types into YAML, shown in the walker too: raw HTML in
        # them is shown as typed, never obeyed, so a field can carry no script or handler.
        self._md.preprocessors.deregister("html_block")
        self._md.inlinePatterns.deregister("html")
        self._paths: _RelativePathTreeprocessor | None = None
        self._config = config
        self._files = files
        self._done: dict[str, str] = {}  # field text -> HTML, for the page in hand
        self._read: dict[str, tuple[str, str]] = {}  # `read` target -> href and text, likewise
        self._plain_ok: re.Pattern[str] | None = None  # see `_plain`; set on first use

    def for_page(self, page: Page) -> FieldRenderer:
        """Point link rewriting at `page` (links in fields are relative to the tree's page)."""
        self._paths = _RelativePathTreeprocessor(page.file, self._files, self._config)
        self._paths._register(self._md)
        self._page = page
        self._done = {}
        self._read = {}
        return self

    def prepare(self, texts: Iterable[MarkdownText]) -> None:
        """Render the Markdown fields of one page in one pass of Python-Markdown.

        Each pass costs far more than the few lines of a field, so the fields of a page go
        through together, each its own block between thematic breaks (`***`, which renders as
        `<hr />` and is read by no inline pattern). A field that could reach past its end (a
        fence left open), that defines something for the whole text (a heading's id, a
        reference, an abbreviation) or whose first block a rule before it could change (see
        `_alone_is_same`) is rendered on its own. A field that renders a rule of its own would
        split wrongly: the count of parts shows it, and then every field goes alone.
        """
        batch = []
        for text in dict.fromkeys(t.text for t in texts if _alone_is_same(t.text)):
            if text in self._done:
                continue
            plain = self._plain(text)
            if plain is not None:
                self._done[text] = plain
            else:
                batch.append(text)
        if len(batch) < 2:
            return
        self._md.reset()
        parts = self._md.convert(f"\n\n{_BREAK}\n\n".join(batch)).split(_BREAK_HTML)
        if len(parts) == len(batch):
            self._done.update(zip(batch, (part.strip("\n") for part in parts), strict=True))

    def markdown(self, text: MarkdownText) -> str:
        """The HTML of one Markdown field."""
        done = self._done.get(text.text)
        if done is None:
            done = self._plain(text.text)
        if done is not None:
            return done
        self._md.reset()
        return self._md.convert(text.text)

    def _plain(self, text: str) -> str | None:
        """The HTML of a field of one line of plain words, or None for any other field.

        Such a line (see `_PLAIN`) is one paragraph that no block processor and no inline
        pattern of Markdown or of the handbook's extensions reads: no character that starts
        emphasis, code, a link, an entity, an escape, raw HTML, an emoji or an attribute list,
        no line start of a heading, list, quote, table or definition, nothing to escape. What
        remains is the abbreviations that the build's Markdown defines for every text (its
        glossary): a line that holds one of them goes through Markdown. A sample text
        rendered by this build's Markdown must come out as such a paragraph, or nothing is
        taken as plain. tests/test_tree_fields.py holds this to Markdown's own output.
        """
        if _PLAIN.fullmatch(text) is None:
            return None
        if self._plain_ok is None:
            self._plain_ok = self._plain_rule()
        line = text.rstrip("\n")
        if self._plain_ok.search(line) is not None:
            return None
        return f"<p>{line}</p>"

    def _plain_rule(self) -> re.Pattern[str]:
        """What makes a plain line go through Markdown after all: this build's abbreviations
        (matched as Markdown's `abbr` matches them), or anything when a sample line does not
        render as a bare paragraph (an extension that adds to every text, say)."""
        self._md.reset()
        if self._md.convert(_PLAIN_SAMPLE) != f"<p>{_PLAIN_SAMPLE}</p>":
            return re.compile("")  # matches every line: nothing is plain
        terms: set[str] = set()
        for extension in self._md.registeredExtensions:
            if isinstance(extension, AbbrExtension):
                terms.update(extension.abbrs)
        if not terms:
            return re.compile("(?!)")  # matches nothing
        # The pattern of markdown.extensions.abbr's treeprocessor, over the same terms.
        longest_first = sorted(terms, key=len, reverse=True)
        return re.compile(f"\\b(?:{'|'.join(re.escape(term) for term in longest_first)})\\b")

    def read_link(self, link: ReadLink) -> tuple[str, str]:
        """The href and the text of a `read` entry: the target page's title, and its section."""
        known = self._read.get(link.target)
        if known is not None:
            return known
        found = self._read_link(link)
        # Outcomes of a tree often read the same page. MkDocs' `path_to_url` gives the same
        # href for the same target on one page, and logs only for a link it leaves as written:
        # a rewritten href is remembered (a link left as is goes through MkDocs every time, so
        # each of its warnings is still logged). Titles do not change while trees are drawn.
        if found[0] != link.target:
            self._read[link.target] = found
        return found

    def _read_link(self, link: ReadLink) -> tuple[str, str]:
        assert self._paths is not None, "call for_page() first"
        href = self._paths.path_to_url(link.target)
        # The same page and section whether the link is percent-encoded or typed as is.
        path, _, anchor = (normal_url(part) for part in link.target.partition("#"))
        if path:
            uri = _RelativePathTreeprocessor._target_uri(self._page.file.src_uri, path)
            target = self._files.get_file_from_path(uri)
        else:
            target = self._page.file
        if target is None or target.page is None:
            return href, link.target  # a broken link: the link checker reports it
        if target is self._page.file and anchor:
            # A section of the tree's own page: a plain in-page link, written the same by every
            # builder (trees.extension), where "./#x" would depend on how each writes URLs.
            href = f"#{anchor}"
        # MkDocs keeps page and heading titles as HTML ("Fish &amp; chips"); the renderer
        # escapes what it is given, so it gets them as text.
        title = html.unescape(target.page.title or link.target)
        section = _toc_title(target.page.toc, anchor) if anchor else None
        section = html.unescape(section) if section else None
        return href, f"{title}: {section}" if section else title


_BREAK = "***"
# A field that is one line of words, digits, spaces and the punctuation below, starting with a
# letter and ending with no space (a block scalar's line breaks after it aside).
_PLAIN = re.compile(r"[A-Za-z](?:[A-Za-z0-9 ,.;?!'\"()%/-]*[A-Za-z0-9,.;?!'\"()%/-])?\n*")
# Every character a plain line may hold, in the runs typographic extensions rewrite (smarty's
# quotes, dashes and ellipses; smartsymbols' (c), (tm), 1/2, +/- and c/o): an extension added to
# mkdocs.yml that changes any of them turns the shortcut off.
_PLAIN_SAMPLE = (
    'Plain words, 2 of them (and more); it\'s "quoted" -- --- ... (c) (r) (tm) 1/2 3/4 1st c/o '
    "50% ?! A/B 'x' - Z"
)
_BREAK_HTML = "<hr />"
# Headings (ids unique per document), reference definitions and abbreviations reach across a
# whole text: fields holding one are rendered alone. So is a field with a line that starts
# with ': ' (after any indent): of the block processors, only def_list's treats a block after
# an element differently from the first block of a text (a line opening with ': ' there
# defines the element's text when that is a paragraph, or starts a list of definitions after
# anything else, where a text's first block is a plain paragraph). Every other processor that
# looks at the element before a block (lists, code, quotes, admonitions, details, tabs) looks
# for its own kind of element, which a rule is not, so it reads the rule as it reads nothing.
_WHOLE_TEXT = re.compile(
    r"^[ \t]{0,3}(?:#|\[[^\]\n]+\]:|\*\[)|^[ \t]*[=-]+[ \t]*$|^[ \t]*:[ \t]", re.M
)


def _alone_is_same(text: str) -> bool:
    """Whether `text` renders the same among other fields as on its own."""
    if _WHOLE_TEXT.search(text):
        return False
    if "```" not in text and "~~~" not in text:
        return True  # every fence opens with three backticks or tildes: this text has none
    return all(fence.closed or fence.shown != "text" for fence in scan(text).fences)


def _toc_title(toc: object, anchor: str) -> str | None:
    stack = list(toc or ())
    while stack:
        item = stack.pop()
        if item.id == anchor:
            return item.title
        stack.extend(item.children)
    return None
