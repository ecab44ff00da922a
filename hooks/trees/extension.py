"""Decision trees for any Python-Markdown builder: the `trees.extension` Markdown extension.

Under MkDocs the hooks (hooks/handbook.py) read, check and draw every tree. A builder that
runs Python-Markdown extensions but no MkDocs hooks, such as Zensical, lists this module
under `markdown_extensions` instead (zensical.yml; not mkdocs.yml, where the hooks do it). It
runs the same code the hooks run, so a tree is drawn with the same HTML and walked by the same
script:

- a preprocessor, before any other, hands the page to `TreeSite.read_page` (the same block
  scanner, reader and checks), and registers ```decision-tree with pymdownx.superfences, which
  hands each tree fence it renders to `TreeSite.fence_html` for a placeholder;
- a postprocessor, after every other, settles the page's trees by its HTML
  (`TreeSite.confirm`) and swaps each placeholder for `TreeSite.draw`'s HTML: the tree, or the
  list of its problems in place of a tree that failed its checks.

What one page's conversion cannot do is left to `hooks/check.py`, which reads `docs/` and the
built site: checks across pages (a tree id used twice, broken links and anchors, the back-link
rule, orphan pages). Problems the extension finds are logged as warnings too, each with its
file, line and column.

`read` links show the title of the page they point to, read from that page's file the way
MkDocs reads it (nav title, else front matter `title`, else its first heading; a `#section`
adds the section's heading). Their href, like every link inside `help` and `body`, is left as
written: the builder rewrites it to the page's URL as it rewrites every link of the page.
"""

from __future__ import annotations

import functools
import html
import logging
import posixpath
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from pymdownx.superfences import (
    SuperFencesCodeExtension,
    _formatter,
    _reset,
    _validator,
    default_reset,
    default_validator,
)

from links.collect import line_offset
from links.index import normal_url
from pages import Source, read_source
from trees.fences import INFO
from trees.model import MarkdownText, ReadLink
from trees.site import TreeSite

log = logging.getLogger("handbook.trees")

NAME = "trees.extension"  # as listed under markdown_extensions


class TreeExtension(Extension):
    """Draw every ```decision-tree fence of a page as the MkDocs build draws it."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "docs_dir": ["docs", "The folder of the pages, for titles of `read` links"],
            "page": ["", "The page's path under docs_dir when the builder does not tell"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.registerExtension(self)
        self.md = md
        self.reset()
        # Before snippets (32) and whitespace normalisation (30): the page as the writer typed
        # it, which is what the MkDocs hooks read too, so positions agree.
        md.preprocessors.register(_Read(md, self), "decision_tree", 40)
        # After raw HTML is put back (30): the placeholders are in the HTML by then. toc also
        # runs the postprocessors over each heading while the tree is built; the page's HTML
        # is the one that comes after the last treeprocessor, which marks it.
        md.treeprocessors.register(_Rendered(md, self), "decision_tree", -100)
        md.postprocessors.register(_Draw(md, self), "decision_tree", 1)

    def reset(self) -> None:
        self.trees = TreeSite()
        self.page = ""
        self.rendered = False  # whether the postprocessors now see the whole page

    def fence(self, source: str, language: str, class_name: str, options, md, **kwargs) -> str:
        """pymdownx.superfences' formatter for ```decision-tree: the tree's placeholder, or
        plain code for a fence that holds no tree."""
        html = self.trees.fence_html(self.page, source)
        if html is not None:
            return html
        code = md.preprocessors["fenced_code_block"]
        return code.highlight(src=source, language=language, options=options, md=md, **kwargs)


class _Read(Preprocessor):
    """Read and check the page's trees, and have superfences hand their fences to us."""

    def __init__(self, md: markdown.Markdown, extension: TreeExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        ext = self.extension
        context = _zensical_context(self.md)
        if context is not None:
            root = Path(context.config.get("root_dir") or ".")
            ext.setConfig("docs_dir", str(root / (context.config.get("docs_dir") or "docs")))
            ext.page = context.page.path
        else:
            ext.page = ext.getConfig("page") or "page.md"
        _add_tree_fence(self.md, ext)
        text = "\n".join(lines)
        found = ext.trees.read_page(text, ext.page, _line_offset(ext, text))
        _report(found.problems)
        return found.markdown.split("\n")


class _Rendered(Treeprocessor):
    """Mark that what the postprocessors see next is the whole page."""

    def __init__(self, md: markdown.Markdown, extension: TreeExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: Element) -> None:
        self.extension.rendered = True


class _Draw(Postprocessor):
    """Settle the page's trees by its HTML and swap each placeholder for its tree."""

    def __init__(self, md: markdown.Markdown, extension: TreeExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        ext = self.extension
        if not ext.rendered:
            return text  # a heading's HTML, for toc
        ext.rendered = False
        _report(ext.trees.confirm(ext.page, text).problems)
        if not ext.trees.slots.get(ext.page):
            return text
        fields = _Fields(self.md, ext)
        return ext.trees.draw(ext.page, text, fields.markdown, fields.read_link)


def _report(problems: list) -> None:
    for problem in problems:
        log.warning(str(problem))


def _add_tree_fence(md: markdown.Markdown, ext: TreeExtension) -> None:
    """Register ```decision-tree with pymdownx.superfences, once per Markdown instance.

    So a tree is a tree exactly where Markdown renders a fence, as under the MkDocs hooks.
    """
    superfences = next(
        (other for other in md.registeredExtensions if isinstance(other, SuperFencesCodeExtension)),
        None,
    )
    if superfences is None:
        raise ValueError(
            "decision trees need pymdownx.superfences: add it under markdown_extensions"
        )
    if any(fence["name"] == INFO for fence in superfences.superfences):
        return
    superfences.extend_super_fences(
        INFO,
        functools.partial(_formatter, class_name=INFO, _fmt=ext.fence),
        functools.partial(_validator, validator=default_validator),
        functools.partial(_reset, _reset=default_reset),
    )


def _zensical_context(md: markdown.Markdown) -> Any:
    """Zensical's rendering context (the page and the site's configuration), if any."""
    for processor in md.preprocessors:
        if type(processor).__name__ == "ContextPreprocessor" and hasattr(processor, "page"):
            return processor
    return None


def _line_offset(ext: TreeExtension, text: str) -> int:
    """Lines of the page file above `text` (the front matter the builder took off)."""
    source = _source(Path(ext.getConfig("docs_dir")) / ext.page)
    return line_offset(source.text, text) if source is not None else 0


class _Fields:
    """Renders one page's tree fields and `read` links, as trees.fields does under MkDocs."""

    def __init__(self, md: markdown.Markdown, ext: TreeExtension) -> None:
        self.ext = ext
        self.docs = Path(ext.getConfig("docs_dir"))
        context = _zensical_context(md)
        if context is not None:
            names, configs = context.config["markdown_extensions"], context.config["mdx_configs"]
            names = [name for name in names if _is_other(name)]
            self._extensions = lambda: names
            self.configs = {name: configs.get(name, {}) for name in names}
            self.nav_titles = dict(_nav_titles(context.config.get("nav") or []))
        else:
            # A builder that tells nothing: the extensions that registered themselves, made
            # afresh for each Markdown instance (an extension keeps the one it extends).
            kinds = [
                (type(other), other.getConfigs())
                for other in md.registeredExtensions
                if _is_other(other)
            ]
            self._extensions = lambda: [kind(**configs) for kind, configs in kinds]
            self.configs = {}
            self.nav_titles = {}
        # Tree fields are text a writer types into YAML: raw HTML in them is shown as typed,
        # never obeyed (as in trees.fields).
        self._md = self._new_markdown()
        self._md.preprocessors.deregister("html_block")
        self._md.inlinePatterns.deregister("html")

    def _new_markdown(self) -> markdown.Markdown:
        return markdown.Markdown(extensions=self._extensions(), extension_configs=self.configs)

    def markdown(self, text: MarkdownText) -> str:
        """The HTML of one Markdown field."""
        self._md.reset()
        return self._md.convert(text.text)

    def read_link(self, link: ReadLink) -> tuple[str, str]:
        """The href and text of a `read` entry: the target page's title, and its section."""
        # The same page and section whether the link is percent-encoded or typed as is.
        path, _, anchor = (normal_url(part) for part in link.target.partition("#"))
        target = _join(self.ext.page, path) if path else self.ext.page
        if target is None or not target.endswith(".md"):
            return link.target, link.target
        facts = _page_facts(self.docs / target, self._new_markdown)
        if facts is None:
            return link.target, link.target  # a broken link: hooks/check.py reports it
        title = self.nav_titles.get(target) or facts.title or _file_title(target)
        section = facts.sections.get(anchor) if anchor else None
        # The builder rewrites a link to a page file as it rewrites every link of the page;
        # a section of this very page is a plain in-page link, as trees.fields writes it.
        href = f"#{anchor}" if target == self.ext.page and anchor else link.target
        return href, f"{title}: {section}" if section else title


def _is_other(extension: object) -> bool:
    """Whether an entry of `markdown_extensions` is another extension than this one."""
    if isinstance(extension, str):
        return extension not in (NAME, __name__)
    return not isinstance(extension, TreeExtension) and type(extension).__name__ != (
        "ContextExtension"
    )


def _join(page: str, path: str) -> str | None:
    """A link's path, relative to `page`, as a path under docs/ (None outside docs/)."""
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    return None if joined.startswith("..") else joined


def _nav_titles(nav: list) -> Iterator[tuple[str, str]]:
    """(page, title) for every page the nav gives a title (Zensical's form of `nav`)."""
    for item in nav:
        if isinstance(item, list):
            yield from _nav_titles(item)
        elif isinstance(item, Mapping):
            if item.get("title") and item.get("url"):
                yield str(item["url"]), str(item["title"])
            yield from _nav_titles(item.get("children") or [])


def _file_title(path: str) -> str:
    """MkDocs' title for a page with no title of its own: its file name, or Home."""
    if path == "index.md":
        return "Home"
    name = Path(path).stem
    if name in ("index", "README"):
        name = Path(path).parent.name or name
    title = name.replace("-", " ").replace("_", " ")
    return title.capitalize() if title.lower() == title else title


class _PageFacts:
    """What a `read` link shows of its target: the page's own title and its sections."""

    def __init__(self, title: str | None, sections: dict[str, str]) -> None:
        self.title = title
        self.sections = sections


_lock = threading.Lock()
_sources: dict[Path, tuple[float, Source | None]] = {}
_facts: dict[Path, tuple[float, _PageFacts | None]] = {}


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


def _source(path: Path) -> Source | None:
    """A page file read as MkDocs reads it, cached until the file changes."""
    mtime = _mtime(path)
    if mtime is None:
        return None
    with _lock:
        cached = _sources.get(path)
    if cached is not None and cached[0] == mtime:
        return cached[1]
    try:
        source: Source | None = read_source(path)
    except (OSError, UnicodeDecodeError):
        source = None
    with _lock:
        _sources[path] = (mtime, source)
    return source


def _page_facts(path: Path, new_markdown: Any) -> _PageFacts | None:
    """The title and section headings of the page at `path`, rendered as the builder would."""
    mtime = _mtime(path)
    with _lock:
        cached = _facts.get(path)
    if cached is not None and cached[0] == mtime:
        return cached[1]
    source = _source(path)
    facts = None
    if source is not None:
        md = new_markdown()
        body = md.convert(source.markdown)
        tokens = getattr(md, "toc_tokens", [])
        sections = dict(_sections(tokens))
        # MkDocs takes a page's title from its first heading only when the page opens with it.
        first = tokens[0] if tokens and body.lstrip().startswith("<h1") else None
        title = source.meta.get("title") or (html.unescape(first["name"]) if first else None)
        facts = _PageFacts(str(title) if title is not None else None, sections)
    with _lock:
        _facts[path] = (mtime or 0.0, facts)
    return facts


def _sections(tokens: list[dict]) -> Iterator[tuple[str, str]]:
    for token in tokens:
        yield token["id"], html.unescape(token["name"])
        yield from _sections(token["children"])


def makeExtension(**kwargs: Any) -> TreeExtension:
    """The extension, as Python-Markdown loads it from its name."""
    return TreeExtension(**kwargs)
