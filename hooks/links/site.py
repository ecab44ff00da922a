"""Every link of one build: gathered page by page, checked once the whole site is rendered.

`LinkSite` is what the hook file holds between MkDocs events. It turns MkDocs' pages and
files into the plain inputs of `check_site`, so the checking itself stays free of MkDocs.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from links.check import check_site
from links.collect import collect_links, collect_nav_links
from links.index import anchors_in, build_index
from links.model import BackLinkRule, Link
from markdown_blocks import Blocks
from problems import Problem, page_path

if TYPE_CHECKING:  # hooks/check.py runs without MkDocs
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files


@dataclass
class LinkSite:
    """The links, anchors and back-link rules of one build."""

    links: list[Link] = field(default_factory=list)
    anchors: dict[str, set[str]] = field(default_factory=dict)
    rules: list[BackLinkRule] = field(default_factory=list)

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
        return check_site(
            self.links,
            collect_nav_links(config_text),
            self.rules,
            build_index(pages, static, self.anchors),
            site_url=site_url,
            nav_pages=nav_pages,
        )


def _splits(target: str) -> bool:
    try:
        urlsplit(target)
    except ValueError:
        return False
    return True
