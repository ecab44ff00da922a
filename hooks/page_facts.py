"""What each page told the last build, kept on disk so a dirty build tells the truth.

`mkdocs build --dirty` and `mkdocs serve --dirty` render only the pages changed since the last
build; the hooks never see the others. Yet the site-wide checks need every page: its links,
the anchors of its final HTML, its back-link rules, its trees (for ids used twice), and the
problems a full build would report on it. `FactCache` keeps these facts per page in
`.cache/handbook/pages.txt` (next to mkdocs.yml; git-ignored), each under a key made of the
page's path and text, the hooks' own source and the config file (with any files snippets
append to every page). A page whose key still matches is taken from the cache; any change to
it, to the hooks or to the config invalidates it. A cache that cannot be read is ignored with
one info line and rebuilt; nothing here ever stops a build.

As git's index does, each entry also keeps the size, modification time and inode its file had
just before its text was read: while all three are unchanged, the text is the one the key was
made of, and a dirty build need not read and hash the file again. A file changed less than
`RACY_NS` before it was looked at could change again within the same tick of the file
system's clock without its time moving, so such an entry is trusted only after its text is
read again (and its key still matches).

Each entry also keeps what checking the page's links found (`links.check.PageCheck`): their
problems, the pages they land on, and the pages whose anchors they were checked against. A
dirty build takes that check as it is while the site's layout (its pages, files and URLs) is
the one it was made against and none of those pages' anchors changed, so it neither reads
nor checks again the links of pages that cannot have a new answer. Their links and anchors
stay as JSON text in the entry's line of the file until a link must be checked again, and an
entry nothing changed is written back as it was read.
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

from links.check import PageCheck
from links.model import BackLinkRule, Link
from problems import Problem, page_path
from trees.model import Pos

log = logging.getLogger("mkdocs.hooks.handbook")

FORMAT = 3
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


class KeptPage:
    """One page's facts as the cache kept them: what every dirty build needs of it at once
    (its back-link rules, trees, problems and the last check of its links), and its links and
    anchors, read from the cache's text only if a link must be checked again."""

    __slots__ = ("_stored", "check", "page", "problems", "rules", "trees")

    def __init__(self, page: str, record: list) -> None:
        _key, _looked, rules, trees, problems, check, self._stored, _line = record
        self.page = page
        self.rules = [
            BackLinkRule(page, tree, Link(page, line, col, target, "read"))
            for tree, line, col, target in rules
        ]
        self.trees = [
            TreeRef(tree, Pos(line, col), Pos(id_line, id_col))
            for tree, line, col, id_line, id_col in trees
        ]
        self.problems = [
            (origin, Problem(path, line, col, message, key))
            for origin, path, line, col, message, key in problems
        ]
        self.check: PageCheck | None = None  # None: its links are checked again
        if check is not None:
            where = page_path(page)
            found, edges, anchored = check
            self.check = PageCheck(
                [Problem(where, line, col, message) for line, col, message in found],
                set(edges),
                set(anchored),
            )

    def links(self) -> list[Link]:
        page = self.page
        return [Link(page, *link) for link in json.loads(self._stored)[0]]

    def anchors(self) -> set[str]:
        return set(json.loads(self._stored)[1])

    def facts(self) -> PageFacts:
        """All of it, as the build that rendered the page gathered it."""
        return PageFacts(self.links(), self.anchors(), self.rules, self.trees, self.problems)


class FactCache:
    """Per-page facts of the last builds, keyed by page text, hooks and config."""

    def __init__(self, folder: Path, config_text: str, extra: Iterable[str] = ()) -> None:
        self.path = folder / "pages.txt"
        salt = hashlib.sha256(f"{FORMAT}\0{hooks_version()}\0{config_text}".encode())
        for text in extra:
            salt.update(b"\0" + text.encode())
        self.salt = salt.hexdigest()
        # page -> [key, what the file looked like when its text was read (see `seen`), rules,
        # trees, problems, check, links and anchors as JSON text, the entry's line in the file
        # (None once any of it changes)]
        self.pages: dict[str, list] = {}
        # The site's layout (pages, files, URLs) every kept check was made against.
        self.layout: str | None = None
        self.used: set[str] = set()  # pages taken from the cache or put by this build
        self.loaded = False

    def key(self, page: str, text: str) -> str:
        return hashlib.sha256(f"{self.salt}\0{page}\0{text}".encode()).hexdigest()

    def load(self) -> None:
        """Read the cache once; a missing one is empty, an unreadable one is reported and empty."""
        if self.loaded:
            return
        self.loaded = True
        try:
            self.layout, self.pages = _read(self.path.read_bytes())
        except FileNotFoundError:
            return
        except (OSError, ValueError, TypeError, AttributeError) as error:
            log.info(
                f"the handbook's cache {self.path} could not be read ({error}): pages the "
                "build does not render are read again, and the cache is rebuilt"
            )
            self.layout, self.pages = None, {}

    def get(
        self, page: str, text: str | Callable[[], str], path: str | None = None
    ) -> KeptPage | None:
        """The facts kept for `page` with exactly this text, or None.

        `text` may be a function that reads it; with the file's `path`, it is called only
        when the file does not look as it did when its facts were kept.
        """
        self.load()
        entry = self.pages.get(page)
        if entry is None:
            return None
        now = seen(path)
        if now is None or not _unchanged(entry[1], now):
            if callable(text):
                text = text()  # read after looking, so what was seen describes this text
            else:
                now = None  # read before: what the file looks like now says nothing of it
            if entry[0] != self.key(page, text):
                return None
            entry[1], entry[7] = now, None
        self.used.add(page)
        return KeptPage(page, entry)

    def put(
        self,
        page: str,
        text: str,
        facts: PageFacts,
        looked: list[int] | None = None,
        check: PageCheck | None = None,
    ) -> None:
        """Keep `facts` of `page` read as `text`, and the `check` of its links; `looked`: `seen`
        of its file just before the text was read."""
        # Not loaded first: a full build renders every page and puts each, so what the cache
        # held is never read. A page neither put nor taken from the cache has no entry after
        # `save`, and a later dirty build reads it again, as it does any page missing here.
        stored = json.dumps(
            [
                [[link.line, link.col, link.target, link.kind] for link in facts.links],
                sorted(facts.anchors),
            ],
            separators=(",", ":"),
        )
        self.pages[page] = [
            self.key(page, text),
            looked,
            [[rule.tree_id, *_at(rule.read), rule.read.target] for rule in facts.rules],
            [[tree.id, *_at(tree.pos), *_at(tree.id_pos)] for tree in facts.trees],
            [[origin, p.path, p.line, p.col, p.message, p.key] for origin, p in facts.problems],
            _check_record(check),
            stored,
            None,
        ]
        self.used.add(page)

    def recheck(self, page: str, check: PageCheck) -> None:
        """Keep a new check of the links of a page taken from the cache."""
        entry = self.pages.get(page)
        if entry is not None:
            entry[5], entry[7] = _check_record(check), None

    def anchors_before(self, page: str) -> set[str] | None:
        """The anchors the cache holds for `page` (whatever its text now), or None."""
        self.load()
        entry = self.pages.get(page)
        return set(json.loads(entry[6])[1]) if entry is not None else None

    def keep_only(self, pages: Iterable[str]) -> None:
        """Forget pages the site no longer has, and any this build neither took nor put: a
        check kept for them could rest on anchors this build changed."""
        wanted = set(pages) & self.used
        self.pages = {page: entry for page, entry in self.pages.items() if page in wanted}

    def save(self) -> None:
        """Write the cache atomically; a folder that cannot be written is reported, no more."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_bytes(_written(self.layout, self.pages))
            os.replace(temporary, self.path)
            # The file of the earlier format (2), which nothing reads any more.
            (self.path.parent / "pages.json").unlink(missing_ok=True)
        except OSError as error:
            log.info(f"the handbook's cache {self.path} could not be written ({error})")


def _at(place: Link | Pos) -> tuple[int, int]:
    return place.line, place.col


def _check_record(check: PageCheck | None) -> list | None:
    if check is None:
        return None
    found = [[problem.line, problem.col, problem.message] for problem in check.problems]
    return [found, sorted(check.edges), sorted(check.anchored)]


def _written(layout: str | None, pages: dict[str, list]) -> bytes:
    """The cache file: a header line (format, and a digest of the rest), the layout, then a
    line per page: its record as JSON, a tab, its links and anchors as JSON. JSON text never
    holds a raw tab or line break, and an entry nothing changed keeps its line as read."""
    lines = [json.dumps(layout)]
    for page, entry in pages.items():
        if entry[7] is None:
            record = [page, *entry[:6]]
            entry[7] = f"{json.dumps(record, separators=(',', ':'))}\t{entry[6]}"
        lines.append(entry[7])
    body = "\n".join(lines).encode("utf-8")
    header = json.dumps({"format": FORMAT, "digest": hashlib.sha256(body).hexdigest()})
    return header.encode("utf-8") + b"\n" + body


def _read(raw: bytes) -> tuple[str | None, dict[str, list]]:
    """The layout and the entries of a cache file written by `_written`.

    The digest stands for the whole rest of the file, so an entry is either exactly as it was
    written or the file is refused whole; the entries' text is then trusted, and their links
    and anchors are read only when wanted.
    """
    head, _, body = raw.partition(b"\n")
    header = json.loads(head)
    if header.get("format") != FORMAT:
        raise ValueError("it was written by another version of the hooks")
    if header.get("digest") != hashlib.sha256(body).hexdigest():
        raise ValueError("it was damaged: its digest does not match its text")
    layout, *lines = body.decode("utf-8").split("\n")
    records, stored = [], []
    for line in lines:
        record, _, links_and_anchors = line.partition("\t")
        records.append(record)
        stored.append(links_and_anchors)
    pages = {}
    for line, links_and_anchors, record in zip(
        lines, stored, json.loads(f"[{','.join(records)}]"), strict=True
    ):
        page, key, looked, rules, trees, problems, check = record
        pages[page] = [key, looked, rules, trees, problems, check, links_and_anchors, line]
    return json.loads(layout), pages


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
