"""The handbook's MkDocs hooks: thin event handlers over the trees and links packages.

MkDocs puts this file's folder on sys.path only while it loads the hook, so sibling
packages are imported here at the top, never lazily inside a handler.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from mkdocs.exceptions import BuildError, PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

import github_actions
from links import check as link_check
from links.collect import line_offset
from links.site import LinkSite
from markdown_blocks import scan
from page_facts import FactCache, PageFacts, TreeRef, seen
from problems import Problem, page_path
from security.policy import ROBOTS_TXT, SitePolicy, public_setting
from security.unsafe import find_unsafe_html
from trees import render as tree_render
from trees.fences import INFO
from trees.fields import FieldRenderer
from trees.model import Tree
from trees.site import TreeSite, put_charts

log = logging.getLogger("mkdocs.hooks.handbook")
_serving = False  # `mkdocs serve`, told once by on_startup
_policy = SitePolicy()  # what every page of this build carries; on_files sets it


class _Build:
    """What one build gathers from its pages; `on_config` starts a fresh one."""

    def __init__(self) -> None:
        self.links = LinkSite()
        self.trees = TreeSite()
        self.reading: str | None = None  # the page Python-Markdown is rendering
        self.page: str | None = None  # the page whose events are running
        # The pages this build rendered, each with its file's text as read once (MkDocs reads
        # the file from disk again on every `content_string`).
        self.sources: dict[str, str] = {}
        self.page_problems: dict[str, list[tuple[str, Problem]]] = {}
        self.remembered: dict[str, list[Tree]] = {}  # trees of pages taken from the cache
        self.cache: FactCache | None = None
        # Each page's file as it looked just before the build read it, kept with its facts.
        self.looked: dict[str, list[int] | None] = {}


_build = _Build()
_messages: github_actions.BuildMessages | None = None  # under GitHub Actions only


def _report(problems: Iterable[Problem], origin: str) -> None:
    # Warnings, so `mkdocs build --strict` fails and `mkdocs serve` keeps serving. The problem
    # and what found it go along for GitHub's annotations (github_actions.py).
    for problem in problems:
        log.warning(str(problem), extra={"problem": problem, "origin": origin})
        if _build.page is not None:  # kept with the page's facts for dirty builds
            _build.page_problems.setdefault(_build.page, []).append((origin, problem))


Handler = TypeVar("Handler", bound=Callable[..., object])


def _no_traceback(handler: Handler) -> Handler:
    """Turn a fault in the hooks themselves into one clear line, never a traceback.

    Writers' mistakes are reported as problems; this catches only what should never happen,
    names the page, and keeps the traceback for `mkdocs build --verbose`.
    """

    @functools.wraps(handler)
    def guarded(*args: object, **kwargs: object) -> object:
        try:
            return handler(*args, **kwargs)
        except PluginError:
            raise
        except Exception as error:
            page = kwargs.get("page")
            where = f" while reading docs/{page.file.src_uri}" if page is not None else ""
            log.debug("the handbook's hooks failed", exc_info=True)
            raise PluginError(
                f"the handbook's hooks failed{where}: {type(error).__name__}: {error}. "
                "This is a fault in hooks/, not in your page: run `mkdocs build --verbose` "
                "for the details and report them."
            ) from error

    return guarded  # type: ignore[return-value]


@event_priority(100)  # first, so the messages of every plugin's on_config are gathered too
@_no_traceback
def on_config(config):
    global _build, _messages
    _build = _Build()  # `mkdocs serve` rebuilds in the same process: forget the last build
    _build.cache = _fact_cache(config)
    _build.links.memory = _build.cache  # what the kept pages' link checks were made against
    _add_tree_fence(config)
    _messages = github_actions.attach(config.strict, os.environ)
    return config


@_no_traceback
def on_startup(command, dirty):
    global _serving
    _serving = command == "serve"


@_no_traceback
def on_files(files, config):
    global _policy
    try:
        public = public_setting(config.extra)
    except ValueError as error:
        raise PluginError(f"mkdocs.yml: {error}") from None
    config_text = Path(config.config_file_path).read_text(encoding="utf-8")
    _policy = SitePolicy(serving=_serving, public=public, config_text=config_text)
    if not public:  # an internal handbook asks every crawler to stay out, whatever docs/ holds
        if (own := files.get_file_from_path("robots.txt")) is not None:
            files.remove(own)
        files.append(File.generated(config, "robots.txt", content=ROBOTS_TXT))
    return files


def _add_tree_fence(config) -> None:
    """Have pymdownx.superfences hand every ```decision-tree fence it renders to the trees.

    So a tree is a tree exactly where Markdown renders a fence; a fence it shows as code
    (inside an indented code block) keeps its text, and no placeholder can reach a reader.
    """
    if "pymdownx.superfences" not in config.markdown_extensions:
        raise PluginError(
            "mkdocs.yml: decision trees need pymdownx.superfences: add it under markdown_extensions"
        )
    options = config.mdx_configs.setdefault("pymdownx.superfences", {})
    custom = [fence for fence in options.get("custom_fences", []) if fence.get("name") != INFO]
    options["custom_fences"] = [*custom, {"name": INFO, "class": INFO, "format": _tree_fence}]


def _tree_fence(source, language, class_name, options, md, **kwargs):
    """superfences' formatter for ```decision-tree: the tree's placeholder, or plain code for
    a fence that holds no tree (and for fences in tree fields, which show code)."""
    page = _build.reading
    html = _build.trees.fence_html(page, source) if page is not None else None
    if html is not None:
        return html
    code = md.preprocessors["fenced_code_block"]
    return code.highlight(src=source, language=language, options=options, md=md, **kwargs)


@_no_traceback
def on_page_read_source(page, config):
    # The hooks need each page's text as written (front-matter lines, the cache key, the page
    # policy): read once here and handed to MkDocs, which would otherwise read the file again.
    # A file that cannot be read is left to MkDocs, which says so in its own words.
    # What the file looks like just before its text is read: the cache keeps the page's facts
    # under that text.
    looked = seen(page.file.abs_src_path)
    try:
        source = page.file.content_string
    except (OSError, ValueError):
        return None
    _build.sources[page.file.src_uri] = source
    _build.looked[page.file.src_uri] = looked
    return source


@_no_traceback
def on_page_markdown(markdown, page, config, files):
    # Read before anything rewrites the Markdown, so lines match the file the writer edits.
    src = page.file.src_uri
    source = _build.sources.get(src)
    if source is None:  # not read by on_page_read_source
        _build.looked[src] = seen(page.file.abs_src_path)
        source = page.file.content_string
    offset = line_offset(source, markdown)
    _build.page = src
    _build.sources[src] = source
    # One scan of the page's blocks serves links and trees alike.
    blocks = scan("\n" * offset + markdown)
    unrenderable = _build.links.read_page(markdown, src, offset, blocks)
    if unrenderable:
        raise PluginError("\n".join(str(problem) for problem in unrenderable))
    unsafe = find_unsafe_html(markdown, src, offset, config.site_url or "", blocks)
    _report(unsafe, "Page HTML")
    found = _build.trees.read_page(markdown, src, offset, blocks)
    _report(found.problems, "Decision tree")
    _build.reading = src
    return found.markdown


@_no_traceback
def on_page_content(html, page, config, files):
    src, _build.reading = page.file.src_uri, None
    # Markdown has rendered the page: its trees are the fences it rendered.
    found = _build.trees.confirm(src, html)
    _report(found.problems, "Decision tree")
    _build.links.add(src, found.links, found.anchors, found.rules)
    _build.links.read_html(src, html, found.html_anchors)  # read once when it holds a tree
    _build.page = None
    return html


@_no_traceback
def on_post_page(output, page, config):
    src = page.file.src_uri
    source = _build.sources.pop(src, None)  # its last use: let it go
    output = _policy.apply(output, page.content or "", source or page.file.content_string)
    charts = _build.trees.charts.pop(src, None)  # kept out of the search index's way
    if not charts:
        return output
    try:
        return put_charts(output, charts)
    except ValueError:
        raise PluginError(
            f"{page_path(src)}: the page's flowchart could not be put back before the page "
            "was written: a plugin's on_post_page, run before the handbook's hooks, removed "
            "the HTML comment that holds its place; run that plugin after the hooks (a lower "
            "event priority) or leave HTML comments in the page as they are"
        ) from None


@_no_traceback
def on_post_template(output_content, template_name, config):
    # 404.html and other theme-only pages; sitemap.xml is no page.
    return _policy.apply(output_content) if template_name.endswith(".html") else output_content


@_no_traceback
def on_env(env, config, files):
    with _no_cycle_collection():
        return _site_wide(env, config, files)


_paused_here = False  # the cycle collector is paused by `_no_cycle_collection`


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while the site-wide work runs.

    That work makes tens of thousands of objects (a dirty build's facts from the cache, each
    link's landing, the trees' drawing), and every 700 of them start a collection; with
    every page of the site in memory by then, the older generations' collections walk all of
    it, for nothing: these objects form no cycles, and reference counting frees what is left
    over. At 1,000 pages that was a fifth to a third of this event in a dirty build. The
    collector runs as usual afterwards, so anything it would have freed is freed then.
    """
    global _paused_here
    if not gc.isenabled():  # paused by someone else: leave it so
        yield
        return
    gc.disable()
    _paused_here = True
    try:
        yield
    finally:
        _paused_here = False
        gc.enable()


@contextlib.contextmanager
def _cycle_collection() -> Iterator[None]:
    """The collector running again within `_no_cycle_collection`, for work that does make
    cycles: MkDocs renders each page with a Markdown instance of its own, full of them."""
    if not _paused_here:
        yield
        return
    gc.enable()
    try:
        yield
    finally:
        gc.disable()


def _site_wide(env, config, files):
    # A dirty build renders only changed pages: the others' facts come from the cache.
    _remember_unrendered(config, files)
    _report(_build.trees.check(_site_trees(files)), "Decision tree")
    # Trees are drawn now, not while their page renders: `read` links show the titles of
    # pages that may be rendered after the tree's own.
    drawn = _build.trees.draw_all(files, FieldRenderer(config, files))
    for src, html in drawn:  # anchors from the final HTML, trees and all
        _build.links.read_html(src, html)
    # Checked before the facts are stored: a page's facts keep what its links were found to be.
    _report(_build.links.check(config, files), "Link")
    _store_facts(files)
    _let_go()
    return env


def _let_go() -> None:
    """Free what the site-wide checks needed, before MkDocs writes every page and the search
    index: only the pages' texts and charts stay, each until its page is written
    (`on_post_page`)."""
    global _build
    sources, charts = _build.sources, _build.trees.charts
    _build = _Build()
    _build.sources, _build.trees.charts = sources, charts
    for remembered in (link_check._join, link_check._folder, tree_render._num, tree_render._e):
        remembered.cache_clear()  # answers about this build's paths and charts


def _fact_cache(config) -> FactCache | None:
    """The on-disk facts of earlier builds, next to mkdocs.yml (see page_facts.py)."""
    if not config.config_file_path:
        return None
    config_file = Path(config.config_file_path)
    snippets = config.mdx_configs.get("pymdownx.snippets", {})
    base = Path(snippets.get("base_path", ".") or ".")
    appended = []
    for name in snippets.get("auto_append", []):  # text every page ends with
        path = base / name if base.is_absolute() else config_file.parent / base / name
        appended.append(path.read_text(encoding="utf-8") if path.is_file() else "")
    text = config_file.read_text(encoding="utf-8")
    return FactCache(config_file.parent / ".cache" / "handbook", text, appended)


def _remember_unrendered(config, files) -> None:
    """Take each page this build did not render from the cache, or read it now."""
    for file in files.documentation_pages():
        src = file.src_uri
        if src in _build.sources or file.page is None:
            continue
        read = lambda file=file: file.content_string  # noqa: E731 - only if the file changed
        kept = _build.cache.get(src, read, file.abs_src_path) if _build.cache else None
        if kept is None:  # not in the cache: read it as a full build would
            with _cycle_collection():
                page = file.page
                page.read_source(config)
                markdown = on_page_markdown(page.markdown, page=page, config=config, files=files)
                page.markdown = markdown
                page.render(config, files)
                page.content = on_page_content(page.content, page=page, config=config, files=files)
            continue
        _build.links.keep(src, kept)
        _build.remembered[src] = [
            Tree(id=t.id, title="", start="", nodes={}, page=src, pos=t.pos, id_pos=t.id_pos)
            for t in kept.trees
        ]
        for origin, problem in kept.problems:
            _report([problem], origin)


def _site_trees(files) -> list[Tree]:
    """Every tree of the site, page by page in the order a full build reads them."""
    by_page: dict[str, list[Tree]] = dict(_build.remembered)
    for tree in _build.trees.trees():
        by_page.setdefault(tree.page, []).append(tree)
    return [tree for file in files.documentation_pages() for tree in by_page.get(file.src_uri, ())]


def _store_facts(files) -> None:
    """Keep what each rendered page told this build, and each new check of a kept page's
    links, for the dirty builds that follow."""
    if _build.cache is None:
        return
    facts = {src: PageFacts() for src in _build.sources}
    for link in _build.links.links:
        if link.source in facts:
            facts[link.source].links.append(link)
    for rule in _build.links.rules:
        if rule.tree_page in facts:
            facts[rule.tree_page].rules.append(rule)
    for tree in _build.trees.trees():
        if tree.page in facts:
            facts[tree.page].trees.append(TreeRef(tree.id, tree.pos, tree.id_pos or tree.pos))
    pages = [file.src_uri for file in files.documentation_pages()]
    for src in pages:
        if src in facts:
            facts[src].anchors = _build.links.anchors.get(src, set())
            facts[src].problems = _build.page_problems.get(src, [])
            check = _build.links.checks.get(src)
            _build.cache.put(src, _build.sources[src], facts[src], _build.looked.get(src), check)
        elif src in _build.links.checks:
            _build.cache.recheck(src, _build.links.checks[src])
    _build.cache.layout = _build.links.layout
    _build.cache.keep_only(pages)
    _build.cache.save()


@event_priority(-100)  # last, so the messages of every plugin's on_post_build are gathered too
@_no_traceback
def on_post_build(config):
    # A strict build with warnings aborts after this event, and nothing is logged after it.
    if _messages is not None:
        _messages.finish("failed" if config.strict and _messages.messages else "passed")
        github_actions.detach(_messages)


@_no_traceback
def on_build_error(error):
    # Also called with the strict build's abort, after on_post_build reported everything.
    if _messages is not None and not _messages.finished:
        _messages.stop(error, isinstance(error, BuildError))
        _messages.finish("stopped")
        github_actions.detach(_messages)
