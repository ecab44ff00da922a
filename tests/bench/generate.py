"""A synthetic handbook of any size, the same bytes for the same seed.

`generate(out_dir, pages, trees, tree_nodes, seed)` writes a docs/ folder that looks like the
real handbook at scale: sections of articles with headings, lists, tables, admonitions, code,
abbreviations, tags front matter, cross-page links to headings that exist, raw HTML links, and
pages holding ```decision-tree fences whose outcomes `read` an article that links back to the
tree's page. Every link resolves, so the site builds strictly with the handbook's hooks.

`tree_yaml(nodes, seed)` writes one tree of exactly `nodes` nodes as YAML, for benchmarks of
the tree code on its own.
"""

from __future__ import annotations

import posixpath
import random
from dataclasses import dataclass, field
from pathlib import Path

from markdown.extensions.toc import slugify

SECTION_SIZE = 25  # pages per section, its index page included
MIN_PAGES = 5

WORDS = (
    "client",
    "scope",
    "billing",
    "request",
    "service",
    "level",
    "value",
    "focus",
    "refusal",
    "respect",
    "trust",
    "contract",
    "support",
    "renewal",
    "discount",
    "deadline",
    "feature",
    "promise",
    "escalation",
    "meeting",
    "budget",
    "priority",
    "quality",
    "feedback",
    "complaint",
    "partner",
    "account",
    "estimate",
    "invoice",
    "handover",
    "warranty",
    "delivery",
    "onboarding",
    "capacity",
    "expertise",
    "boundary",
    "policy",
    "exception",
    "agreement",
    "roadmap",
    "outcome",
    "risk",
    "margin",
    "review",
    "proposal",
    "change",
    "retainer",
    "workshop",
    "audit",
    "timeline",
    "handbook",
    "team",
    "channel",
)
ABBREVIATIONS = {
    "SLA": "Service level agreement: what we promise, in writing.",
    "SOW": "Statement of work: the scope both sides signed.",
    "CSAT": "Customer satisfaction score.",
}
TAGS = ("scope", "billing", "refusal", "respect", "focus", "service", "escalation", "fit")
LANGUAGES = ("python", "yaml", "text")
VERDICTS = ("go", "caution", "decline")
ADMONITIONS = ("note", "tip", "warning", "example")


@dataclass
class PagePlan:
    """One page to write: where it goes, its title and the headings other pages may link to."""

    path: str  # under docs/, "sec-01/article-0003.md"
    title: str
    kind: str  # "home", "tags", "section", "article" or "tree"
    headings: list[str] = field(default_factory=list)
    backlinks: list[tuple[str, str]] = field(default_factory=list)  # (tree page, tree title)

    def slugs(self) -> list[str]:
        """The anchors of the page's second-level headings, as MkDocs' toc writes them."""
        return [slugify(heading, "-") for heading in self.headings]


@dataclass
class Generated:
    """What `generate` wrote: every page's path under docs/, and the tree pages among them."""

    docs_dir: Path
    pages: list[str]
    tree_pages: list[str]


def _words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count))


def _sentence(rng: random.Random, count: int = 12) -> str:
    text = _words(rng, count)
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, sentences: int = 3) -> str:
    parts = [_sentence(rng, rng.randint(8, 16)) for _ in range(sentences)]
    # Abbreviations are defined in the glossary include; using them exercises `abbr`.
    parts.append(f"Check the {rng.choice(sorted(ABBREVIATIONS))} first.")
    return " ".join(parts)


def _headings(rng: random.Random, count: int) -> list[str]:
    """Distinct heading texts, so each one gets its own anchor without a numeric suffix."""
    seen: set[str] = set()
    headings: list[str] = []
    while len(headings) < count:
        text = _words(rng, 3).capitalize() + f" {len(headings) + 1}"
        if text not in seen:
            seen.add(text)
            headings.append(text)
    return headings


def _link(source: str, target: str, anchor: str = "") -> str:
    """A relative Markdown link from one page to another, as a writer types it."""
    href = posixpath.relpath(target, posixpath.dirname(source) or ".")
    return f"{href}#{anchor}" if anchor else href


def _plan(pages: int, trees: int, rng: random.Random) -> list[PagePlan]:
    """Decide every page's place, title and headings before any text is written."""
    if pages < MIN_PAGES:
        raise ValueError(f"pages: expected at least {MIN_PAGES}, received {pages}")
    if not 0 <= trees <= (pages - 2) // 2:
        raise ValueError(
            f"trees: expected 0 to {(pages - 2) // 2} for {pages} pages (each tree needs "
            f"an article to read), received {trees}"
        )
    plan = [
        PagePlan("index.md", "The synthetic handbook", "home"),
        PagePlan("tags.md", "Topics", "tags"),
    ]
    remaining = pages - 2
    sections = -(-remaining // SECTION_SIZE)
    sizes = [
        remaining // sections + (1 if s < remaining % sections else 0) for s in range(sections)
    ]
    tree_sections = [t % sections for t in range(trees)]
    tree_number = 0
    article_number = 0
    for section, size in enumerate(sizes):
        folder = f"sec-{section:02d}"
        plan.append(PagePlan(f"{folder}/index.md", f"Section {section}", "section"))
        for _ in range(size - 1):
            if tree_number < trees and tree_sections[tree_number] == section:
                tree_number += 1
                path = f"{folder}/tree-{tree_number:04d}.md"
                plan.append(PagePlan(path, f"Decision {tree_number}", "tree", ["About this tree"]))
            else:
                article_number += 1
                path = f"{folder}/article-{article_number:04d}.md"
                title = f"Article {article_number}: " + _words(rng, 3)
                plan.append(PagePlan(path, title, "article", _headings(rng, rng.randint(3, 6))))
    # Trees go one per section in turn; when there are more trees than sections, the rest
    # replace the last articles planned.
    articles = [page for page in plan if page.kind == "article"]
    while tree_number < trees:
        tree_number += 1
        victim = articles.pop()
        victim.path = posixpath.join(posixpath.dirname(victim.path), f"tree-{tree_number:04d}.md")
        victim.kind, victim.title = "tree", f"Decision {tree_number}"
        victim.headings = ["About this tree"]
    return plan


def _article(page: PagePlan, articles: list[PagePlan], rng: random.Random) -> str:
    targets = [p for p in articles if p.path != page.path] if len(articles) < 3 else articles
    tags = sorted(rng.sample(TAGS, 2))
    lines = ["---", "tags:", *(f"  - {tag}" for tag in tags), "---", "", f"# {page.title}", ""]
    lines += [_paragraph(rng), ""]
    for number, heading in enumerate(page.headings):
        lines += [f"## {heading}", "", _paragraph(rng, 2), ""]
        other = rng.choice(targets) if targets else None
        while other is not None and other.path == page.path:
            other = rng.choice(targets)
        if other is not None:
            anchor = rng.choice(other.slugs())
            lines += [f"See [{other.title}]({_link(page.path, other.path, anchor)}) for more.", ""]
        style = number % 5
        if style == 0:
            lines += [f"- {_sentence(rng, 6)}" for _ in range(rng.randint(3, 5))] + [""]
        elif style == 1:
            lines += ["| Case | What we do | Verdict |", "| --- | --- | --- |"]
            lines += [
                f"| {_words(rng, 2)} | {_words(rng, 5)} | {rng.choice(VERDICTS)} |"
                for _ in range(rng.randint(2, 4))
            ] + [""]
        elif style == 2:
            kind = rng.choice(ADMONITIONS)
            lines += [
                f'!!! {kind} "{_words(rng, 3).capitalize()}"',
                "",
                f"    {_sentence(rng)}",
                "",
            ]
        elif style == 3:
            language = rng.choice(LANGUAGES)
            lines += [f"```{language}"]
            if language == "python":
                lines += ["def decide(request):", f'    return "{rng.choice(VERDICTS)}"']
            elif language == "yaml":
                lines += [f"client: {rng.choice(WORDS)}", f"verdict: {rng.choice(VERDICTS)}"]
            else:
                lines += [_sentence(rng, 8)]
            lines += ["```", ""]
        else:
            # Raw HTML: its links are not rewritten by MkDocs, so they stay within the page.
            anchor = page.slugs()[0]
            lines += [
                f'<p class="see-also">Back to <a href="#{anchor}">{page.headings[0]}</a>.</p>',
                "",
            ]
        lines += [f"1. {_sentence(rng, 5)}", f"2. {_sentence(rng, 5)}", ""]
    for tree_page, tree_title in page.backlinks:
        lines += [f"Walk through it with [{tree_title}]({_link(page.path, tree_page)}).", ""]
    return "\n".join(lines)


def tree_yaml(
    nodes: int,
    seed: int,
    tree_id: str = "bench-tree",
    read_targets: tuple[str, ...] = ("../sec-00/article-0001.md",),
    help_link: str = "",
) -> str:
    """One tree of exactly `nodes` nodes (at least 3) as the YAML body of a fence.

    Questions branch in breadth-first order, two answers each (three where that is what it
    takes to use every node), so depth grows with log2(nodes) as it does in a written tree.
    Outcomes `read` the given targets in turn; `help_link`, if any, goes in the first help.
    """
    if nodes < 3:
        raise ValueError(f"nodes: expected at least 3, received {nodes}")
    rng = random.Random(seed)
    children: dict[int, list[int]] = {0: []}
    queue = [0]
    next_node = 1
    while next_node < nodes:
        parent = queue.pop(0)
        left = nodes - next_node
        take = 3 if left == 3 else 2
        for child in range(next_node, next_node + take):
            children[parent].append(child)
            children[child] = []
            queue.append(child)
        next_node += take

    def node_id(number: int) -> str:
        return f"q-{number:04d}" if children[number] else f"o-{number:04d}"

    out = [f"id: {tree_id}", f"title: {_sentence(rng, 5)[:-1]}?", f"start: {node_id(0)}"]
    out += [f"summary: {_sentence(rng, 10)}", "nodes:"]
    labels = ("Yes", "No", "Not sure")  # unquoted on purpose: YAML 1.1 would read booleans
    outcome_count = 0
    for number in range(nodes):
        out.append(f"  {node_id(number)}:")
        if children[number]:
            out.append(f"    question: {_sentence(rng, 8)[:-1]}?")
            if number == 0 and help_link:
                out += ["    help: |", f"      {_sentence(rng, 6)} See [why]({help_link})."]
            elif number % 3 == 0:
                out += ["    help: |", f"      {_sentence(rng, 10)}"]
            out.append("    answers:")
            for label, child in zip(labels, children[number], strict=False):
                out += [f"      - label: {label}", f"        next: {node_id(child)}"]
        else:
            out.append(f"    outcome: {_sentence(rng, 6)[:-1]}")
            out.append(f"    verdict: {VERDICTS[outcome_count % 3]}")
            if outcome_count % 2 == 0:
                out.append(f"    body: {_sentence(rng, 9)}")
            out.append(f"    read: [{read_targets[outcome_count % len(read_targets)]}]")
            outcome_count += 1
    return "\n".join(out) + "\n"


def tree_fence(yaml_text: str) -> str:
    """Wrap a tree's YAML in the fence a writer types."""
    return f"```decision-tree\n{yaml_text}```\n"


def _tree_page(
    page: PagePlan, number: int, reads: list[tuple[PagePlan, str]], nodes: int, seed: int
) -> str:
    targets = tuple(_link(page.path, target.path, anchor) for target, anchor in reads)
    help_target, help_anchor = reads[0]
    yaml_text = tree_yaml(
        nodes,
        seed,
        tree_id=f"tree-{number:04d}",
        read_targets=targets,
        help_link=_link(page.path, help_target.path, help_anchor),
    )
    intro = "Answer one question at a time; each outcome links to the article that explains it."
    about = "The questions come from the articles it links to."
    return "\n".join(
        [
            "---",
            "tags:",
            "  - fit",
            "---",
            "",
            f"# {page.title}",
            "",
            intro,
            "",
            tree_fence(yaml_text),
            "## About this tree",
            "",
            about,
            "",
        ]
    )


def _section_index(page: PagePlan, plan: list[PagePlan]) -> str:
    folder = posixpath.dirname(page.path)
    members = [p for p in plan if posixpath.dirname(p.path) == folder and p.kind != "section"]
    lines = [f"# {page.title}", "", "The pages of this section:", ""]
    lines += [f"- [{p.title}]({_link(page.path, p.path)})" for p in members]
    return "\n".join(lines) + "\n"


def _home(plan: list[PagePlan]) -> str:
    sections = [p for p in plan if p.kind == "section"]
    lines = ["# The synthetic handbook", "", "A generated handbook for benchmarks.", ""]
    lines += [f"- [{p.title}]({p.path})" for p in sections]
    return "\n".join(lines) + "\n"


def generate(out_dir: Path, pages: int, trees: int, tree_nodes: int, seed: int) -> Generated:
    """Write a synthetic handbook's docs folder into `out_dir` (created if missing).

    `pages` counts every Markdown page (home, topics, section indexes, articles and the
    `trees` tree pages); each tree has `tree_nodes` nodes. The same arguments always write
    the same bytes.
    """
    rng = random.Random(seed)
    plan = _plan(pages, trees, rng)
    articles = [p for p in plan if p.kind == "article"]
    tree_plans = [p for p in plan if p.kind == "tree"]
    # Each tree reads up to three articles; each of them links back, as the content rule asks.
    reads: dict[str, list[tuple[PagePlan, str]]] = {}
    for number, page in enumerate(tree_plans):
        chosen = [articles[(number * 3 + k) % len(articles)] for k in range(3)]
        unique = list(dict.fromkeys(p.path for p in chosen))
        by_path = {p.path: p for p in chosen}
        reads[page.path] = [
            (by_path[path], rng.choice(by_path[path].slugs()) if k % 2 else "")
            for k, path in enumerate(unique)
        ]
        for target, _anchor in reads[page.path]:
            target.backlinks.append((page.path, page.title))

    out_dir = Path(out_dir)
    written: list[str] = []
    for page in plan:
        if page.kind == "home":
            text = _home(plan)
        elif page.kind == "tags":
            text = "# Topics\n\nEvery page, grouped by topic.\n\n<!-- material/tags -->\n"
        elif page.kind == "section":
            text = _section_index(page, plan)
        elif page.kind == "tree":
            number = int(page.path[-7:-3])
            text = _tree_page(page, number, reads[page.path], tree_nodes, seed * 7919 + number)
        else:
            text = _article(page, articles, rng)
        target = out_dir / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
        written.append(page.path)
    includes = out_dir / "includes" / "glossary-terms.md"
    includes.parent.mkdir(parents=True, exist_ok=True)
    glossary = "".join(f"*[{term}]: {text}\n" for term, text in ABBREVIATIONS.items())
    includes.write_text(glossary, encoding="utf-8", newline="\n")
    return Generated(out_dir, written, [p.path for p in tree_plans])
