"""Problems a writer can fix: one type for every message the build shows them.

Trees and links both report through `Problem`, so every message on the site reads the same:
``docs/fit/take-on.md:42:15: nodes.core.answers[1].next: no node 'aprove' (did you mean
'approve'?)``. Nothing here touches MkDocs; the hook file logs what it is given.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

CONFIG = "mkdocs.yml"


def page_path(page: str) -> str:
    """A page under docs/ (or mkdocs.yml itself) as every message names it: the one place
    where a message's path is formatted."""
    return page if page == CONFIG else f"docs/{page}"


@dataclass(frozen=True, order=True, slots=True)
class Problem:
    """One mistake at one place: the file as the writer knows it, 1-based line and column."""

    path: str  # as shown to the writer: "docs/fit/take-on.md" or "mkdocs.yml"
    line: int
    col: int
    message: str  # what is wrong, then what to do
    key: str = ""  # where inside a tree: "nodes.core.answers[1].next"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}"
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate a writer most likely meant by `word`, or None when none is close."""
    pool = list(candidates)
    # A case-only difference is the likeliest typo of all, and difflib scores it poorly.
    for candidate in pool:
        if candidate.lower() == word.lower() and candidate != word:
            return candidate
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """Return `` (did you mean 'x'?)`` for the closest candidate, or an empty string."""
    near = closest(word, candidates)
    return f" (did you mean '{near}'?)" if near is not None else ""
