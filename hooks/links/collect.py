"""Find every link a writer typed in a Markdown page or in the nav, with its line and column.

`collect_links` works in two linear steps over one page:

1. `mask_code` blanks out everything that is code or a comment with spaces, keeping every
   newline, so an offset in the masked text is the same offset in the page. What is a fence,
   an indented code block or a comment is decided by the shared block scanner
   (`markdown_blocks`), exactly as Python-Markdown decides it; code spans of any backtick
   count are blanked here. Decision-tree fences are fenced code too: their links are handed
   in by the tree code, already mapped to file positions.
2. A few regular expressions find link targets in what is left: inline links and images,
   reference definitions (and the uses that make them links), autolinks, and `href`/`src`
   attributes in raw HTML.

A reference-style link (`[text][id]`, `[id][]`, `[id]`) is reported at its *definition*
(`[id]: target`): that is where the target is typed and where a writer fixes it, and a
definition used ten times gives one message, not ten. A use without a definition is plain
text, not a link; a definition nobody uses is never rendered, so it is not a link either.

Markdown written inside a raw HTML block without `markdown` is left as text by Python-Markdown
but still read as a link here: a writer who puts a link there meant one, and a target that
exists costs nothing.

`collect_nav_links` reads the `nav:` of mkdocs.yml through the YAML composer, whose nodes
carry their marks, so each nav entry is reported where it is written.
"""

from __future__ import annotations

import bisect
import re

import yaml

from links.index import START_TAG
from links.model import Link, LinkKind
from markdown_blocks import Blocks, blank, scan

# ---------------------------------------------------------------- masking code and comments

# A run of backticks not preceded by a backslash, or a comment's opening. The lookbehind
# stands after the first backtick, so both branches start with a literal character and the
# regex engine skips ahead to the next "`" or "<" instead of trying every position.
_SPAN_OR_COMMENT = re.compile(r"`(?<!\\`)`*|<!--")
_PARAGRAPH_END = re.compile(r"\n[ \t]*\n")


_CLOSING_RUNS: dict[int, re.Pattern[str]] = {}


def _closing_run(run: int) -> re.Pattern[str]:
    """A run of exactly `run` backticks, compiled once per length."""
    if run not in _CLOSING_RUNS:
        _CLOSING_RUNS[run] = re.compile(rf"(?<!`)`{{{run}}}(?!`)")
    return _CLOSING_RUNS[run]


def _mask_inline(text: str) -> str:
    """Blank code spans and HTML comments, scanning left to right so each hides the other.

    A code span closes at the next run of exactly as many backticks within the same paragraph;
    an opening run with no such partner is literal text, as in CommonMark.
    """
    if "`" not in text and "<!--" not in text:
        return text
    pieces: list[str] = []
    done = 0
    pos = 0
    while match := _SPAN_OR_COMMENT.search(text, pos):
        start = match.start()
        if match.group() == "<!--":
            end = text.find("-->", match.end())
            end = len(text) if end < 0 else end + 3
        else:
            run = len(match.group())
            paragraph = _PARAGRAPH_END.search(text, match.end())
            limit = paragraph.start() if paragraph else len(text)
            closing = _closing_run(run).search(text, match.end(), limit)
            if closing is None:
                pos = match.end()
                continue
            end = closing.end()
        pieces.append(text[done:start])
        pieces.append(blank(text[start:end]))
        done = pos = end
    pieces.append(text[done:])
    return "".join(pieces)


def mask_code(markdown: str, blocks: Blocks | None = None) -> str:
    """The page with code and HTML comments blanked out; same length, same line breaks.

    `blocks` is the page's scan by `markdown_blocks`, when the caller already has it; the
    masked text is then made once for every check of the page that asks for it.
    """
    if blocks is None:
        return _mask_inline(scan(markdown).mask())
    return blocks.memo(mask_code, lambda: _mask_inline(blocks.mask()))


# ---------------------------------------------------------------- finding links

_BRACKET = re.compile(r"\\.|!\[|\[|\]", re.S)  # each branch starts with a literal: see above
_DESTINATION = re.compile(
    r"""\(\s*(?:<([^<>\n]*)>|((?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))*))"""
    r"""(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)""",
    re.S,
)
_PLAIN_DESTINATION = re.compile(r"\(([^\s()\\<>]*)\)")
_REFERENCE_USE = re.compile(r"\[((?:[^\[\]\\]|\\.)*)\]")
_DEFINITION = re.compile(
    r"^[ \t]*\[((?:[^\[\]\\\n]|\\.)+)\]:[ \t]*\n?[ \t]*(?:<([^<>\n]*)>|(\S+))", re.M
)
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^\s<>]*|mailto:[^\s<>]+)>", re.I)
_TAG = re.compile(START_TAG)
_URL_ATTRIBUTE = re.compile(
    r"""(?<![^\s])(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I
)


# CommonMark caps a link label at 999 characters; the cap also keeps deeply nested brackets
# from costing a slice of the page each.
_LONGEST_LABEL = 999


def _label(text: str) -> str:
    """A reference label as Markdown matches it: case-insensitive, runs of spaces as one."""
    return " ".join(text.split()).casefold()


def collect_links(markdown: str, source: str, blocks: Blocks | None = None) -> list[Link]:
    """Every link target in a page, in the order it appears, with its 1-based line and column.

    `source` is the page's path under docs/ ("fit/saying-no.md"); positions are those of the
    target's first character in `markdown`. `blocks` is the page's scan, when the caller has it;
    the links are then collected once for every check of the page that asks for them.
    """
    # Every kind of link needs a "[" (inline, image, reference) or a "<" (autolink, raw HTML)
    # and masking only blanks characters, so a text with neither holds no link.
    page = markdown if blocks is None else blocks.text  # what the links are read from
    if "[" not in page and "<" not in page:
        return []
    if blocks is None:
        return _collect(markdown, source, None)
    return list(blocks.memo((collect_links, source), lambda: _collect(markdown, source, blocks)))


def _collect(markdown: str, source: str, blocks: Blocks | None) -> list[Link]:
    text = mask_code(markdown, blocks)
    found: list[tuple[int, str, LinkKind]] = []

    definitions: dict[str, tuple[int, str]] = {}
    definition_spans: list[tuple[int, int]] = []
    # A definition needs "]:"; most pages have none, and the regex tries every line start.
    for match in _DEFINITION.finditer(text) if "]:" in text else ():
        label = _label(match.group(1))
        if label.startswith("^"):  # a footnote, not a link
            continue
        group = 2 if match.group(2) is not None else 3
        definitions.setdefault(label, (match.start(group), match.group(group)))
        definition_spans.append((match.start(), match.end()))
    used: set[str] = set()

    # Brackets are paired with a stack in one pass, so nested images inside links and
    # escaped brackets are told apart without scanning back from each `]`.
    openers: list[tuple[int, bool]] = []
    span_starts = [start for start, _ in definition_spans]
    for start, close, token in _brackets(text):
        if token.startswith("\\"):
            continue
        if token != "]":
            openers.append((close, token == "!["))
            continue
        if not openers:
            continue
        inner_start, is_image = openers.pop()
        if definition_spans and _inside(definition_spans, span_starts, start):
            continue
        kind: LinkKind = "image" if is_image else "inline"
        # A destination of plain URL characters only, as most are, is read by a simpler
        # pattern with the same target: `_DESTINATION`, being greedy, takes the same
        # characters and the closing parenthesis.
        if plain := _PLAIN_DESTINATION.match(text, close):
            found.append((plain.start(1), plain.group(1), kind))
            continue
        destination = _DESTINATION.match(text, close)
        if destination:
            group = 1 if destination.group(1) is not None else 2
            found.append((destination.start(group), destination.group(group), kind))
            continue
        if not definitions:
            continue
        use = _REFERENCE_USE.match(text, close)
        label = _label(use.group(1)) if use and use.group(1).strip() else ""
        if not label and start - inner_start <= _LONGEST_LABEL:
            label = _label(text[inner_start:start])
        if label in definitions:
            used.add(label)

    for label in used:
        offset, target = definitions[label]
        found.append((offset, target, "reference"))

    linked = {offset for offset, _, _ in found}
    for match in _AUTOLINK.finditer(text):
        if match.start(1) not in linked:
            found.append((match.start(1), match.group(1), "autolink"))
    for tag in _TAG.finditer(text):
        attributes_start = tag.start(1)
        for attribute in _URL_ATTRIBUTE.finditer(tag.group(1)):
            group = next(g for g in (1, 2, 3) if attribute.group(g) is not None)
            found.append(
                (attributes_start + attribute.start(group), attribute.group(group), "html")
            )

    if not found:
        return []
    found.sort(key=lambda item: item[0])
    links = []
    line, line_start, done = 1, 0, 0  # lines counted up to `done`, in order of offset
    for offset, target, kind in found:
        if newlines := text.count("\n", done, offset):
            line += newlines
            line_start = text.rindex("\n", done, offset) + 1
        done = offset
        links.append(Link(source, line, offset - line_start + 1, target, kind))
    return links


def _brackets(text: str) -> list[tuple[int, int, str]]:
    """Each `\\x`, `![`, `[` and `]` of `text` in order, as `_BRACKET` finds them:
    (start, end, token).

    Without a backslash every `[` is a token, an image's when a `!` stands before it (no
    other token can have taken that `!`), and every `]` is one, so they are found with
    `str.find`, many times faster than the regex engine steps through the text.
    """
    if "\\" in text:
        return [(match.start(), match.end(), match.group()) for match in _BRACKET.finditer(text)]
    found = []
    for char in "[]":
        at = text.find(char)
        while at >= 0:
            found.append(at)
            at = text.find(char, at + 1)
    found.sort()
    return [
        (at, at + 1, "]")
        if text[at] == "]"
        else (at - 1, at + 1, "![")
        if at and text[at - 1] == "!"
        else (at, at + 1, "[")
        for at in found
    ]


def _inside(spans: list[tuple[int, int]], starts: list[int], offset: int) -> bool:
    """Whether `offset` falls in one of the sorted, disjoint `spans`."""
    index = bisect.bisect_right(starts, offset) - 1
    return index >= 0 and spans[index][0] <= offset < spans[index][1]


def line_offset(source: str, markdown: str) -> int:
    """How many lines of `source` precede `markdown`, the part MkDocs kept after front matter.

    MkDocs strips YAML or MultiMarkdown metadata before handing a page's Markdown to hooks,
    so line 1 of what the hook sees may be line 5 of the file the writer edits.
    """
    source = source.replace("\r\n", "\n").replace("\r", "\n")
    if not markdown or not source.endswith(markdown):
        return 0
    return source.count("\n", 0, len(source) - len(markdown))


# ---------------------------------------------------------------- the nav


# LibYAML composes a long nav about forty times faster, with the same lines and columns.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def collect_nav_links(config_text: str) -> list[Link]:
    """The page paths of mkdocs.yml's `nav:`, each with its place; URLs are left out."""
    try:
        root = yaml.compose(config_text, Loader=_LOADER)
    except yaml.YAMLError:
        return []  # MkDocs itself reports a config file that does not parse
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "nav":
            links: list[Link] = []
            _walk_nav(value, links)
            return links
    return []


def _walk_nav(node: yaml.Node, links: list[Link]) -> None:
    """Add the page paths under one nav node: a path, `Title: path`, or a list of either."""
    if isinstance(node, yaml.ScalarNode):
        target = node.value.strip()
        if target and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target):
            quoted = 1 if node.style in ("'", '"') else 0
            line = node.start_mark.line + 1
            col = node.start_mark.column + 1 + quoted
            links.append(Link("mkdocs.yml", line, col, target, "nav"))
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _walk_nav(item, links)
    elif isinstance(node, yaml.MappingNode):
        for _, value in node.value:
            _walk_nav(value, links)
