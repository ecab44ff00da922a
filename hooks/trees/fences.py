"""Find the ```decision-tree fences in a page's Markdown, with where each one stands.

The scan follows the fence rules of CommonMark and pymdownx.superfences closely enough for
what writers do: a fence opens with three or more backticks or tildes, indented by any
number of spaces (so a tree can sit in a list item or an admonition), and closes with a line
of the same character, at least as long, at the same indentation, with nothing after it.
Everything between is the fence's body, so a ```decision-tree fence written inside a longer
or different fence (as the writers' guide does to show the syntax) is an example, not a
tree, and is not returned.

A fence that is never closed runs to the end of the page, as CommonMark says; it is returned
with ``closed=False`` so the tree parser can tell the writer.

Not handled: fences inside blockquotes (``> ```decision-tree``) and fences indented with
tabs. Both stay code on the page and are never checked.

One pass over the lines with one anchored regex each: linear in the page's length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

INFO = "decision-tree"

# Backtick fences may not carry a backtick in their info string (CommonMark 4.5): such a line
# is inline code, not a fence.
_OPENING = re.compile(r"(?P<indent> *)(?P<marker>`{3,}(?=[^`]*$)|~{3,})(?P<info>.*)")


@dataclass(frozen=True)
class Fence:
    """One ```decision-tree fence: where it stands in the page and its YAML body."""

    line: int  # 1-based line of the opening fence
    end_line: int  # 1-based line of the closing fence (the last line if never closed)
    start: int  # offset in the page of the opening fence's first character (its indent)
    end: int  # offset just after the closing fence's last character (its newline excluded)
    indent: str  # the spaces before the opening fence
    body: str  # the YAML, with the fence's indentation taken off every line
    body_line: int  # 1-based line of the body's first line
    body_col: int  # 1-based column where body text starts: len(indent) + 1
    marker: str = "```"  # the opening run of backticks or tildes
    closed: bool = True


def find_fences(markdown: str) -> list[Fence]:
    """Return every ```decision-tree fence in `markdown` that is not inside another fence."""
    fences: list[Fence] = []
    lines = markdown.split("\n")
    offset = 0  # offset of the current line's first character
    open_: _Open | None = None
    for number, raw in enumerate(lines, start=1):
        line = raw.removesuffix("\r")
        if open_ is None:
            match = _OPENING.fullmatch(line)
            if match:
                open_ = _Open(
                    line=number,
                    start=offset,
                    indent=match["indent"],
                    marker=match["marker"],
                    is_tree=match["info"].strip() == INFO,
                )
        elif _closes(line, open_.indent, open_.marker):
            if open_.is_tree:
                fences.append(open_.fence(end_line=number, end=offset + len(line), closed=True))
            open_ = None
        elif open_.is_tree:
            open_.body.append(_dedent(line, len(open_.indent)))
        offset += len(raw) + 1
    if open_ is not None and open_.is_tree:
        last = len(lines)
        if last > 1 and lines[-1] == "":  # a final newline does not start another line
            last -= 1
        fences.append(open_.fence(end_line=last, end=len(markdown.rstrip("\r\n")), closed=False))
    return fences


@dataclass
class _Open:
    """A fence whose closing line has not been seen yet."""

    line: int
    start: int
    indent: str
    marker: str
    is_tree: bool

    def __post_init__(self) -> None:
        self.body: list[str] = []

    def fence(self, end_line: int, end: int, closed: bool) -> Fence:
        """The finished `Fence`."""
        body = self.body
        if not closed:
            # The page's trailing newline is not a blank body line.
            body = body[: end_line - self.line]
        return Fence(
            line=self.line,
            end_line=end_line,
            start=self.start,
            end=end,
            indent=self.indent,
            body="".join(f"{text}\n" for text in body),
            body_line=self.line + 1,
            body_col=len(self.indent) + 1,
            marker=self.marker,
            closed=closed,
        )


def _closes(line: str, indent: str, marker: str) -> bool:
    """Whether `line` closes a fence opened with `indent` and `marker`.

    The closing run must be of the same character and no shorter (CommonMark), and stand at
    the opening's indentation, as pymdownx.superfences requires: a fence line indented
    further is text inside the fence, such as a code example in a tree's `help`.
    """
    if not line.startswith(indent) or line[len(indent) : len(indent) + 1] == " ":
        return False
    text = line[len(indent) :]
    run = len(text) - len(text.lstrip(marker[0]))
    return run >= len(marker) and text[run:].strip(" \t") == ""


def _dedent(line: str, width: int) -> str:
    """Take up to `width` leading spaces off a body line (a blank line may have fewer)."""
    spaces = len(line) - len(line.lstrip(" "))
    return line[min(spaces, width) :]
