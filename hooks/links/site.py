"""Every link of one build: gathered page by page, checked once the whole site is rendered.

`LinkSite` is what the hook file holds between MkDocs events. It turns MkDocs' pages and
files into the plain inputs of the checker (links/check.py), so the checking itself stays free
of MkDocs. In a dirty build it also holds the pages taken from the cache, and checks again
only the links whose answers may have changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

from links.check import PageCheck, check_pages, site_problems
from links.collect import collect_links, collect_nav_links
from links.index import SiteIndex, anchors_in
from links.model import BackLinkRule, Link
from markdown_blocks import Blocks
from problems import Problem, page_path

if TYPE_CHECKING:  # hooks/check.py runs without MkDocs
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files


class Kept(Protocol):
    """A page a dirty build took from the cache: its rules and the last check of its links at
    once, its links and anchors only when asked for."""

    rules: list[BackLinkRule]
    check: PageCheck | None  # None: its links are checked again

    def links(self) -> list[Link]: ...

    def anchors(self) -> set[str]: ...


class Memory(Protocol):
    """What the cache of earlier builds says about them (see page_facts.py)."""

    layout: str | None  # the layout every kept check was made against

    def anchors_before(self, page: str) -> set[str] | None: ...


@dataclass
class LinkSite:
    """The links, anchors and back-link rules of one build."""

    links: list[Link] = field(default_factory=list)
    anchors: dict[str, set[str]] = field(default_factory=dict)
    rules: list[BackLinkRule] = field(default_factory=list)
    kept: dict[str, Kept] = field(default_factory=dict)  # pages taken from the cache
    memory: Memory | None = None  # the cache the kept pages come from
    # Set by `check`: the site's layout, and each page's check made by this build (pages whose
    # kept check was taken as it was are not among them).
    layout: str = ""
    checks: dict[str, PageCheck] = field(default_factory=dict)

    def read_page(
        self, markdown: str, page: str, line_offset: int = 0, blocks: Blocks | None = None
    ) -> list[Problem]:
        """Collect a page's links; `line_offset` counts the front-matter lines MkDocs removed.

        `blocks` is the scan of the page padded with those lines, when the caller has one.
        Returns the links MkDocs itself cannot render (it crashes on a URL such as
        `http://[::1`), which must stop the build before MkDocs renders the page.
        """
        fatal = []
        for link in collect_links("\n" * line_offset + markdown, page, blocks):
            self.links.append(link)
            if link.kind != "html" and not _splits(link.target):
                fatal.append(
                    Problem(
                        page_path(page),
                        link.line,
                        link.col,
                        f"broken link '{link.target}': it is not a valid URL; check its "
                        "brackets and slashes",
                    )
                )
        return fatal

    def add(
        self,
        page: str,
        links: Iterable[Link],
        anchors: Iterable[str],
        rules: Iterable[BackLinkRule],
    ) -> None:
        """Links, anchors and rules that a page's Markdown does not show (its decision trees)."""
        self.links.extend(links)
        self.anchors.setdefault(page, set()).update(anchors)
        self.rules.extend(rules)

    def keep(self, page: str, kept: Kept) -> None:
        """A page taken from the cache: its links are checked again only if their answers may
        have changed."""
        self.kept[page] = kept
        self.rules.extend(kept.rules)

    def read_html(self, page: str, html: str, anchors: set[str] | None = None) -> None:
        """Index the anchors of a page's rendered HTML (`anchors`: those already read of it)."""
        found = anchors_in(html) if anchors is None else anchors
        self.anchors.setdefault(page, set()).update(found)

    def check(self, config: MkDocsConfig, files: Files) -> list[Problem]:
        """Every link problem of the site: broken links and anchors, back-links, orphans."""
        included = [file for file in files if file.inclusion.is_included()]
        pages = {file.src_uri: file.url for file in included if file.is_documentation_page()}
        static = {file.src_uri: file.url for file in included if not file.is_documentation_page()}
        not_in_nav = [file.src_uri for file in included if not file.inclusion.is_in_nav()]
        config_text = Path(config.config_file_path).read_text(encoding="utf-8")
        return self.check_files(
            pages,
            static,
            None if config.nav is None else not_in_nav,
            config_text,
            config.site_url or "",
        )

    def check_files(
        self,
        pages: Mapping[str, str],
        static: Mapping[str, str],
        nav_pages: Collection[str] | None,
        config_text: str,
        site_url: str,
    ) -> list[Problem]:
        """The same, from plain inputs: page and file paths with their URLs, the pages kept
        out of the nav (None when mkdocs.yml has no `nav`), mkdocs.yml's text and site_url."""
        self.layout = _layout(pages, static, site_url)
        taken = self._taken(pages)
        links = [*self.links, *collect_nav_links(config_text)]
        for page, kept in self.kept.items():
            if page not in taken:
                links += kept.links()
        index = SiteIndex(dict(pages), dict(static), _Anchors(self.anchors, self.kept))
        checks = check_pages(links, index, site_url)
        self.checks = {page: checks.get(page) or PageCheck() for page in pages if page not in taken}
        return site_problems({**checks, **taken}, self.rules, index, nav_pages)

    def _taken(self, pages: Iterable[str]) -> dict[str, PageCheck]:
        """The kept pages whose last check is this build's answer too: the site's layout is
        the one it was made against, and no page whose anchors it looked up has other anchors
        now. Every other page's links are checked again."""
        memory = self.memory
        if not self.kept or memory is None or memory.layout != self.layout:
            return {}
        changed = {
            page
            for page in pages
            if page not in self.kept
            and memory.anchors_before(page) != self.anchors.get(page, set())
        }
        return {
            page: kept.check
            for page, kept in self.kept.items()
            if kept.check is not None and changed.isdisjoint(kept.check.anchored)
        }


class _Anchors(Mapping[str, Collection[str]]):
    """The anchors of every page: of those this build read, and of kept pages, read from the
    cache the first time a link to one of them names an anchor."""

    def __init__(self, read: Mapping[str, set[str]], kept: Mapping[str, Kept]) -> None:
        self._read = read
        self._kept = kept
        self._taken: dict[str, set[str]] = {}

    def __getitem__(self, page: str) -> set[str]:
        ids = self._read.get(page)
        if ids is None:
            ids = self._taken.get(page)
            if ids is None:
                ids = self._taken[page] = self._kept[page].anchors()
        return ids

    def __iter__(self) -> Iterator[str]:
        return iter(self._read.keys() | self._kept.keys())

    def __len__(self) -> int:
        return len(self._read.keys() | self._kept.keys())


def _layout(pages: Mapping[str, str], static: Mapping[str, str], site_url: str) -> str:
    """A digest of everything a link's landing rests on besides anchors: every page and file
    with its URL, and site_url."""
    text = json.dumps([site_url, sorted(pages.items()), sorted(static.items())])
    return hashlib.sha256(text.encode()).hexdigest()


def _splits(target: str) -> bool:
    try:
        urlsplit(target)
    except ValueError:
        return False
    return True
