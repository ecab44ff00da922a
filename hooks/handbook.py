"""The handbook's MkDocs hooks: thin event handlers over the trees and links packages.

MkDocs puts this file's folder on sys.path only while it loads the hook, so sibling
packages are imported here at the top, never lazily inside a handler.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from links.collect import line_offset
from links.site import LinkSite
from problems import Problem
from trees.fields import FieldRenderer
from trees.site import TreeSite

log = logging.getLogger("mkdocs.hooks.handbook")


class _Build:
    """What one build gathers from its pages; `on_config` starts a fresh one."""

    def __init__(self) -> None:
        self.links = LinkSite()
        self.trees = TreeSite(display_path=lambda page: f"docs/{page}")


_build = _Build()


def _report(problems: Iterable[Problem]) -> None:
    # Warnings, so `mkdocs build --strict` fails and `mkdocs serve` keeps serving.
    for problem in problems:
        log.warning(str(problem))


def on_config(config):
    global _build
    _build = _Build()  # `mkdocs serve` rebuilds in the same process: forget the last build
    return config


def on_page_markdown(markdown, page, config, files):
    # Read before anything rewrites the Markdown, so lines match the file the writer edits.
    src, offset = page.file.src_uri, line_offset(page.file.content_string, markdown)
    _build.links.read_page(markdown, src, offset)
    found = _build.trees.read_page(markdown, src, offset)
    _report(found.problems)
    _build.links.add(src, found.links, found.anchors, found.rules)
    return found.markdown


def on_page_content(html, page, config, files):
    _build.links.read_html(page.file.src_uri, html)
    return html


def on_env(env, config, files):
    _report(_build.trees.check())
    # Trees are drawn now, not while their page renders: `read` links show the titles of
    # pages that may be rendered after the tree's own.
    _build.trees.draw_all(files, FieldRenderer(config, files))
    _report(_build.links.check(config, files))
    return env
