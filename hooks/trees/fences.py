"""The ```decision-tree fences of a page, as the shared block scanner (`markdown_blocks`) sees them.

A tree is a tree wherever Markdown renders a fenced block: at the top level, in a list item
(indented with spaces or tabs), a blockquote, an admonition, a collapsible block, a content
tab. Where Markdown shows the fence as code (inside an indented code block, as the writers'
guide does to show the syntax) or not at all (inside an HTML comment), it is an example, and
a fence written inside a longer fence is only that fence's text.

`find_fences` returns the trees and the fences a writer opened as trees but that Markdown
will not render as a fence (never closed, or a line inside indented less than the opening):
the tree reader tells the writer about both. `tree_fences` also returns the examples that
Markdown shows as code, because the build asks Markdown itself for the last word.
`near_misses` finds fences whose info string is almost `decision-tree`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_blocks import Blocks, Shown, scan
from markdown_blocks import Fence as BlockFence

INFO = "decision-tree"


@dataclass(frozen=True)
class Fence:
    """One ```decision-tree fence: where it stands in the page and its YAML body."""

    line: int  # 1-based line of the opening fence
    end_line: int  # 1-based line of the closing fence (the last line if never closed)
    start: int  # offset in the page of the opening fence's first character (its indent)
    end: int  # offset just after the closing fence's last character (its newline excluded)
    indent: str  # what stands before the opening marker: spaces, tabs, "> " of a blockquote
    body: str  # the YAML, with the fence's indentation taken off every line
    body_line: int  # 1-based line of the body's first line
    body_col: int  # 1-based column where body text starts: len(indent) + 1
    marker: str = "```"  # the opening run of backticks or tildes
    closed: bool = True
    shown: Shown = "fence"  # how Markdown shows it (see markdown_blocks.Fence)
    why: str = ""  # why Markdown does not render it as a fence, when it does not
    source: str = ""  # the body as superfences hands it to a formatter (tabs expanded)


_SHARED = ("line", "end_line", "start", "end", "body", "body_line", "body_col", "marker")
_SHARED += ("closed", "shown", "why", "source")


def _tree(fence: BlockFence) -> Fence:
    return Fence(indent=fence.prefix, **{name: getattr(fence, name) for name in _SHARED})


def tree_fences(blocks: Blocks) -> list[Fence]:
    """Every fence with the info string `decision-tree` that Markdown reads as a fence or as
    a writer's unfinished tree, including those it then shows as code; not those in comments."""
    return [
        _tree(fence)
        for fence in blocks.fences
        if fence.info == INFO and fence.shown in ("fence", "code", "text")
    ]


def find_fences(markdown: str) -> list[Fence]:
    """The trees of a page: fences Markdown renders, and tree fences left unfinished."""
    return [fence for fence in tree_fences(scan(markdown)) if fence.shown != "code"]


@dataclass(frozen=True)
class NearMiss:
    """A fence whose info string is almost `decision-tree`."""

    line: int
    col: int  # where the info string starts
    opening: str  # the marker and info string as typed, e.g. "```Decision-Tree"
    marker: str  # the run of backticks or tildes
    hint: str  # what differs, in words


_WORDS = re.compile(r"[\s{]+")


def near_misses(blocks: Blocks) -> list[NearMiss]:
    """Fences a writer meant as trees, with another letter case, words or `{attributes}`.

    Examples shown as code (in an indented code block or a comment) are left alone.
    """
    found = []
    for fence in blocks.fences:
        if fence.info == INFO or fence.shown in ("code", "hidden"):
            continue
        hint = _near_miss(fence.info, fence.lang)
        if hint:
            found.append(
                NearMiss(
                    line=fence.line,
                    col=len(fence.prefix) + 1,
                    opening=f"{fence.marker}{fence.info}",
                    marker=fence.marker,
                    hint=hint,
                )
            )
    return found


def _near_miss(info: str, lang: str) -> str:
    """What makes `info` almost, but not quite, `decision-tree`; "" when it is not close."""
    first = _WORDS.split(info.strip(), maxsplit=1)[0]
    rest = info.strip()[len(first) :].strip()
    joined = "-".join(info.replace("_", " ").split()).lower()
    if first == INFO or lang == INFO:
        if rest.startswith("{") or (lang == INFO and first != INFO):
            return "a tree fence takes no {attributes}"
        return f"nothing may follow '{INFO}' on the opening line"
    if first.lower() == INFO:
        return "the info string is lower case"
    if joined == INFO:
        return "the words are joined by a hyphen"
    if joined.startswith(INFO) or first.lower().replace("_", "-") in (f"{INFO}s", "decisiontree"):
        return f"the info string is exactly '{INFO}'"
    return ""
