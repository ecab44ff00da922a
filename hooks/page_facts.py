"""What each page told the last build, kept on disk so a dirty build tells the truth.

`mkdocs build --dirty` and `mkdocs serve --dirty` render only the pages changed since the last
build; the hooks never see the others. Yet the site-wide checks need every page: its links,
the anchors of its final HTML, its back-link rules, its trees (for ids used twice), and the
problems a full build would report on it. `FactCache` keeps these facts per page in
`.cache/handbook/pages.json` (next to mkdocs.yml; git-ignored), each under a key made of the
page's path and text, the hooks' own source and the config file (with any files snippets
append to every page). A page whose key still matches is taken from the cache; any change to
it, to the hooks or to the config invalidates it. A cache that cannot be read is ignored with
one info line and rebuilt; nothing here ever stops a build.

As git's index does, each entry also keeps the size, modification time and inode its file had
just before its text was read: while all three are unchanged, the text is the one the key was
made of, and a dirty build need not read and hash the file again. A file changed less than
`RACY_NS` before it was looked at could change again within the same tick of the file
system's clock without its time moving, so such an entry is trusted only after its text is
read again (and its key still matches). Each entry's facts stay as JSON text until a dirty
build needs them, and are written back unchanged.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from links.model import BackLinkRule, Link, LinkKind
from problems import Problem
from trees.model import Pos

log = logging.getLogger("mkdocs.hooks.handbook")

FORMAT = 2
RACY_NS = 2_000_000_000  # coarser than any file system's clock (FAT keeps even seconds)
HOOKS = Path(__file__).resolve().parent


def hooks_version() -> str:
    """A digest of every Python file of the hooks: any change to them changes it."""
    digest = hashlib.sha256()
    for path in sorted(HOOKS.rglob("*.py")):
        digest.update(path.relative_to(HOOKS).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class TreeRef:
    """What the site-wide tree checks need of a tree: its id and where it stands."""

    id: str
    pos: Pos
    id_pos: Pos


@dataclass
class PageFacts:
    """Everything the site-wide checks and the messages need from one page."""

    links: list[Link] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)
    rules: list[BackLinkRule] = field(default_factory=list)
    trees: list[TreeRef] = field(default_factory=list)
    problems: list[tuple[str, Problem]] = field(default_factory=list)  # (origin, problem)


class FactCache:
    """Per-page facts of the last builds, keyed by page text, hooks and config."""

    def __init__(self, folder: Path, config_text: str, extra: Iterable[str] = ()) -> None:
        self.path = folder / "pages.json"
        salt = hashlib.sha256(f"{FORMAT}\0{hooks_version()}\0{config_text}".encode())
        for text in extra:
            salt.update(b"\0" + text.encode())
        self.salt = salt.hexdigest()
        # page -> [key, what the file looked like when its text was read (see `seen`), facts]
        self.pages: dict[str, list] = {}
        self.loaded = False

    def key(self, page: str, text: str) -> str:
        return hashlib.sha256(f"{self.salt}\0{page}\0{text}".encode()).hexdigest()

    def load(self) -> None:
        """Read the cache once; a missing one is empty, an unreadable one is reported and empty."""
        if self.loaded:
            return
        self.loaded = True
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            if raw.get("format") != FORMAT or not isinstance(raw.get("pages"), dict):
                raise ValueError("it was written by another version of the hooks")
            self.pages = raw["pages"]
        except FileNotFoundError:
            return
        except (OSError, ValueError, AttributeError) as error:
            log.info(
                f"the handbook's cache {self.path} could not be read ({error}): pages the "
                "build does not render are read again, and the cache is rebuilt"
            )
            self.pages = {}

    def get(
        self, page: str, text: str | Callable[[], str], path: str | None = None
    ) -> PageFacts | None:
        """The facts kept for `page` with exactly this text, or None.

        `text` may be a function that reads it; with the file's `path`, it is called only
        when the file does not look as it did when its facts were kept.
        """
        self.load()
        entry = self.pages.get(page)
        if not isinstance(entry, list) or len(entry) != 3 or not isinstance(entry[2], str):
            return None
        now = seen(path)
        if now is None or not _unchanged(entry[1], now):
            if callable(text):
                text = text()  # read after looking, so what was seen describes this text
            else:
                now = None  # read before: what the file looks like now says nothing of it
            if entry[0] != self.key(page, text):
                return None
            entry[1] = now
        try:
            return _facts(page, json.loads(entry[2]))
        except (KeyError, TypeError, ValueError):
            return None  # a damaged entry: the page is read again

    def put(self, page: str, text: str, facts: PageFacts, looked: list[int] | None = None) -> None:
        """Keep `facts` for `page` read as `text`; `looked`: `seen` of its file just before the
        text was read."""
        # Not loaded first: a full build renders every page and puts each, so what the cache
        # held is never read. A page neither put nor taken from the cache has no entry after
        # `save`, and a later dirty build reads it again, as it does any page missing here.
        entry = json.dumps(_entry(facts), separators=(",", ":"))
        self.pages[page] = [self.key(page, text), looked, entry]

    def keep_only(self, pages: Iterable[str]) -> None:
        """Forget pages the site no longer has."""
        wanted = set(pages)
        self.pages = {page: entry for page, entry in self.pages.items() if page in wanted}

    def save(self) -> None:
        """Write the cache atomically; a folder that cannot be written is reported, no more."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(
                json.dumps({"format": FORMAT, "pages": self.pages}, separators=(",", ":")),
                encoding="utf-8",
            )
            os.replace(temporary, self.path)
        except OSError as error:
            log.info(f"the handbook's cache {self.path} could not be written ({error})")


def seen(path: str | None) -> list[int] | None:
    """A file's size, modification time and inode, and when they were looked at (None for a
    page with no file of its own)."""
    if not path:
        return None
    try:
        status = os.stat(path)
    except OSError:
        return None
    return [status.st_size, status.st_mtime_ns, status.st_ino, time.time_ns()]


def _unchanged(before: object, now: list[int]) -> bool:
    """Whether a file looks as it did, and did so long enough after its last change that a
    change since would have moved its time."""
    return (
        isinstance(before, list)
        and len(before) == 4
        and all(type(value) is int for value in before)
        and before[:3] == now[:3]
        and before[1] + RACY_NS < before[3]
    )


def _entry(facts: PageFacts) -> dict:
    return {
        "links": [[link.line, link.col, link.target, link.kind] for link in facts.links],
        "anchors": sorted(facts.anchors),
        "rules": [
            [rule.tree_id, rule.read.line, rule.read.col, rule.read.target] for rule in facts.rules
        ],
        "trees": [
            [tree.id, tree.pos.line, tree.pos.col, tree.id_pos.line, tree.id_pos.col]
            for tree in facts.trees
        ],
        "problems": [
            [origin, p.path, p.line, p.col, p.message, p.key] for origin, p in facts.problems
        ],
    }


def _facts(page: str, entry: dict) -> PageFacts:
    kinds: tuple[LinkKind, ...] = ("inline", "image", "reference", "autolink", "html", "read")
    links = []
    for line, col, target, kind in entry["links"]:
        if kind not in kinds:
            raise ValueError(kind)
        links.append(Link(page, int(line), int(col), str(target), kind))
    return PageFacts(
        links=links,
        anchors={str(anchor) for anchor in entry["anchors"]},
        rules=[
            BackLinkRule(page, str(tree), Link(page, int(line), int(col), str(target), "read"))
            for tree, line, col, target in entry["rules"]
        ],
        trees=[
            TreeRef(str(tree), Pos(int(line), int(col)), Pos(int(id_line), int(id_col)))
            for tree, line, col, id_line, id_col in entry["trees"]
        ],
        problems=[
            (str(origin), Problem(str(path), int(line), int(col), str(message), str(key)))
            for origin, path, line, col, message, key in entry["problems"]
        ],
    )
