"""Markdown's block structure, read the way the handbook's Python-Markdown reads it.

One scanner decides, for every page, what is a fenced block, what is code and what is hidden
in an HTML comment. Decision trees (`trees.fences`), link collection (`links.collect`), the
external-link command (`links.external`) and any other check that must tell code from text
use it, so they can never disagree about where a fence ends.

API
---

``scan(markdown) -> Blocks``
    Read one page (the Markdown MkDocs hands to hooks, or a whole file). Linear in its length.

``Blocks.fences`` (list of `Fence`, in page order)
    Every line that opens a fence for pymdownx.superfences, with where it ends, its info
    string, the language superfences reads from it, its body as superfences hands it to a
    formatter, and how the page shows it (`Fence.shown`):

    - ``"fence"``: rendered as a fenced block (a tree when its info string is
      ``decision-tree``);
    - ``"code"``: it sits inside an indented code block, which shows it as typed;
    - ``"hidden"``: inside an HTML comment;
    - ``"text"``: superfences refuses it (an info string it cannot read, such as
      ``decision-tree extra``; a fence never closed; a line inside it indented less than
      its opening), so its lines are read as ordinary Markdown.

    Fences written inside another fence are that fence's text and are not listed.

``Blocks.code`` (sorted, disjoint ``(start, end)`` offsets)
    Every span of the page that a reader sees as code or not at all: fences (``"fence"`` and
    ``"code"``), indented code blocks and HTML comments. Inline code spans are not included.

``Blocks.is_code(start, end=None) -> bool``
    Whether the offset `start` (or any offset in ``[start, end)``) lies in such a span: the
    question a check asks before it treats some text as a link, a tag or a tree.

``Blocks.mask() -> str``
    The page with every such span blanked by spaces (newlines kept), so an offset in it is
    the same offset in the page.

How it decides
--------------
It follows the same steps as Python-Markdown with the handbook's extensions:

1. Tabs are expanded to four columns (Python-Markdown's whitespace normalisation).
2. pymdownx.superfences' preprocessor finds fences line by line: a prefix of spaces and
   ``>`` (so fences in blockquotes and list items count), a run of three or more backticks or
   tildes, an info string it accepts; content lines indented at least as far as the opening
   (and, in a blockquote, quoted as deeply); a closing line of *exactly* the opening run.
   This step is a port of `SuperFencesBlockPreprocessor.search_nested`.
3. Each fence then stands as one placeholder line, and the block parser decides where that
   line lands: in a paragraph, list item, blockquote, admonition, collapsible block or
   content tab (a fence), or in an indented code block, where superfences puts the typed
   text back (code). This step is a port of Python-Markdown's block processors (lists,
   indentation, code, headings, rules, blockquotes, paragraphs) and of the admonition,
   pymdownx.details and pymdownx.tabbed processors.

4. HTML comments are read as Python-Markdown reads them: one that opens a line is a raw HTML
   block of its own, running to the next `-->` outside a fence; elsewhere a comment must
   close within its paragraph.

`tests/test_markdown_blocks.py` holds a property test that renders generated pages with the
handbook's own Markdown configuration and compares each fence's verdict with the HTML.

Every page of a build is scanned, so the scanner skips what cannot change a verdict, and
each shortcut says where it stands why it is exact: a page with no fence marker, comment,
tab or four spaces in a row holds no code at all (`_SIGNS_OF_CODE`); only lines holding a
fence marker are tried as openings; a fence at the left margin runs to its first closing
line; the block parser reads only the parts of a page that can hold code
(`_parts_with_code`), and offers each block only to the processors whose test it can pass.

Not modelled: raw HTML blocks other than comments (`<div markdown>` works because its content
is read like the page around it), definition lists and tables. They decide nothing about
fences at the top of a page; an indented block inside one may be judged code or text wrongly,
which only changes whether a link in it is collected. The build never relies on this scanner
alone for trees: superfences hands every ```decision-tree fence it renders to the trees
(`trees.site`), and a disagreement gets a message.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Literal, TypeVar

TAB_LENGTH = 4

Shown = Literal["fence", "code", "hidden", "text"]
T = TypeVar("T")


@dataclass(frozen=True)
class Fence:
    """One line that opens a fence for superfences, and how the page shows what follows."""

    line: int  # 1-based line of the opening fence
    end_line: int  # 1-based line of the closing fence (of the last line read if not closed)
    start: int  # offset of the opening line's first character
    end: int  # offset just after the closing line's last character (its newline excluded)
    prefix: str  # what stands before the marker on the opening line, as typed
    marker: str  # the opening run of backticks or tildes
    info: str  # the info string after the marker, stripped
    lang: str  # the language superfences reads from it ("" for none)
    body: str  # the lines between as typed, the prefix's width taken off, each ending in "\n"
    body_line: int  # 1-based line of the body's first line
    body_col: int  # 1-based column where body text starts on the opening line's indentation
    closed: bool = True
    shown: Shown = "fence"
    why: str = ""  # for "text": why superfences refused it, in words for a writer
    source: str = ""  # the body as superfences hands it to a formatter: tabs expanded


@dataclass
class Blocks:
    """What `scan` found in one page."""

    text: str
    fences: list[Fence] = field(default_factory=list)
    code: list[tuple[int, int]] = field(default_factory=list)
    # What checks derive from the page and share (the masked text, its links), made once.
    _memo: dict[object, object] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._starts = [start for start, _ in self.code]

    def memo(self, key: object, make: Callable[[], T]) -> T:
        """`make()`, called once per page for each `key`: a view of the page that several
        checks share, such as its text with code and code spans blanked."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]  # type: ignore[return-value]

    def is_code(self, start: int, end: int | None = None) -> bool:
        """Whether `start` (or any offset in ``[start, end)``) is code or hidden."""
        index = bisect.bisect_right(self._starts, start) - 1
        if index >= 0 and self.code[index][1] > start:
            return True
        if end is None or end <= start:
            return False
        following = index + 1
        return following < len(self.code) and self.code[following][0] < end

    def mask(self) -> str:
        """The page with code and comments blanked by spaces, newlines kept."""
        if not self.code:
            return self.text
        pieces, done = [], 0
        for start, end in self.code:
            pieces.append(self.text[done:start])
            pieces.append(blank(self.text[start:end]))
            done = end
        pieces.append(self.text[done:])
        return "".join(pieces)


def blank(text: str) -> str:
    """`text` with every character but newlines turned into a space."""
    if "\n" not in text:
        return " " * len(text)
    return "\n".join(" " * len(line) for line in text.split("\n"))


# ---------------------------------------------------------------- step 2: superfences

# pymdownx.superfences 10.x, RE_NESTED_FENCE_START and RE_OPTIONS, verbatim.
_FENCE_START = re.compile(
    r"""(?x)
    (?P<fence>~{3,}|`{3,})
    (?:[ \t]*\.?(?P<lang>[\w#.+-]+)(?=[\t ]|$))?
    (?:
        [ \t]*(\{(?P<attrs>[^\n]*)\}) |
        (?P<options>
            (?:
                (?:[ \t]*[a-zA-Z][a-zA-Z0-9_]*(?:=(?P<quot>"|').*?(?P=quot))?)(?=[\t ]|$)
            )+
        ) |
        (?P<unrecognized>
            (?:([ \t]*[^\s]+)(?=[\t ]|$))+
        )
    )?[ \t]*$
    """
)
_OPTION = re.compile(
    r"""(?P<key>[a-zA-Z][a-zA-Z0-9_]*)(?:=(?P<quot>"|')(?P<value>.*?)(?P=quot))?"""
)
_HL_LINES = re.compile(r"^(?P<hl_lines>\d+(?:-\d+)?(?:[ \t]+\d+(?:-\d+)?)*)$")
_LINENUMS = re.compile(
    r"(?P<linestart>[\d]+)(?:[ \t]+(?P<linestep>[\d]+))?(?:[ \t]+(?P<linespecial>[\d]+))?"
)
_OPTION_CHECKS = {"hl_lines": _HL_LINES, "linenums": _LINENUMS, "title": None, "title_mode": None}
_PREFIX = " >"


def _accepts(match: re.Match[str]) -> tuple[bool, str]:
    """Whether superfences accepts a fence's info string, and the language it reads.

    With its default options (no `relaxed_headers`): words it cannot read refuse the fence;
    `key=value` options must all be highlighting options it knows; `{...}` attributes are
    always accepted, and the first class names the language when no language is written.
    """
    lang = match["lang"] or ""
    if match["unrecognized"]:
        return False, lang
    if match["attrs"] is not None:
        if not lang:
            classes = re.findall(r"(?:^|\s)\.([^\s}]+)", match["attrs"])
            lang = classes[0] if classes else ""
        return True, lang
    for option in _OPTION.finditer(match["options"] or ""):
        key, value = option["key"], option["value"]
        if key not in _OPTION_CHECKS:
            return False, lang
        check = _OPTION_CHECKS[key]
        if check is not None and check.match(key if value is None else value) is None:
            return False, lang
    return True, lang


@dataclass
class _Found:
    """A fence while superfences reads it (line indexes are 0-based)."""

    first: int
    ws: str  # the opening's prefix with tabs expanded: spaces and ">"
    marker: str
    info: str
    lang: str
    closing: re.Pattern[str]
    last: int = -1
    body: list[str] = field(default_factory=list)
    empty_lines: int = 0
    why: str = ""


def _superfences(lines: list[str], may_open: set[int]) -> tuple[list[_Found], list[_Found]]:
    """The fences superfences stores, and the openings it gives up on (with why).

    `may_open` holds the index of every line that holds a run of three backticks or tildes:
    no other line can open a fence, so outside a fence the others are skipped.
    """
    stored: list[_Found] = []
    refused: list[_Found] = []
    current: _Found | None = None
    openings = sorted(may_open)
    following = 0  # the next of `openings` to try
    index = -1
    while True:
        if current is not None:
            index += 1
            if index == len(lines):
                break
        else:
            while following < len(openings) and openings[following] <= index:
                following += 1
            if following == len(openings):
                break
            index = openings[following]
        line = lines[index]
        if current is None:
            ws_len = len(line) - len(line.lstrip(_PREFIX))
            match = _FENCE_START.match(line, ws_len)
            if match is None:
                continue
            okay, lang = _accepts(match)
            info = line[match.end("fence") :].strip()
            found = _Found(index, line[:ws_len], match["fence"], info, lang, re.compile(""))
            if not okay:
                found.why = "info"
                found.last = index
                refused.append(found)
                continue
            found.closing = re.compile(re.escape(match["fence"]) + r"[ \t]*$")
            current = found
            if not found.ws:
                # At the left margin no line breaks the fence off (`_plain` abandons only a
                # line indented less than the opening) and every line is the body as it
                # stands: the fence runs to the first closing line, or to the page's end.
                last = next(
                    (i for i in range(index + 1, len(lines)) if found.closing.match(lines[i])), None
                )
                found.body = lines[index + 1 : last]
                if last is not None:
                    found.last = last
                    stored.append(found)
                    current = None
                index = len(lines) - 1 if last is None else last
            continue
        width = len(current.ws)
        quote_level = current.ws.count(">")
        taken = min(width, len(line) - len(line.lstrip(_PREFIX)))
        ws, content = line[:taken], line[taken:]
        level = ws.count(">")
        verdict = (
            _quoted(current, ws, content, level)
            if quote_level
            else _plain(current, ws, content)
            if level == 0
            else "abandon"
        )
        if verdict == "abandon":
            current.last = index
            current.why = "indent"
            refused.append(current)
            current = None
        elif verdict == "close":
            current.last = index
            stored.append(current)
            current = None
        else:
            current.body.append(line[width:])
    if current is not None:
        current.last = len(lines) - 1
        current.why = "open"
        refused.append(current)
    return stored, refused


def _plain(fence: _Found, ws: str, content: str) -> str:
    """SuperFencesBlockPreprocessor.eval_fence: what a line does to an unquoted fence."""
    if (ws + content).strip() == "":
        fence.empty_lines += 1
        return "line"
    if len(ws) != len(fence.ws) and content != "":
        return "abandon"
    if fence.closing.match(content) and not content.startswith((" ", "\t")):
        return "close"
    fence.empty_lines = 0
    return "line"


def _quoted(fence: _Found, ws: str, content: str, level: int) -> str:
    """SuperFencesBlockPreprocessor.eval_quoted: the same inside a blockquote."""
    own = fence.ws.count(">")
    if level > own:
        return "abandon"
    if content == "":
        fence.empty_lines += 1
        return "line"
    if len(ws) < len(fence.ws):
        return "abandon"
    if fence.empty_lines and level < own:
        return "abandon"
    if fence.closing.match(content):
        return "close"
    fence.empty_lines = 0
    return "line"


# ---------------------------------------------------------------- step 3: the block parser

_SPACES = " " * TAB_LENGTH


class _El:
    """The little of an ElementTree element the block processors look at."""

    __slots__ = ("children", "cls", "tag", "text")

    def __init__(self, tag: str, cls: str = "") -> None:
        self.tag = tag
        self.cls = cls
        self.children: list[_El] = []
        self.text = False  # whether it holds text of its own (a tight list item's words)

    def add(self, tag: str, cls: str = "") -> _El:
        child = _El(tag, cls)
        self.children.append(child)
        return child

    def last(self) -> _El | None:
        return self.children[-1] if self.children else None


# A block is a list of (text, origin) lines: origin is the line's index in the page, or for a
# fence's placeholder line -1 - the fence's index among the fences superfences stores.
_Line = tuple[str, int]
_Block = list[_Line]

_ADMONITION = re.compile(r'^!!! ?([\w\-]+(?: +[\w\-]+)*)(?: +"(.*?)")? *$')
_DETAILS = re.compile(
    r'^\?{3}(\+)? ?(?:([\w\-]+(?: +[\w\-]+)*?)?(?: +"(.*?)")|([\w\-]+(?: +[\w\-]+)*?)) *$'
)
_TABBED = re.compile(r'^={3}(\+|\+!|!\+|!)? +"(.*?)" *$')
_HASH_HEADER = re.compile(r"^#")
_SETEXT_UNDERLINE = re.compile(r"^(?:=+|-+)[ ]*$")
_HR = re.compile(
    r"^[ ]{0,3}(?=(?P<atomicgroup>(-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}|(\*+[ ]{0,2}){3,}))"
    r"(?P=atomicgroup)[ ]*$"
)
# Python-Markdown's list patterns with its tab length of four written in.
_OL = re.compile(r"^[ ]{0,3}\d+\.[ ]+(.*)")
_UL = re.compile(r"^[ ]{0,3}[*+-][ ]+(.*)")
_CHILD = re.compile(r"^[ ]{0,3}((\d+\.)|[*+-])[ ]+(.*)")
_LIST_INDENT = re.compile(r"^[ ]{4,7}((\d+\.)|[*+-])[ ]+.*")
_INDENT_LEVEL = re.compile(r"^(([ ]{4})+)")
_QUOTE = re.compile(r"^[ ]{0,3}>[ ]?(.*)")
_MAY_BE_RULE = re.compile(r"\n[ ]{0,3}[-_*]")  # in a block's lines joined, each after "\n"
_TABBED_SET = "tabbed-set tabbed-alternate"


def _detab(block: _Block, length: int = TAB_LENGTH) -> tuple[_Block, _Block]:
    """BlockProcessor.detab: lines indented by `length` (or blank), and the rest."""
    taken: _Block = []
    for text, origin in block:
        if text.startswith(" " * length):
            taken.append((text[length:], origin))
        elif not text.strip():
            taken.append(("", origin))
        else:
            break
    return taken, block[len(taken) :]


def _loose_detab(block: _Block, level: int = 1) -> _Block:
    width = TAB_LENGTH * level
    return [(text[width:] if text.startswith(" " * width) else text, o) for text, o in block]


class _Parser:
    """A port of markdown.blockparser.BlockParser with the handbook's block processors."""

    def __init__(self, lines: list[str], stored: list[_Found]) -> None:
        self.lines = lines
        self.stored = stored
        self.state: list[str] = []
        self.code: set[int] = set()  # page lines that end in an indented code block
        self.reverted: set[int] = set()  # stored fences put back as typed
        self._sibling: tuple[_El, int] | None = None  # a container's content found by a test

    def chunk(self, parent: _El, block: _Block) -> None:
        """parseChunk: split on blank lines, then parse the blocks."""
        blocks: list[_Block] = []
        current: _Block = []
        for line in block:
            if line[0] == "":
                if current:
                    blocks.append(current)
                current = []
            else:
                current.append(line)
        if current:
            blocks.append(current)
        self.blocks(parent, blocks)

    def blocks(self, parent: _El, blocks: list[_Block]) -> None:
        """parseBlocks: hand each block to the first processor that takes it.

        Processors are tried in Python-Markdown's order, but one is skipped when the block
        lacks what its test needs, found by a substring or regex search of the block's lines
        joined (a line of a block never holds a newline): an admonition, details or tab header
        needs a line that starts with `!!!`, `???` or `===` unless the first line is indented
        (content of the container before it), indented lists and code need that indent, a
        heading a line that starts with `#`, a rule a line with at most three spaces before
        `-`, `_` or `*`, a blockquote a `>`. Each skip is of a processor that would not take
        the block, so the verdicts are Python-Markdown's, at a fraction of the tests.
        """
        while blocks:
            block = blocks[0]
            if not block or block[0][0] == "":
                # EmptyBlockProcessor: a leading blank line is dropped.
                blocks.pop(0)
                if block[1:]:
                    blocks.insert(0, block[1:])
                continue
            if all(text[:1].isalpha() for text, _ in block):
                # Every line starts with a letter: no processor before the paragraph's takes
                # it (each needs a line that starts with a space, `!`, `?`, `=`, `#`, `-`,
                # `_`, `*`, `+`, `>` or a digit, or a second line of `=` or `-`).
                self._paragraph(parent, blocks)
                continue
            joined = "\n" + "\n".join([text for text, _ in block])
            indented = block[0][0].startswith(_SPACES)
            if (
                ((indented or "\n!!!" in joined) and self._admonition(parent, blocks))
                or ((indented or "\n???" in joined) and self._details(parent, blocks))
                or ((indented or "\n===" in joined) and self._tabbed(parent, blocks))
                or (indented and (self._list_indent(parent, blocks) or self._code(parent, blocks)))
                or ("\n#" in joined and self._hash_header(parent, blocks))
                or self._setext(parent, blocks)
                or (_MAY_BE_RULE.search(joined) and self._hr(parent, blocks))
                or self._olist(parent, blocks)
                or self._ulist(parent, blocks)
                or (">" in joined and self._quote(parent, blocks))
            ):
                continue
            self._paragraph(parent, blocks)

    # Each processor returns False when it does not take the block (test and run in one).

    def _container(self, parent: _El, blocks: list[_Block], header: re.Pattern[str], kind: str):
        block = blocks[0]
        for number, (text, _) in enumerate(block):
            if header.match(text):
                blocks.pop(0)
                if number:
                    self.blocks(parent, [block[:number]])
                content, rest = _detab(block[number + 1 :])
                if kind == "tabbed":
                    sibling = parent.last()
                    if (
                        sibling is not None
                        and sibling.tag == "div"
                        and sibling.cls == _TABBED_SET
                        and "!" not in (header.match(text)[1] or "")
                    ):
                        group = sibling
                    else:
                        group = parent.add("div", _TABBED_SET)
                        group.add("div", "tabbed-labels")
                        group.add("div", "tabbed-content")
                    target = group.children[-1].add("div", "tabbed-block")
                elif kind == "details":
                    target = parent.add("details")
                else:
                    target = parent.add("div", "admonition")
                self.chunk(target, content)
                if rest:
                    blocks.insert(0, rest)
                return True
        found = self._content(parent, block, kind)
        if found is None:
            return False
        target, indent = found
        blocks.pop(0)
        content, rest = _detab(block, indent)
        if kind == "tabbed" and target.tag == "div" and target.cls == _TABBED_SET:
            target = target.children[-1].children[-1]
        self.chunk(target, content)
        if rest:
            blocks.insert(0, rest)
        return True

    @staticmethod
    def _is(element: _El | None, kind: str) -> bool:
        if element is None:
            return False
        if kind == "details":
            return element.tag == "details"
        if kind == "tabbed":
            return element.tag == "div" and element.cls == _TABBED_SET
        return element.tag == "div" and "admonition" in element.cls

    def _content(self, parent: _El, block: _Block, kind: str) -> tuple[_El, int] | None:
        """parse_content: the container an indented block continues, and its indent."""
        sibling = parent.last()
        if not self._is(sibling, kind):
            return None
        first = block[0][0]
        if kind == "tabbed":
            last = sibling.children[-1].last() if sibling.children else None
        else:
            last = sibling.last()
        indent = 0
        while last is not None:
            nested_tab = kind == "tabbed" and last.tag == "div" and last.cls == "tabbed-block"
            if first.startswith(_SPACES * 2) and (last.tag in ("ul", "ol", "dl") or nested_tab):
                if nested_tab:
                    inner = last.last()
                    if inner is None or inner.tag not in ("ul", "ol", "dl"):
                        break
                    last = inner
                sibling = last.last()
                last = sibling.last() if sibling is not None else None
                first = first[TAB_LENGTH:]
                indent += TAB_LENGTH
            else:
                last = None
        if sibling is None or not first.startswith(_SPACES):
            return None
        return sibling, indent + TAB_LENGTH

    def _admonition(self, parent: _El, blocks: list[_Block]):
        return self._container(parent, blocks, _ADMONITION, "admonition")

    def _details(self, parent: _El, blocks: list[_Block]):
        return self._container(parent, blocks, _DETAILS, "details")

    def _tabbed(self, parent: _El, blocks: list[_Block]):
        return self._container(parent, blocks, _TABBED, "tabbed")

    def _list_indent(self, parent: _El, blocks: list[_Block]):
        block = blocks[0]
        last = parent.last()
        if not (
            block[0][0].startswith(_SPACES)
            and "detabbed" not in self.state[-1:]
            and (parent.tag == "li" or (last is not None and last.tag in ("ul", "ol")))
        ):
            return False
        blocks.pop(0)
        match = _INDENT_LEVEL.match(block[0][0])
        indent_level = len(match[1]) // TAB_LENGTH if match else 0
        level = 1 if self.state[-1:] == ["list"] else 0
        sibling = parent
        while indent_level > level:
            child = sibling.last()
            if child is not None and child.tag in ("ul", "ol", "li"):
                if child.tag in ("ul", "ol"):
                    level += 1
                sibling = child
            else:
                break
        block = _loose_detab(block, level)
        self.state.append("detabbed")
        if parent.tag == "li":
            last = parent.last()
            self.blocks(last if last is not None and last.tag in ("ul", "ol") else parent, [block])
        elif sibling.tag == "li":
            self.blocks(sibling, [block])
        elif sibling.children and sibling.children[-1].tag == "li":
            self.chunk(sibling.children[-1], block)
        else:
            self.blocks(sibling.add("li"), [block])
        self.state.pop()
        return True

    def _code(self, parent: _El, blocks: list[_Block]):
        block = blocks[0]
        if not block[0][0].startswith(_SPACES):
            return False
        blocks.pop(0)
        sibling = parent.last()
        if sibling is None or sibling.tag != "pre":
            parent.add("pre")
        # SuperFencesCodeBlockProcessor first puts back every fence of the block as typed.
        typed: _Block = []
        for text, origin in block:
            if origin >= 0:
                typed.append((text, origin))
                continue
            fence = self.stored[-1 - origin]
            self.reverted.add(-1 - origin)
            cut = len(fence.ws) - (len(text) - len(text.lstrip(" >")))
            typed.extend((self.lines[i][cut:], i) for i in range(fence.first, fence.last + 1))
        code, rest = _detab(typed)
        self.code.update(origin for _, origin in code)
        if rest:
            blocks.insert(0, rest)
        return True

    def _split(self, parent: _El, blocks: list[_Block], line: re.Pattern[str], tag: str):
        """A heading or rule line anywhere in the block: what stands before it is a block of
        its own, what follows goes back to be read again."""
        block = blocks[0]
        number = next((n for n, (text, _) in enumerate(block) if line.match(text)), None)
        if number is None:
            return False
        blocks.pop(0)
        if number:
            self.blocks(parent, [block[:number]])
        parent.add(tag)
        after = block[number + 1 :]
        if after:
            if tag == "h" and self.state[-1:] == ["looselist"]:
                after = _loose_detab(after)
            blocks.insert(0, after)
        return True

    def _hash_header(self, parent: _El, blocks: list[_Block]):
        return self._split(parent, blocks, _HASH_HEADER, "h")

    def _setext(self, parent: _El, blocks: list[_Block]):
        block = blocks[0]
        if len(block) < 2 or not _SETEXT_UNDERLINE.match(block[1][0]):
            return False
        blocks.pop(0)
        parent.add("h")
        if block[2:]:
            blocks.insert(0, block[2:])
        return True

    def _hr(self, parent: _El, blocks: list[_Block]):
        return self._split(parent, blocks, _HR, "hr")

    def _list(self, parent: _El, blocks: list[_Block], pattern: re.Pattern[str], tag: str):
        block = blocks[0]
        if not pattern.match(block[0][0]):
            return False
        blocks.pop(0)
        items: list[_Block] = []
        for text, origin in block:
            child = _CHILD.match(text)
            if child:
                items.append([(child[3], origin)])
            elif _LIST_INDENT.match(text):
                if items[-1][0][0].startswith(_SPACES):
                    items[-1].append((text, origin))
                else:
                    items.append([(text, origin)])
            else:
                items[-1].append((text, origin))
        sibling = parent.last()
        if sibling is not None and sibling.tag in ("ol", "ul"):
            lst = sibling
            if lst.children:
                lst.children[-1].text = False
            li = lst.add("li")
            self.state.append("looselist")
            self.blocks(li, [items.pop(0)])
            self.state.pop()
        elif parent.tag in ("ol", "ul"):
            lst = parent
        else:
            lst = parent.add(tag)
        self.state.append("list")
        for item in items:
            if item[0][0].startswith(_SPACES) and lst.children:
                self.blocks(lst.children[-1], [item])
            elif all(text[:1].isalpha() for text, _ in item):
                lst.add("li").text = True  # what `blocks` makes of it: see there
            else:
                self.blocks(lst.add("li"), [item])
        self.state.pop()
        return True

    def _olist(self, parent: _El, blocks: list[_Block]):
        return self._list(parent, blocks, _OL, "ol")

    def _ulist(self, parent: _El, blocks: list[_Block]):
        return self._list(parent, blocks, _UL, "ul")

    def _quote(self, parent: _El, blocks: list[_Block]):
        block = blocks[0]
        number = next((n for n, (text, _) in enumerate(block) if _QUOTE.match(text)), None)
        if number is None:
            return False
        blocks.pop(0)
        if number:
            self.blocks(parent, [block[:number]])
        cleaned: _Block = []
        for text, origin in block[number:]:
            match = _QUOTE.match(text)
            if text.strip() == ">":
                cleaned.append(("", origin))
            elif match:
                cleaned.append((match[1], origin))
            else:
                cleaned.append((text, origin))
        sibling = parent.last()
        quote = sibling if sibling is not None and sibling.tag == "blockquote" else None
        if quote is None:
            quote = parent.add("blockquote")
        self.state.append("blockquote")
        self.chunk(quote, cleaned)
        self.state.pop()
        return True

    def _paragraph(self, parent: _El, blocks: list[_Block]):
        blocks.pop(0)
        if self.state[-1:] == ["list"]:
            if not parent.children:
                parent.text = True
        else:
            parent.add("p")
        return True


# ---------------------------------------------------------------- putting it together

_COMMENT_END = re.compile(r"-->")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _comments(markdown: str, fenced: Blocks) -> list[tuple[int, int, bool]]:
    """The HTML comments of a page as Python-Markdown reads them: (start, end, block).

    A `<!--` at the start of a line (up to three spaces in) opens a raw HTML block that runs
    to the next `-->`, blank lines and all (`block` is True); anywhere else a comment must
    close before the paragraph ends. One never closed is text. A `<!--` or `-->` in a fence
    counts for nothing: superfences has taken the fence out before comments are read.
    """
    comments: list[tuple[int, int, bool]] = []
    position = 0
    while (opening := markdown.find("<!--", position)) >= 0:
        position = opening + 4
        if fenced.is_code(opening):
            continue
        closing = _COMMENT_END.search(markdown, position)
        while closing is not None and fenced.is_code(closing.start()):
            closing = _COMMENT_END.search(markdown, closing.end())
        if closing is None:
            break
        line_start = markdown.rfind("\n", 0, opening) + 1
        lead = markdown[line_start:opening]
        block = len(lead.expandtabs(TAB_LENGTH)) <= 3 and not lead.strip()
        if not block and _BLANK_LINE.search(markdown, position, closing.start()):
            continue
        comments.append((opening, closing.end(), block))
        position = closing.end()
    return comments


def _may_open(text: str, starts: list[int]) -> set[int]:
    """The index of every line of `text` (starting at `starts`) that holds ``` or ~~~."""
    found: set[int] = set()
    for marker in ("```", "~~~"):
        position = text.find(marker)
        while position >= 0:
            line = bisect.bisect_right(starts, position) - 1
            found.add(line)
            if line + 1 == len(starts):
                break
            position = text.find(marker, starts[line + 1])
    return found


def _raw_width(raw: str, width: int) -> int:
    """How many characters of `raw` make up its first `width` columns (tabs expanded)."""
    column = 0
    for index, char in enumerate(raw):
        if column >= width:
            return index
        column = column + TAB_LENGTH - column % TAB_LENGTH if char == "\t" else column + 1
    return len(raw)


# A text holding none of these has no code at all: no fence (superfences needs a run of three
# backticks or tildes), no comment, and no indented code block, since the block processors
# only ever take characters off the start of a line (a container's indent, a list marker and
# the spaces after it, a blockquote's `>` and one space), so a line can only start with four
# spaces in a block if the page holds four spaces in a row, or a tab that expands to them.
# Tree fields and many pages are such texts.
_SIGNS_OF_CODE = ("```", "~~~", "<!--", "\t", "    ")


def scan(markdown: str) -> Blocks:
    """Read one page's block structure; see the module's docstring."""
    if not any(sign in markdown for sign in _SIGNS_OF_CODE):
        return Blocks(markdown)
    raw_lines = markdown.split("\n")
    starts = list(accumulate([len(line) + 1 for line in raw_lines[:-1]], initial=0))
    if "\r" in markdown or "\t" in markdown:
        lines = [line.removesuffix("\r").expandtabs(TAB_LENGTH) for line in raw_lines]
    else:
        lines = raw_lines  # already as the parser reads them (not changed below)
    if " \n" in markdown or markdown.endswith(" ") or lines is not raw_lines:
        lines = ["" if not line.strip(" ") else line for line in lines]  # blank lines
    stored, refused = _superfences(lines, _may_open(markdown, starts))
    fenced = Blocks(
        markdown,
        [],
        [(starts[f.first], starts[f.last] + len(raw_lines[f.last])) for f in stored],
    )
    comments = _comments(markdown, fenced)
    raw_blocks = {
        bisect.bisect_right(starts, start) - 1: bisect.bisect_right(starts, end - 1) - 1
        for start, end, block in comments
        if block
    }

    # The document the block parser sees: each stored fence is one placeholder line, and
    # each comment that opens a line a raw HTML block of its own between blank lines.
    collapsed: _Block = []
    by_first = {fence.first: number for number, fence in enumerate(stored)}
    index = 0  # the first line not yet in `collapsed`
    for event in sorted({*raw_blocks, *by_first}):
        if event < index:
            continue  # inside the comment or fence just collapsed
        collapsed.extend(zip(lines[index:event], range(index, event), strict=True))
        if event in raw_blocks:
            collapsed.extend((("", event), ("\x02C\x03", event), ("", event)))
            index = raw_blocks[event] + 1
        else:
            number = by_first[event]
            collapsed.append((stored[number].ws + "\x02F\x03", -1 - number))
            index = stored[number].last + 1
    collapsed.extend(zip(lines[index:], range(index, len(lines)), strict=True))
    parser = _Parser(lines, stored)
    for part in _parts_with_code(collapsed):
        parser.chunk(_El("div"), part)

    code = [(starts[i], starts[i] + len(raw_lines[i])) for i in sorted(parser.code)]
    fence_code = parser.reverted
    fences: list[Fence] = []
    for number, found in enumerate(stored):
        shown: Shown = "code" if number in fence_code else "fence"
        fences.append(_fence(found, raw_lines, starts, shown))
    for found in refused:
        fences.append(_fence(found, raw_lines, starts, "text"))
    fences.sort(key=lambda fence: fence.start)
    for fence in fences:
        if fence.shown != "text":
            code.append((fence.start, fence.end))
    code.sort()

    outside = Blocks(markdown, [], _merge(code))
    comments = [
        (start, end) for start, end, block in comments if block or not outside.is_code(start)
    ]
    if comments:
        hidden = Blocks(markdown, [], comments)
        fences = [
            _replace_shown(fence, "hidden")
            if fence.shown != "text" and hidden.is_code(fence.start)
            else fence
            for fence in fences
        ]
        code = _merge(sorted(code + comments))
    return Blocks(markdown, fences, _merge(code))


def _parts_with_code(collapsed: _Block) -> Iterator[_Block]:
    """The parts of the document the block parser must read to find all its code.

    The parser reads the top-level blocks in turn, and all one of them sees of those before is
    the last element they left (the state of nested processors is back to empty between
    them). A top-level block of lines that all start with a letter is a paragraph, and one of
    a single line starting with `#` a heading, whatever stands before; after either, the last
    element is a paragraph or heading as well. So the document splits before each such block
    into parts that the parser reads alike on their own, each from an empty root. A part in
    which no line holds four spaces in a row holds no code (see `_SIGNS_OF_CODE`) and is
    skipped: that is most of an ordinary page, all but its admonitions and indented lists.
    """
    spaced = [index for index, (text, _) in enumerate(collapsed) if "    " in text]
    end = 0  # where the last part read ends: a point where a part starts, or 0
    following = 0  # the first of `spaced` not yet in a part
    while following < len(spaced):
        index = spaced[following]
        start = index  # the last point at or before it where a part starts (or `end`)
        while start > end and not _starts_part(collapsed, start):
            start -= 1
        end = index + 1  # the next point where a part starts, or the page's end
        while end < len(collapsed) and not _starts_part(collapsed, end):
            end += 1
        yield collapsed[start:end]
        while following < len(spaced) and spaced[following] < end:
            following += 1


def _starts_part(collapsed: _Block, index: int) -> bool:
    """Whether a top-level block that is read alike whatever stands before starts at `index`."""
    return bool(collapsed[index][0]) and not collapsed[index - 1][0] and _afresh(collapsed, index)


def _afresh(collapsed: _Block, index: int) -> bool:
    """Whether the top-level block at `index` is a paragraph of lines that all start with a
    letter, or a heading of one line: read alike whatever stands before it."""
    if collapsed[index][0].startswith("#"):
        return index + 1 == len(collapsed) or not collapsed[index + 1][0]
    while index < len(collapsed) and collapsed[index][0]:
        if not collapsed[index][0][:1].isalpha():
            return False
        index += 1
    return True


def _replace_shown(fence: Fence, shown: Shown) -> Fence:
    return Fence(**{**fence.__dict__, "shown": shown})


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


NEVER_CLOSED = "it is never closed"
BROKEN_OFF = "a line inside it is indented less than its opening"
_WHY = {
    "info": "superfences cannot read its info string",
    "indent": BROKEN_OFF,
    "open": NEVER_CLOSED,
}


def _fence(found: _Found, raw_lines: list[str], starts: list[int], shown: Shown) -> Fence:
    first_raw = raw_lines[found.first].removesuffix("\r")
    prefix = first_raw[: _raw_width(first_raw, len(found.ws))]
    closed = shown != "text" or found.why == "info"
    last = found.last if found.why != "open" else _last_line(raw_lines)
    end = starts[last] + len(raw_lines[last].removesuffix("\r"))
    body = found.body[: max(0, last - found.first)]  # the page's final newline adds no line
    typed = [
        raw.removesuffix("\r") if not found.ws else _cut(raw.removesuffix("\r"), len(found.ws))
        for raw in raw_lines[found.first + 1 : found.first + 1 + len(body)]
    ]
    return Fence(
        line=found.first + 1,
        end_line=last + 1,
        start=starts[found.first],
        end=end,
        prefix=prefix,
        marker=found.marker,
        info=found.info,
        lang=found.lang,
        body="\n".join(typed) + "\n" if typed else "",
        body_line=found.first + 2,
        body_col=len(prefix) + 1,
        closed=closed,
        shown=shown,
        why=_WHY.get(found.why, ""),
        source="\n".join(body),
    )


def _cut(raw: str, width: int) -> str:
    """`raw` without its first `width` columns; a tab that straddles the cut leaves spaces."""
    column = 0
    for index, char in enumerate(raw):
        if column >= width:
            return " " * (column - width) + raw[index:]
        column = column + TAB_LENGTH - column % TAB_LENGTH if char == "\t" else column + 1
    return " " * max(0, column - width)


def _last_line(raw_lines: list[str]) -> int:
    last = len(raw_lines) - 1
    if last > 0 and raw_lines[-1] == "":  # a final newline does not start another line
        last -= 1
    return last


def code_spans(markdown: str) -> Iterator[tuple[int, int]]:
    """The spans of `markdown` that are code or hidden: shorthand for ``scan(md).code``."""
    yield from scan(markdown).code
