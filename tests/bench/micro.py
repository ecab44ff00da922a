"""Micro-benchmarks of the hooks' parts on their own, and the bytes a tree page ships.

    .venv/bin/python tests/bench/micro.py [--nodes 10,50,200,1000] [--pages 1000]

1. Trees of 10, 50, 200 and 1,000 nodes: finding the fence (`trees.fences.find_fences`),
   parsing and checking (`trees.parse.load_tree`), layout (`trees.layout.layout`) and
   rendering (`trees.render.render_tree`). Trees past the size limits are rejected by the
   checks, as they must be; layout and rendering are then timed on a model built directly
   from the YAML, to show how they would scale without the limit.
2. The link checker alone (hooks/links) on a synthetic handbook of 1,000 pages: collecting
   links, indexing anchors from rendered HTML and checking them, each timed apart.
3. The bytes a tree page ships: its HTML, the inline SVG in it, and the walker's own
   theme_overrides/assets/*.js and *.css, raw and gzipped.

Times are CPU times of this process. Figures only: nothing here fails on a time. Parts of
the hooks that do not exist are skipped with a note saying so.
"""

from __future__ import annotations

import argparse
import gzip
import html
import importlib
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "hooks"), str(ROOT), str(ROOT / "tests" / "bench")]
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

import yaml  # noqa: E402 - the paths above come first
from generate import generate, tree_fence, tree_yaml  # noqa: E402

TREE_PAGE = "bench/tree.md"


def optional(module: str) -> object | None:
    """Import a hooks module, or print why a part of the benchmark is skipped."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        print(f"  (skipped: {module} cannot be imported yet: {error})")
        return None


def timed(function: Callable[[], object], budget: float = 0.3) -> tuple[float, object]:
    """Best CPU time of one call in seconds, calling repeatedly for about `budget` seconds.

    CPU time, not wall time: on a shared machine other work stretches wall time, while this
    process's CPU time stays close to what the call costs.
    """
    best = float("inf")
    result: object = None
    spent = 0.0
    calls = 0
    while spent < budget or calls < 3:
        started = time.process_time()
        result = function()
        elapsed = time.process_time() - started
        best = min(best, elapsed)
        spent += elapsed
        calls += 1
    return best, result


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:9.2f} ms"


# ---------------------------------------------------------------- trees


def model_from_yaml(text: str) -> object:
    """A `Tree` built straight from generated YAML, without checks or limits.

    Only for timing layout and rendering past the size limits: the generator's YAML is
    always well formed, so there is nothing here a writer could get wrong.
    """
    from trees.model import Answer, MarkdownText, Outcome, Pos, Question, ReadLink, Tree

    data = yaml.load(text, Loader=yaml.BaseLoader)
    here = Pos(1, 1)

    def field(name: str, node: dict) -> MarkdownText | None:
        return MarkdownText(node[name], here) if name in node else None

    nodes: dict[str, object] = {}
    for node_id, node in data["nodes"].items():
        if "question" in node:
            answers = tuple(Answer(a["label"], a["next"], here) for a in node["answers"])
            nodes[node_id] = Question(node_id, node["question"], answers, here, field("help", node))
        else:
            reads = tuple(ReadLink(target, here) for target in node["read"])
            nodes[node_id] = Outcome(
                node_id, node["outcome"], node["verdict"], reads, here, field("body", node)
            )
    return Tree(
        data["id"], data["title"], data["start"], nodes, TREE_PAGE, here, field("summary", data)
    )


def _markdown_field(text: object) -> str:
    # Rendering Markdown fields is the page's Markdown's cost, not the tree's: keep it trivial.
    return f"<p>{html.escape(text.text)}</p>"  # type: ignore[attr-defined]


def _read_link(link: object) -> tuple[str, str]:
    target = link.target  # type: ignore[attr-defined]
    return target, target


def bench_trees(sizes: list[int]) -> None:
    """Time each step of the tree code on trees of the given sizes."""
    print("\nTrees: best CPU time per call")
    fences = optional("trees.fences")
    parse = optional("trees.parse")
    layout_module = optional("trees.layout")
    render = optional("trees.render")
    header = f"{'nodes':>6} {'find fence':>12} {'parse+check':>12} {'layout':>12} {'render':>12}"
    print(header + "   note")
    for size in sizes:
        text = tree_yaml(size, seed=size, tree_id=f"bench-{size}")
        page = "# Bench\n\nA tree.\n\n" + tree_fence(text)
        cells = {"find": "", "parse": "", "layout": "", "render": ""}
        notes: list[str] = []
        fence = None
        if fences is not None:
            seconds, found = timed(lambda page=page: fences.find_fences(page))
            cells["find"] = _ms(seconds)
            fence = found[0]
        tree = None
        if parse is not None and fence is not None:
            seconds, (tree, problems) = timed(lambda fence=fence: parse.load_tree(fence, TREE_PAGE))
            cells["parse"] = _ms(seconds)
            if tree is None:
                first = str(problems[0]) if problems else "no tree and no problem"
                notes.append(f"rejected ({len(problems)} problems): {first}")
        if tree is None:
            tree = model_from_yaml(text)
            if parse is not None:
                notes.append("layout and render timed on an unchecked model")
        chart = None
        if layout_module is not None:
            seconds, chart = timed(lambda tree=tree: layout_module.layout(tree))
            cells["layout"] = _ms(seconds)
        if render is not None and chart is not None:
            seconds, out = timed(
                lambda tree=tree, chart=chart: render.render_tree(
                    tree, chart, markdown=_markdown_field, read_link=_read_link
                )
            )
            cells["render"] = _ms(seconds)
            svg = re.search(r"<svg.*?</svg>", out, re.S)
            notes.append(
                f"HTML {len(out):,} B, SVG {len(svg.group(0)) if svg else 0:,} B, "
                f"chart {chart.width:.0f}x{chart.height:.0f}"
            )
        print(
            f"{size:>6} {cells['find']:>12} {cells['parse']:>12} {cells['layout']:>12} "
            f"{cells['render']:>12}   {'; '.join(notes)}"
        )


# ---------------------------------------------------------------- links


def _url(page: str) -> str:
    """The directory URL MkDocs gives a page."""
    if page == "index.md":
        return ""
    if page.endswith("/index.md"):
        return page[: -len("index.md")]
    return page[: -len(".md")] + "/"


def bench_links(pages: int) -> None:
    """Time the link checker's steps over a synthetic handbook of `pages` pages."""
    print(f"\nLink checker alone, {pages} pages")
    collect = optional("links.collect")
    index_module = optional("links.index")
    check = optional("links.check")
    if collect is None or index_module is None or check is None:
        return
    import markdown
    from mkdocs.utils.meta import get_data

    site = optional("trees.site")
    with tempfile.TemporaryDirectory() as folder:
        docs = Path(folder) / "docs"
        generated = generate(docs, pages, max(1, pages // 20), 21, seed=1)
        sources = {page: (docs / page).read_text(encoding="utf-8") for page in generated.pages}
    bodies = {page: get_data(text)[0] for page, text in sources.items()}
    # What a page looks like after the tree hook: fences replaced, tree links handed over.
    tree_links, tree_rules, tree_anchors = [], [], {}
    if site is not None:
        trees = site.TreeSite()
        started = time.process_time()
        for page, body in bodies.items():
            offset = collect.line_offset(sources[page], body)
            read = trees.read_page(body, page, offset)
            bodies[page] = read.markdown
            tree_links += read.links
            tree_rules += read.rules
            tree_anchors[page] = read.anchors
        print(f"  trees read (not link checking) {_ms(time.process_time() - started)}")
    renderer = markdown.Markdown(
        extensions=["toc", "attr_list", "md_in_html", "tables", "admonition", "abbr"]
    )
    rendered = {}
    for page, body in bodies.items():
        renderer.reset()
        rendered[page] = renderer.convert(body)

    started = time.process_time()
    links = []
    for page, body in bodies.items():
        offset = collect.line_offset(sources[page], body)
        for link in collect_links_at(collect, body, page, offset):
            links.append(link)
    collected = time.process_time() - started

    started = time.process_time()
    anchors = {page: index_module.anchors_in(page_html) for page, page_html in rendered.items()}
    for page, ids in tree_anchors.items():
        anchors[page] |= ids
    indexed = time.process_time() - started

    started = time.process_time()
    site_index = index_module.build_index({page: _url(page) for page in bodies}, {}, anchors)
    problems = check.check_site([*links, *tree_links], [], tree_rules, site_index)
    checked = time.process_time() - started

    total = collected + indexed + checked
    count = len(links) + len(tree_links)
    print(f"  collect links   {_ms(collected)}  ({count:,} links)")
    print(f"  index anchors   {_ms(indexed)}  ({sum(len(a) for a in anchors.values()):,} ids)")
    print(f"  check           {_ms(checked)}  ({len(tree_rules):,} back-link rules)")
    print(f"  total           {_ms(total)}  = {total / pages * 1e6:,.0f} us per page")
    if problems:
        print(f"  {len(problems)} problems (the synthetic site should have none); first:")
        for problem in problems[:5]:
            print(f"    {problem}")


def collect_links_at(collect: object, body: str, page: str, offset: int) -> list[object]:
    """A page's links at file positions, as the hook collects them."""
    from links.model import Link

    return [
        Link(link.source, link.line + offset, link.col, link.target, link.kind)
        for link in collect.collect_links(body, page)  # type: ignore[attr-defined]
    ]


# ---------------------------------------------------------------- bytes shipped


def _sizes(data: bytes) -> str:
    return f"{len(data):>9,} B raw {len(gzip.compress(data, 9)):>8,} B gzipped"


def _element(page_html: bytes, opening: bytes) -> bytes:
    """The first div starting with `opening`, up to its matching end tag (b"" if none)."""
    start = page_html.find(opening)
    if start < 0:
        return b""
    depth = 0
    for tag in re.finditer(rb"<div\b|</div>", page_html[start:]):
        depth += 1 if tag.group(0) != b"</div>" else -1
        if depth == 0:
            return page_html[start : start + tag.end()]
    return b""


def bench_bytes() -> None:
    """Build a small synthetic site with the hooks and weigh one tree page."""
    print("\nBytes shipped by a tree page (21-node tree)")
    from tests.conftest import build_into, tiny_config

    with tempfile.TemporaryDirectory() as folder:
        docs = Path(folder) / "docs"
        generated = generate(docs, pages=20, trees=1, tree_nodes=21, seed=4)
        config = Path(folder) / "mkdocs.yml"
        config.write_text(tiny_config(docs), encoding="utf-8")
        try:
            built = build_into(config, Path(folder) / "site")
        except Exception as error:  # hooks mid-change must not hide the figures printed above
            print(f"  (skipped: the build raised {type(error).__name__}: {error})")
            return
        if not built.ok:
            print("  (skipped: the site did not build:", "; ".join(built.messages[:3]), ")")
            return
        page = generated.tree_pages[0].removesuffix(".md") + "/index.html"
        page_html = (built.site_dir / page).read_bytes()
        svgs = re.findall(rb"<svg[^>]*class=\"[^\"]*dt[^\"]*\".*?</svg>", page_html, re.S)
        if not svgs:
            svgs = [s for s in re.findall(rb"<svg.*?</svg>", page_html, re.S) if len(s) > 2000]
        print(f"  page HTML           {_sizes(page_html)}")
        print(f"  inline SVG (chart)  {_sizes(b''.join(svgs))}  ({len(svgs)} chart)")
        steps = _element(page_html, b'<div class="dt-steps"')
        if steps:
            print(f"  steps (no-JS HTML)  {_sizes(steps)}")
        tree = _element(page_html, b'<div class="dt"')
        if tree:
            print(f"  whole tree block    {_sizes(tree)}")
        assets = sorted((ROOT / "theme_overrides" / "assets").rglob("*"))
        ours = [a for a in assets if a.suffix in (".js", ".css")]
        if not ours:
            print("  (no theme_overrides/assets/*.js or *.css yet)")
        for asset in ours:
            print(f"  {asset.relative_to(ROOT)!s:<19} {_sizes(asset.read_bytes())}")
        local = re.findall(rb'(?:src|href)="([^"#?]+\.(?:js|css))', page_html)
        referenced = b""
        for ref in dict.fromkeys(local):
            target = (built.site_dir / page).parent / ref.decode()
            if target.resolve().is_file():
                referenced += target.resolve().read_bytes()
        print(f"  all JS+CSS the page loads {_sizes(referenced)}  ({len(set(local))} files)")


def main(argv: list[str] | None = None) -> int:
    """Run every micro-benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", default="10,50,200,1000", help="tree sizes")
    parser.add_argument("--pages", type=int, default=1000, help="pages for the link checker")
    args = parser.parse_args(argv)
    bench_trees([int(size) for size in args.nodes.split(",")])
    bench_links(args.pages)
    bench_bytes()
    return 0


if __name__ == "__main__":
    sys.exit(main())
