"""The link model shared by pages, trees and the navigation.

A `Link` is what a writer typed and where; the checker resolves it against the site-wide
index. Trees hand their `read` entries and the links inside `help`/`body` in as `Link`s too,
so every link on the site is checked by one piece of code and reported in one format.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

LinkKind = Literal[
    "inline",  # [text](target)
    "image",  # ![alt](target)
    "reference",  # [id]: target
    "autolink",  # <https://...>
    "html",  # href="..." or src="..." in raw HTML
    "read",  # an outcome's `read` entry
    "nav",  # an entry of `nav` in mkdocs.yml
]


@dataclass(frozen=True, slots=True)  # tens of thousands in a large handbook
class Link:
    """One link as written: the file holding it, its place there, and its target."""

    source: str  # "fit/saying-no.md", or "mkdocs.yml" for nav entries
    line: int
    col: int
    target: str  # exactly as the writer wrote it, e.g. "../fit/focus.md#core-and-periphery"
    kind: LinkKind = "inline"


@dataclass(frozen=True, slots=True)
class BackLinkRule:
    """The page a tree outcome's `read` points to must link back to the tree's page."""

    tree_page: str  # path under docs/ of the page holding the tree
    tree_id: str
    read: Link  # the `read` entry, whose target page must link back
