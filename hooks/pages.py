"""Pages as files on disk: their front matter, their Markdown and the URL a build gives them.

MkDocs hands the hooks each page already read. The Markdown extension (under any builder) and
`hooks/check.py` read pages themselves, and must read them as MkDocs does, so that a line
number, a page title or a URL means the same thing in every message.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import yaml

# MkDocs' own patterns for front matter (mkdocs.utils.meta): YAML, else MultiMarkdown.
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.UNICODE | re.DOTALL)
_META = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
_META_MORE = re.compile(r"^([ ]{4}|\t)(\s*)(?P<value>.*)")


@dataclass(frozen=True)
class Source:
    """One page file: its front matter, and the Markdown after it as MkDocs passes it on."""

    text: str  # the whole file, line endings made "\n"
    meta: dict
    markdown: str
    line_offset: int  # lines of the file above `markdown`


def read_source(path: Path) -> Source:
    """Read a page file the way MkDocs does (UTF-8, an optional BOM, any line endings)."""
    return split_source(path.read_text(encoding="utf-8-sig"))


def split_source(text: str) -> Source:
    """Split a page's text into front matter and Markdown, as MkDocs' `meta.get_data` does."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    match = _FRONT_MATTER.match(text)
    if match:
        try:
            loaded = yaml.safe_load(match.group(1))
        except yaml.YAMLError:
            loaded = None
        meta, markdown = ({}, text)
        if isinstance(loaded, dict):
            meta, markdown = loaded, text[match.end() :].lstrip("\n")
    else:
        meta, markdown = _multimarkdown_meta(text)
    offset = text.count("\n", 0, len(text) - len(markdown))
    return Source(text, meta, markdown, offset)


def page_url(path: str, directory_urls: bool = True) -> str:
    """The URL MkDocs gives the page at `path` under docs/ (`File.url`): "fit/focus/", "./"."""
    stem, _ = posixpath.splitext(path)
    folder, name = posixpath.split(stem)
    if name in ("index", "README"):
        url = f"{folder}/index.html" if folder else "index.html"
    else:
        url = f"{stem}/index.html" if directory_urls else f"{stem}.html"
    folder, name = posixpath.split(url)
    if directory_urls and name == "index.html":
        url = (folder or ".") + "/"
    return quote(url)


def _multimarkdown_meta(text: str) -> tuple[dict, str]:
    """`Key: value` lines at the top of a page, up to the first blank line (MultiMarkdown)."""
    meta: dict = {}
    lines = text.split("\n")
    key = None
    while lines:
        line = lines.pop(0)
        if not line.strip():
            break
        if start := _META.match(line):
            key = start["key"].lower().strip()
            value = start["value"].strip()
            meta[key] = f"{meta[key]} {value}" if key in meta else value
        elif (more := _META_MORE.match(line)) and key:
            meta[key] += f" {more['value'].strip()}"
        else:
            lines.insert(0, line)
            break
    return meta, "\n".join(lines).lstrip("\n")
