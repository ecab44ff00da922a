"""The handbook's MkDocs hooks: thin event handlers over the trees and links packages.

MkDocs puts this file's folder on sys.path only while it loads the hook, so sibling
packages are imported here at the top, never lazily inside a handler.
"""

from __future__ import annotations

import logging
from pathlib import Path

from links.check import check_site
from links.collect import collect_links, collect_nav_links, line_offset
from links.index import anchors_in, build_index
from links.model import BackLinkRule, Link
from trees.fields import FieldRenderer
from trees.site import TreeSite

log = logging.getLogger("mkdocs.hooks.handbook")


class _BuildState:
    """What one build gathers from its pages; `on_config` starts a fresh one."""

    def __init__(self) -> None:
        self.links: list[Link] = []
        self.anchors: dict[str, set[str]] = {}
        self.rules: list[BackLinkRule] = []
        self.trees = TreeSite(display_path=lambda page: f"docs/{page}")


_state = _BuildState()


def add_links(links: list[Link]) -> None:
    """Check these links too (tree `read` entries, links in `help`/`body`), at file positions."""
    _state.links.extend(links)


def add_anchors(page: str, anchors: set[str]) -> None:
    """Ids a page defines that are not in the HTML on_page_content sees (e.g. tree nodes)."""
    _state.anchors.setdefault(page, set()).update(anchors)


def add_back_link_rules(rules: list[BackLinkRule]) -> None:
    """Require each rule's `read` page to link back to the page holding the tree."""
    _state.rules.extend(rules)


def on_config(config):
    global _state
    _state = _BuildState()  # `mkdocs serve` rebuilds in the same process: forget the last one
    return config


def on_page_markdown(markdown, page, config, files):
    # Collect before anything rewrites the Markdown, so lines match the file the writer edits.
    offset = line_offset(page.file.content_string, markdown)
    for link in collect_links(markdown, page.file.src_uri):
        _state.links.append(Link(link.source, link.line + offset, link.col, link.target, link.kind))
    found = _state.trees.read_page(markdown, page.file.src_uri, offset)
    for problem in found.problems:
        log.warning(str(problem))
    add_links(found.links)
    add_anchors(page.file.src_uri, found.anchors)
    add_back_link_rules(found.rules)
    return found.markdown


def on_page_content(html, page, config, files):
    add_anchors(page.file.src_uri, anchors_in(html))
    return html


def on_env(env, config, files):
    for problem in _state.trees.check():
        log.warning(str(problem))
    # Trees are drawn now, not while their page renders: `read` links show the titles of
    # pages that may be rendered after the tree's own.
    fields = FieldRenderer(config, files)
    for page in files.documentation_pages():
        if page.page is not None and page.page.content is not None:
            draw = fields.for_page(page.page)
            page.page.content = _state.trees.draw(
                page.src_uri, page.page.content, draw.markdown, draw.read_link
            )
    included = [file for file in files if file.inclusion.is_included()]
    pages = {file.src_uri: file.url for file in included if file.is_documentation_page()}
    static = {file.src_uri: file.url for file in included if not file.is_documentation_page()}
    not_in_nav = [file.src_uri for file in included if not file.inclusion.is_in_nav()]
    config_text = Path(config.config_file_path).read_text(encoding="utf-8")
    problems = check_site(
        _state.links,
        collect_nav_links(config_text),
        _state.rules,
        build_index(pages, static, _state.anchors),
        site_url=config.site_url or "",
        nav_pages=None if config.nav is None else not_in_nav,
    )
    for problem in problems:
        log.warning(str(problem))
    return env
