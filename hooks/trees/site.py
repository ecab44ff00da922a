"""Every decision tree of one build: read from pages, checked site-wide, drawn into pages.

A build meets a tree twice. While MkDocs reads a page, `TreeSite.read_page` finds its tree
fences, checks them and leaves a placeholder where each stood. Once every page is read (and
every page title is known, which the `read` links show), `TreeSite.draw` swaps each placeholder
for the tree's HTML, or for the list of its problems so a writer previewing sees them in place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from mkdocs.structure.files import Files

from links.collect import collect_links
from links.model import BackLinkRule, Link
from problems import Problem
from trees.check import check_site_trees
from trees.fences import find_fences
from trees.fields import FieldRenderer
from trees.layout import layout
from trees.model import MarkdownText, ReadLink, Tree
from trees.parse import load_tree
from trees.render import example_anchor, examples_anchor, render_problems, render_tree

_SLOT = re.compile(r'<div class="dt-slot" data-dt-slot="(\d+)"></div>')


@dataclass
class Slot:
    """One tree fence of a page: the tree when it passed its checks, else its problems."""

    tree: Tree | None
    problems: list[Problem]


@dataclass
class PageTrees:
    """What reading one page found: the Markdown to render and what the checks need."""

    markdown: str
    problems: list[Problem] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    rules: list[BackLinkRule] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)


@dataclass
class TreeSite:
    """The trees of one build, by page (path under docs/)."""

    display_path: Callable[[str], str]
    slots: dict[str, list[Slot]] = field(default_factory=dict)

    def read_page(self, markdown: str, page: str, line_offset: int = 0) -> PageTrees:
        """Check every tree fence of a page and put a placeholder where each stood.

        `line_offset` is the number of lines MkDocs removed above `markdown` (front matter),
        so positions in messages are lines of the file the writer edits.
        """
        # Padding with the removed lines makes every position come out right at the source.
        padded = "\n" * line_offset + markdown
        fences = find_fences(padded)
        if not fences:
            return PageTrees(markdown)
        result = PageTrees(markdown="")
        slots = self.slots.setdefault(page, [])
        pieces, done = [], line_offset
        for fence in fences:
            tree, problems = load_tree(fence, page, self.display_path(page))
            result.problems.extend(problems)
            if tree is not None:
                links, rules = tree_links(tree)
                result.links.extend(links)
                result.rules.extend(rules)
                result.anchors.update(tree_anchors(tree))
            pieces.append(padded[done : fence.start])
            # Blank lines around keep the placeholder a raw HTML block of its own.
            pieces.append(
                f'\n\n{fence.indent}<div class="dt-slot" data-dt-slot="{len(slots)}"></div>\n\n'
            )
            slots.append(Slot(tree, problems))
            done = fence.end
        pieces.append(padded[done:])
        result.markdown = "".join(pieces)
        return result

    def check(self) -> list[Problem]:
        """Checks across pages: a tree id used twice on the site."""
        return check_site_trees(list(self.trees()), self.display_path)

    def trees(self) -> Iterator[Tree]:
        """Every tree that passed its own checks, page by page."""
        for slots in self.slots.values():
            yield from (slot.tree for slot in slots if slot.tree is not None)

    def draw_all(self, files: Files, fields: FieldRenderer) -> None:
        """Draw the trees into the rendered content of every page that holds one."""
        for src, file in ((src, files.get_file_from_path(src)) for src in self.slots):
            if file is not None and file.page is not None and file.page.content is not None:
                draw = fields.for_page(file.page)
                file.page.content = self.draw(src, file.page.content, draw.markdown, draw.read_link)

    def draw(
        self,
        page: str,
        html: str,
        markdown: Callable[[MarkdownText], str],
        read_link: Callable[[ReadLink], tuple[str, str]],
    ) -> str:
        """Replace the page's placeholders with its trees' HTML (or their problems)."""
        slots = self.slots.get(page)
        if not slots:
            return html

        def _draw(match: re.Match[str]) -> str:
            slot = slots[int(match.group(1))]
            if slot.tree is None:
                return render_problems(slot.problems)
            return render_tree(slot.tree, layout(slot.tree), markdown=markdown, read_link=read_link)

        return _SLOT.sub(_draw, html)


def tree_anchors(tree: Tree) -> set[str]:
    """The ids a tree adds to its page, so links to a tree, a node or an example are checked."""
    examples = {example_anchor(tree, k) for k in range(1, len(tree.examples) + 1)}
    if examples:
        examples.add(examples_anchor(tree))
    nodes = {tree.anchor(node) for node in tree.nodes}
    return {f"tree-{tree.id}", f"{tree.id}--title"} | nodes | examples


def tree_links(tree: Tree) -> tuple[list[Link], list[BackLinkRule]]:
    """Every link a tree holds, at its place in the page, and the back-link rules of `read`."""
    links: list[Link] = []
    rules: list[BackLinkRule] = []
    fields = [tree.summary] + [
        getattr(node, "help", None) or getattr(node, "body", None) for node in tree.nodes.values()
    ]
    for text in fields:
        if text is not None:
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
