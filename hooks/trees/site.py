"""Every decision tree of one build: read from pages, checked site-wide, drawn into pages.

A build meets a tree three times. While MkDocs reads a page, `TreeSite.read_page` finds its
tree fences with the shared block scanner (`markdown_blocks`) and checks them. While
Python-Markdown renders the page, pymdownx.superfences hands each ```decision-tree fence to
`TreeSite.fence_html`, which leaves a placeholder: so a tree is a tree exactly where Markdown
renders a fence, and where Markdown shows the fence as code (inside an indented code block)
superfences puts back the text as typed and no placeholder is left. `TreeSite.confirm` then
reads the page's HTML: a placeholder there is a tree on the page. Once every page is read
(and every page title is known, which the `read` links show), `TreeSite.draw` swaps each
placeholder for the tree's HTML, or for the list of its problems so a writer previewing sees
them in place.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from links.collect import collect_links
from links.index import anchors_in
from links.model import BackLinkRule, Link
from markdown_blocks import NEVER_CLOSED, Blocks, scan
from problems import Problem, page_path
from trees.check import check_site_trees
from trees.fences import INFO, Fence, near_misses, tree_fences
from trees.layout import layout
from trees.model import MarkdownText, ReadLink, Tree
from trees.parse import load_tree
from trees.render import example_anchor, examples_anchor, render_problems, render_tree

if TYPE_CHECKING:  # the trees extension and hooks/check.py run without MkDocs
    from mkdocs.structure.files import Files

    from trees.fields import FieldRenderer

_SLOT = re.compile(r'<div class="dt-slot" data-dt-slot="(\d+)"></div>')
_COMMENT = re.compile(r"<!--.*?-->", re.S)


@dataclass
class Slot:
    """One tree fence of a page: the tree when it passed its checks, else its problems."""

    tree: Tree | None
    problems: list[Problem]
    fence: Fence | None = None
    reported: bool = True  # its problems went out when the page was read
    live: bool | None = None  # whether its placeholder is in the page; None: not rendered yet
    _links: tuple[list[Link], list[BackLinkRule]] | None = field(default=None, repr=False)

    def links(self) -> tuple[list[Link], list[BackLinkRule]]:
        """The tree's links and back-link rules, read once though a page is read and then
        confirmed."""
        if self._links is None:
            self._links = tree_links(self.tree) if self.tree is not None else ([], [])
        return self._links


@dataclass
class PageTrees:
    """What reading one page found: the Markdown to render and what the checks need."""

    markdown: str
    problems: list[Problem] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    rules: list[BackLinkRule] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)
    # The ids of the page's rendered HTML, when `confirm` read them (the page holds a tree).
    html_anchors: set[str] | None = None


@dataclass
class TreeSite:
    """The trees of one build, by page (path under docs/)."""

    slots: dict[str, list[Slot]] = field(default_factory=dict)
    # Per page being rendered: its tree fences in page order, for `fence_html`.
    _queue: dict[str, list[tuple[str, Slot | None]]] = field(default_factory=dict, repr=False)
    # Per drawn page: each chart's SVG by the HTML comment that stands in for it in the
    # page's content until the page is written (`draw_all`, `put_charts`).
    charts: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)
    # In every stand-in, so that no comment a writer typed is ever taken for one.
    _nonce: str = field(default_factory=lambda: secrets.token_hex(8), repr=False)

    def read_page(
        self, markdown: str, page: str, line_offset: int = 0, blocks: Blocks | None = None
    ) -> PageTrees:
        """Check every tree fence of a page; the Markdown itself is left as it is.

        `line_offset` is the number of lines MkDocs removed above `markdown` (front matter),
        so positions in messages are lines of the file the writer edits. `blocks` is the
        page's scan (of the padded text), when the caller has one to share.

        Problems are returned for the fences Markdown renders as trees by the scanner's
        reading; `confirm` settles the rest once Markdown has rendered the page.
        """
        # Padding with the removed lines makes every position come out right at the source.
        padded = "\n" * line_offset + markdown
        # A tree fence, a near miss (other case, `_` or spaces, `decisiontree`) and a fence
        # that only names the language all hold "decision" in some letter case.
        if "decision" not in markdown.lower():
            return PageTrees(markdown)
        if blocks is None:
            blocks = scan(padded)
        result = PageTrees(markdown)
        shown = page_path(page)
        for miss in near_misses(blocks):
            result.problems.append(
                Problem(
                    shown,
                    miss.line,
                    miss.col,
                    f"'{miss.opening}' is not a decision tree ({miss.hint}), so it is shown as "
                    f"code: write '{miss.marker}{INFO}' alone to draw a tree, or another info "
                    "string such as 'yaml' to show code",
                )
            )
        slots = self.slots.setdefault(page, [])
        by_start: dict[int, Slot] = {}
        for fence in tree_fences(blocks):
            if fence.shown == "text" and fence.closed:
                continue
            if fence.shown == "text" and fence.why != NEVER_CLOSED:
                result.problems.append(_unfinished(fence, shown))
                continue
            tree, problems = load_tree(fence, page)
            if fence.shown == "text":  # never closed: Markdown shows it as text
                result.problems.extend(problems)
                continue
            predicted = fence.shown == "fence"
            slot = by_start[fence.start] = Slot(tree, problems, fence, reported=predicted)
            if predicted:
                result.problems.extend(problems)
                slots.append(slot)
                if tree is not None:
                    links, rules = slot.links()
                    result.links.extend(links)
                    result.rules.extend(rules)
                    result.anchors.update(tree_anchors(tree))
        # Every fence superfences will hand to `fence_html`, in page order: the trees, and
        # those that only name the language (```decision-tree {.wide}) or that a comment hides.
        self._queue.setdefault(page, []).extend(
            (fence.source, by_start.get(fence.start))
            for fence in blocks.fences
            if fence.lang == INFO and fence.shown != "text"
        )
        return result

    def fence_html(self, page: str, source: str) -> str | None:
        """What Markdown shows for a ```decision-tree fence of `page` it renders: a
        placeholder, or None for a fence that holds no tree (show it as code).

        Called by pymdownx.superfences, in page order, with the fence's body.
        """
        queue = self._queue.get(page, [])
        for number, (text, slot) in enumerate(queue):
            if text == source:
                del queue[: number + 1]
                if slot is None:
                    return None
                slots = self.slots.setdefault(page, [])
                if slot not in slots:
                    slots.append(slot)
                index = slots.index(slot)
                return f'<div class="dt-slot" data-dt-slot="{index}"></div>'
        return None

    def confirm(self, page: str, html: str) -> PageTrees:
        """Settle a page's trees by its rendered HTML: a placeholder outside a comment is a
        tree on the page. Returns the links and rules of those trees, the problems not yet
        reported, a message for a fence read as a tree that Markdown shows as code, and one
        for each anchor of a tree that the page already uses as an id. (The trees' anchors
        are read from the page's final HTML once they are drawn.)"""
        self._queue.pop(page, None)
        result = PageTrees(markdown="")
        slots = self.slots.get(page)
        if not slots:
            return result
        visible = _COMMENT.sub("", html) if "<!--" in html else html
        live = {int(match.group(1)) for match in _SLOT.finditer(visible)}
        taken = anchors_in(html) if live else set()  # the ids of headings and the rest
        if live:
            result.html_anchors = taken
        for number, slot in enumerate(slots):
            slot.live = number in live
            if not slot.live:
                if slot.reported and slot.fence is not None:
                    result.problems.append(_shown_as_code(slot.fence, page_path(page)))
                continue
            if not slot.reported:
                result.problems.extend(slot.problems)
                slot.reported = True
            if slot.tree is not None:
                links, rules = slot.links()
                result.links.extend(links)
                result.rules.extend(rules)
                result.problems.extend(self._clashes(slot.tree, taken, page))
        return result

    def _clashes(self, tree: Tree, taken: set[str], page: str) -> list[Problem]:
        """A tree's anchors that another element of its page already uses as its id."""
        pos = tree.id_pos or tree.pos
        return [
            Problem(
                page_path(page),
                pos.line,
                pos.col,
                f"the tree's anchor '#{anchor}' is also the id of a heading or another element "
                "on this page, and a link to it would land on whichever comes first: rename "
                "the tree, or give the heading an id of its own with {#...}",
                "id",
            )
            for anchor in sorted(tree_anchors(tree) & taken)
        ]

    def check(self, trees: Iterable[Tree] | None = None) -> list[Problem]:
        """Checks across pages: a tree id used twice on the site (among `trees`, in page
        order, when given: a dirty build adds those of pages it did not render)."""
        return check_site_trees(list(self.trees() if trees is None else trees))

    def trees(self) -> Iterator[Tree]:
        """Every tree that passed its own checks, page by page."""
        for slots in self.slots.values():
            yield from (
                slot.tree for slot in slots if slot.tree is not None and slot.live is not False
            )

    def draw_all(self, files: Files, fields: FieldRenderer) -> Iterator[tuple[str, str]]:
        """Draw the trees into the rendered content of every page that holds one; yield each
        such page with its final HTML, whose ids are the anchors links to it may name (one
        page at a time: that HTML is needed only until its ids are read).

        Each chart's SVG waits outside the page's content, an HTML comment in its place,
        until `put_charts` sets it into the written page. Between the two, Material's search
        reads every page's content to index it: a chart is half of its page's markup (a box,
        a text and a line per node and answer) and repeats the words of the steps beside it,
        so the index is no poorer without it, and reading it had made a cold build with the
        hooks about 5% slower than one without them.
        """
        # Most pages hold no tree: their HTML and its ids are as Markdown rendered them.
        pages = (src for src, slots in self.slots.items() if slots)
        for src, file in ((src, files.get_file_from_path(src)) for src in pages):
            if file is not None and file.page is not None and file.page.content is not None:
                draw = fields.for_page(file.page)
                draw.prepare(
                    text
                    for slot in self.slots[src]
                    if slot.tree is not None and slot.live is not False
                    for text in markdown_fields(slot.tree)
                )
                charts = self.charts[src] = {}

                def chart(svg: str, charts: dict[str, str] = charts) -> str:
                    stand_in = f"<!--dt-chart {self._nonce} {len(charts)}-->"
                    charts[stand_in] = svg
                    return stand_in

                content = self.draw(src, file.page.content, draw.markdown, draw.read_link, chart)
                file.page.content = content
                yield src, put_charts(content, charts)

    def draw(
        self,
        page: str,
        html: str,
        markdown: Callable[[MarkdownText], str],
        read_link: Callable[[ReadLink], tuple[str, str]],
        chart: Callable[[str], str] | None = None,
    ) -> str:
        """Replace the page's placeholders with its trees' HTML (or their problems); `chart`
        as in `render_tree`."""
        slots = self.slots.get(page)
        if not slots:
            return html

        def _draw(match: re.Match[str]) -> str:
            slot = slots[int(match.group(1))]
            if slot.live is False:
                return ""  # in an HTML comment: nothing of the hooks is left there
            if slot.tree is None:
                return render_problems(slot.problems)
            return render_tree(
                slot.tree, layout(slot.tree), markdown=markdown, read_link=read_link, chart=chart
            )

        return _SLOT.sub(_draw, html)


def put_charts(html: str, charts: dict[str, str]) -> str:
    """A page's HTML with each chart's SVG back in place of its stand-in (`draw_all`).

    Raises ValueError when a stand-in is gone from the HTML: something between rendering and
    writing (another plugin's `on_post_page` running first, say) dropped the page's comments,
    and the page would be written without its chart.
    """
    for stand_in, svg in charts.items():
        if stand_in not in html:
            raise ValueError(stand_in)
        html = html.replace(stand_in, svg)
    return html


def _unfinished(fence: Fence, shown: str) -> Problem:
    """A tree fence that a line inside, indented less than the opening, breaks off."""
    return Problem(
        shown,
        fence.end_line,
        1,
        f"this line is indented less than the {fence.marker}{INFO} fence opened at line "
        f"{fence.line}, so Markdown does not read the tree as a fence and shows its lines as "
        f"text: indent every line of the tree at least as far as the opening {fence.marker}",
    )


def _shown_as_code(fence: Fence, shown: str) -> Problem:
    """A fence read as a tree that Markdown shows as code after all."""
    return Problem(
        shown,
        fence.line,
        len(fence.indent) + 1,
        f"Markdown shows this {fence.marker}{INFO} fence as code, not as a tree (it is read "
        "as part of an indented code block): indent it like the text around it",
    )


def tree_anchors(tree: Tree) -> set[str]:
    """The ids a tree adds to its page, so links to a tree, a node or an example are checked."""
    examples = {example_anchor(tree, k) for k in range(1, len(tree.examples) + 1)}
    if examples:
        examples.add(examples_anchor(tree))
    nodes = {tree.anchor(node) for node in tree.nodes}
    return {f"tree-{tree.id}", f"{tree.id}--title"} | nodes | examples


def markdown_fields(tree: Tree) -> list[MarkdownText]:
    """A tree's Markdown fields: its summary, each question's help and each outcome's body."""
    fields = [tree.summary] + [
        getattr(node, "help", None) or getattr(node, "body", None) for node in tree.nodes.values()
    ]
    return [text for text in fields if text is not None]


def tree_links(tree: Tree) -> tuple[list[Link], list[BackLinkRule]]:
    """Every link a tree holds, at its place in the page, and the back-link rules of `read`."""
    links: list[Link] = []
    rules: list[BackLinkRule] = []
    for text in markdown_fields(tree):
        links.extend(_field_links(text, tree.page))
    for node in tree.nodes.values():
        for read in getattr(node, "read", ()):
            link = Link(tree.page, read.pos.line, read.pos.col, read.target, "read")
            links.append(link)
            rules.append(BackLinkRule(tree.page, tree.id, link))
    return links, rules


def _field_links(text: MarkdownText, page: str) -> Iterator[Link]:
    for link in collect_links(text.text, page):
        if link.kind == "html":
            continue  # raw HTML in a field is shown as text (trees.fields), so it links nowhere
        pos = text.position_of(link.line - 1, link.col - 1)
        yield Link(page, pos.line, pos.col, link.target, link.kind)
