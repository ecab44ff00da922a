"""The handbook's flowcharts beside Graphviz `dot` drawing the same trees.

    .venv/bin/python tests/bench/dot.py [--sizes 20,50,100,150] [--seeds 3]
    .venv/bin/python tests/bench/dot.py --against REV [--profile]

Both get the same boxes and labels at the same sizes: each node is a fixed-size box and each
answer label a fixed-size table of the size our layout gives it, so only the placement
differs. For every tree of the handbook (docs/) and a synthetic set of trees whose answers
converge on shared nodes, as written trees do, it prints:

- crossings: points where two different edges cross, counted on the curves as drawn (ours
  from the SVG path's curves, dot's from its B-splines, both flattened into short segments);
- edge length: the total length of all edges as drawn, in px (dot's without its arrowheads);
- area: width x height of the drawing, in thousands of px²;
- time: CPU time of our layout and SVG drawing (best of several calls, this process), and of
  `dot -Tplain` (a child process; its start-up, timed on an empty graph, is taken off).

The target: crossings at most dot's on every tree, and the layout and drawing of a 150-node
tree within 20 ms of CPU. Figures only: nothing here fails. Needs Debian's `graphviz`
(`.ci/setup --bench` installs it); the site itself never uses it.

`--against REV` skips dot and sets the layout of the working tree beside the layout as it was
at git revision REV: crossings and CPU time on every tree, the two timed in turn, call by
call, so both see the same load on a shared machine. `--profile` adds a cProfile of the
layout and drawing of a converging 150-node tree (and also skips dot).
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import io
import itertools
import math
import os
import pstats
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "hooks"), str(ROOT), str(ROOT / "tests" / "bench")]
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from generate import tree_yaml  # noqa: E402 - the paths above come first
from micro import _markdown_field, _read_link, model_from_yaml, timed  # noqa: E402

from trees.fences import find_fences  # noqa: E402
from trees.layout import Layout, layout  # noqa: E402
from trees.model import Answer, Outcome, Pos, Question, ReadLink, Tree  # noqa: E402
from trees.parse import load_tree  # noqa: E402
from trees.render import render_tree  # noqa: E402

Point = tuple[float, float]
Polyline = list[Point]
PIECES = 8  # straight pieces per curve when counting crossings and measuring length
HERE = Pos(1, 1)


# ---------------------------------------------------------------- trees


def handbook_trees() -> list[Tree]:
    """Every tree written in the handbook's pages, read as the build reads it."""
    found = []
    for path in sorted((ROOT / "docs").rglob("*.md")):
        page = path.relative_to(ROOT / "docs").as_posix()
        for fence in find_fences(path.read_text(encoding="utf-8")):
            tree, _ = load_tree(fence, page)
            if tree is not None:
                found.append(tree)
    return found


def converging_tree(nodes: int, seed: int) -> Tree:
    """A random tree of `nodes` nodes whose answers often lead to the same later node.

    Nodes come in order; each question has two or three answers leading to distinct later
    nodes, mostly near it (so depth grows as in a written tree) and sometimes far on. The
    last two fifths are outcomes. Every node but the first is reached by at least one answer.
    """
    rng = random.Random(seed)
    questions = max(1, nodes * 3 // 5)
    targets: dict[int, list[int]] = {q: [] for q in range(questions)}
    for node in range(1, nodes):  # one way in for every node, from an earlier question
        targets[rng.randrange(min(node, questions))].append(node)
    for q in range(questions):
        want = rng.choice((2, 2, 3))
        while len(targets[q]) < want and q + 1 < nodes:
            far = rng.random() < 0.2
            low, high = q + 1, nodes - 1 if far else min(nodes - 1, q + 12)
            pick = rng.randint(low, high)
            if pick not in targets[q]:
                targets[q].append(pick)
    # A question left with one answer (near the end) gets a second to the last node.
    for q in range(questions):
        if len(targets[q]) < 2:
            targets[q].append(next(n for n in range(nodes - 1, q, -1) if n not in targets[q]))

    def node_id(n: int) -> str:
        return f"q{n}" if n < questions else f"o{n}"

    made: dict[str, Question | Outcome] = {}
    verdicts = ("go", "caution", "decline")
    for n in range(nodes):
        if n < questions:
            answers = tuple(
                Answer(f"Answer {i + 1} of {n}", node_id(t), HERE)
                for i, t in enumerate(sorted(targets[n]))
            )
            made[node_id(n)] = Question(
                node_id(n), f"Question number {n}, asked here?", answers, HERE
            )
        else:
            read = (ReadLink("../x.md", HERE),)
            made[node_id(n)] = Outcome(node_id(n), f"Outcome {n}", verdicts[n % 3], read, HERE)
    return Tree(f"converging-{nodes}-{seed}", "Synthetic", "q0", made, "bench.md", HERE)


# ---------------------------------------------------------------- geometry


def _bezier(p0: Point, p1: Point, p2: Point, p3: Point) -> Polyline:
    points = []
    for i in range(1, PIECES + 1):
        t = i / PIECES
        u = 1 - t
        points.append(
            (
                u**3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t**3 * p3[0],
                u**3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t**3 * p3[1],
            )
        )
    return points


def our_edges(chart: Layout) -> list[Polyline]:
    """Our edges as drawn: straight runs down, curves between layers (as render._path)."""
    lines = []
    for edge in chart.edges:
        (x, y), *rest = edge.points
        line: Polyline = [(x, y)]
        for x1, y1 in rest:
            if x1 == x:
                line.append((x1, y1))
            else:
                middle = (y + y1) / 2
                line += _bezier((x, y), (x, middle), (x1, middle), (x1, y1))
            x, y = x1, y1
        lines.append(line)
    return lines


def _cross(a: Point, b: Point, c: Point, d: Point) -> Point | None:
    """Where segments ab and cd cross at one point inside both, else None."""
    rx, ry = b[0] - a[0], b[1] - a[1]
    sx, sy = d[0] - c[0], d[1] - c[1]
    denominator = rx * sy - ry * sx
    if abs(denominator) < 1e-12:
        return None
    t = ((c[0] - a[0]) * sy - (c[1] - a[1]) * sx) / denominator
    u = ((c[0] - a[0]) * ry - (c[1] - a[1]) * rx) / denominator
    if 0 < t < 1 and 0 < u < 1:
        return (a[0] + t * rx, a[1] + t * ry)
    return None


def crossings(edges: list[Polyline], cell: float = 40.0) -> int:
    """Points where two different edges cross; ends (ports, shared targets) do not count."""
    grid: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for e, line in enumerate(edges):
        for s, (a, b) in enumerate(itertools.pairwise(line)):
            for gx in range(int(min(a[0], b[0]) // cell), int(max(a[0], b[0]) // cell) + 1):
                for gy in range(int(min(a[1], b[1]) // cell), int(max(a[1], b[1]) // cell) + 1):
                    grid[gx, gy].append((e, s))
    found: set[tuple[float, float]] = set()
    for members in grid.values():
        for (e, s), (f, t) in itertools.combinations(members, 2):
            if e == f:
                continue
            point = _cross(edges[e][s], edges[e][s + 1], edges[f][t], edges[f][t + 1])
            if point is None:
                continue
            near_end = any(
                math.dist(point, end) < 2
                for end in (edges[e][0], edges[e][-1], edges[f][0], edges[f][-1])
            )
            if not near_end:
                found.add((round(point[0], 1), round(point[1], 1)))
    return len(found)


def length(edges: list[Polyline]) -> float:
    return sum(math.dist(a, b) for line in edges for a, b in itertools.pairwise(line))


# ---------------------------------------------------------------- dot


def dot_source(tree: Tree, chart: Layout) -> str:
    """The tree for dot: fixed-size boxes and label tables of exactly our sizes, in points
    (dot's unit; 1pt is drawn as 1px), nodes and edges in the writer's order."""
    out = [
        "digraph g {",
        # Our least gaps: 24 between boxes side by side, 24 between layers.
        f"graph [rankdir=TB, nodesep={24 / 72:.4f}, ranksep={24 / 72:.4f}];",
        'node [shape=box, fixedsize=true, label=""];',
    ]
    for node_id, box in chart.boxes.items():
        out.append(f'"{node_id}" [width={box.w / 72:.4f}, height={box.h / 72:.4f}];')
    for edge in chart.edges:
        cell = f'<TD FIXEDSIZE="TRUE" WIDTH="{edge.label.w:.0f}" HEIGHT="{edge.label.h:.0f}"></TD>'
        table = f'<TABLE BORDER="0" CELLPADDING="0" CELLSPACING="0"><TR>{cell}</TR></TABLE>'
        out.append(f'"{edge.source}" -> "{edge.target}" [label=<{table}>];')
    out.append("}")
    return "\n".join(out) + "\n"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_dot(source: str, repeat: int = 3) -> tuple[str, float]:
    """dot's plain output and its best CPU time in seconds over `repeat` runs."""
    best, output = float("inf"), ""
    for _ in range(repeat):
        before = _children_cpu()
        done = subprocess.run(
            ["dot", "-Tplain"], input=source, capture_output=True, text=True, check=True
        )
        best = min(best, _children_cpu() - before)
        output = done.stdout
    return output, best


def dot_drawing(plain: str) -> tuple[list[Polyline], float, float]:
    """Edges (flattened B-splines), width and height from `dot -Tplain`, in px."""
    edges: list[Polyline] = []
    width = height = 0.0
    for row in plain.splitlines():
        parts = row.split()
        if parts[0] == "graph":
            width, height = float(parts[2]) * 72, float(parts[3]) * 72
        elif parts[0] == "edge":
            count = int(parts[3])
            coords = [float(v) * 72 for v in parts[4 : 4 + 2 * count]]
            # y grows upwards in dot's output; flip it so both drawings read the same way.
            points = [(coords[i], height - coords[i + 1]) for i in range(0, len(coords), 2)]
            line: Polyline = [points[0]]
            for i in range(0, len(points) - 3, 3):
                line += _bezier(*points[i : i + 4])
            edges.append(line)
    return edges, width, height


# ---------------------------------------------------------------- report


def compare(tree: Tree, startup: float) -> dict[str, float]:
    """Every figure of one tree, ours and dot's."""
    ours_time, chart = timed(lambda: layout(tree), budget=0.1)
    render_time, _ = timed(
        lambda: render_tree(tree, chart, markdown=_markdown_field, read_link=_read_link),
        budget=0.1,
    )
    mine = our_edges(chart)
    plain, dot_time = run_dot(dot_source(tree, chart))
    theirs, width, height = dot_drawing(plain)
    return {
        "nodes": len(tree.nodes),
        "cross": crossings(mine),
        "dot_cross": crossings(theirs),
        "length": length(mine),
        "dot_length": length(theirs),
        "area": chart.width * chart.height / 1000,
        "dot_area": width * height / 1000,
        "ms": (ours_time + render_time) * 1000,
        "dot_ms": max(dot_time - startup, 0.0) * 1000,
    }


def layout_at(revision: str) -> ModuleType:
    """hooks/trees/layout.py as it was at git `revision`, loaded as a module of its own."""
    source = subprocess.run(
        ["git", "show", f"{revision}:hooks/trees/layout.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    name = "layout_at_" + "".join(c if c.isalnum() else "_" for c in revision)
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as file:
        file.write(source)
    spec = importlib.util.spec_from_file_location(name, file.name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    Path(file.name).unlink()
    return module


def side_by_side(trees: list[Tree], layouts: dict[str, Callable[[Tree], Layout]]) -> None:
    """Crossings and best CPU time of each layout on each tree, the layouts called in turn."""
    names = list(layouts)
    print(f"{'tree':<26}{'nodes':>6}" + "".join(f"{name[:14]:>16}" for name in names))
    print(f"{'':<32}" + "crossings, ms".rjust(16) * len(names))
    for tree in trees:
        best = dict.fromkeys(names, float("inf"))
        charts: dict[str, Layout] = {}
        for _ in range(9 if len(tree.nodes) >= 100 else 5):
            for name in names:
                started = time.process_time()
                charts[name] = layouts[name](tree)
                best[name] = min(best[name], time.process_time() - started)
        cells = "".join(
            f"{crossings(our_edges(charts[name])):>8}{best[name] * 1000:>8.1f}" for name in names
        )
        print(f"{tree.id[:25]:<26}{len(tree.nodes):>6}{cells}")


def profile(tree: Tree) -> str:
    """The heaviest functions of the layout and drawing of `tree`, by their own time."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        chart = layout(tree)
        render_tree(tree, chart, markdown=_markdown_field, read_link=_read_link)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Compare our drawings with dot's on the handbook's trees and a synthetic set."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="20,50,100,150", help="synthetic tree sizes")
    parser.add_argument("--seeds", type=int, default=3, help="synthetic trees per size")
    parser.add_argument("--against", metavar="REV", help="our layout beside its state at REV")
    parser.add_argument("--profile", action="store_true", help="profile a 150-node tree")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    synthetic = [converging_tree(size, seed) for size in sizes for seed in range(1, args.seeds + 1)]
    if args.against:
        side_by_side(
            [*handbook_trees(), *synthetic],
            {args.against: layout_at(args.against).layout, "working tree": layout},
        )
    if args.profile:
        print("\nLayout and drawing of a converging 150-node tree, five times:")
        print(profile(converging_tree(150, 1)))
    if args.against or args.profile:
        return 0
    if shutil.which("dot") is None:
        print("dot is not installed: run .ci/setup --bench (it installs Debian's graphviz)")
        return 1
    _, startup = run_dot("digraph g {}\n", repeat=5)
    version = subprocess.run(["dot", "-V"], capture_output=True, text=True).stderr.strip()
    print(f"{version}; dot's start-up ({startup * 1000:.1f} ms CPU) is taken off its times\n")
    trees = [("handbook", tree) for tree in handbook_trees()]
    trees += [("synthetic", tree) for tree in synthetic]
    header = (
        f"{'tree':<26}{'nodes':>6}{'crossings':>14}{'edge length px':>20}"
        f"{'area kpx²':>16}{'CPU ms':>16}"
    )
    print(header)
    print(
        f"{'':<32}{'ours':>7}{'dot':>7}{'ours':>10}{'dot':>10}{'ours':>8}{'dot':>8}{'ours':>8}{'dot':>8}"
    )
    worse: list[str] = []
    totals: dict[str, float] = defaultdict(float)
    for kind, tree in trees:
        row = compare(tree, startup)
        name = tree.id if kind == "handbook" else tree.id.removeprefix("converging-")
        name = f"{'' if kind == 'handbook' else 'synthetic '}{name}"[:25]
        print(
            f"{name:<26}{row['nodes']:>6.0f}{row['cross']:>7.0f}{row['dot_cross']:>7.0f}"
            f"{row['length']:>10.0f}{row['dot_length']:>10.0f}{row['area']:>8.0f}"
            f"{row['dot_area']:>8.0f}{row['ms']:>8.1f}{row['dot_ms']:>8.1f}"
        )
        if row["cross"] > row["dot_cross"]:
            worse.append(f"{name} ({row['cross']:.0f} against {row['dot_cross']:.0f})")
        for key, value in row.items():
            totals[key] += value
    print(
        f"\nTotals: crossings {totals['cross']:.0f} against dot's {totals['dot_cross']:.0f}; "
        f"edge length {totals['length'] / totals['dot_length']:.2f}x dot's; "
        f"area {totals['area'] / totals['dot_area']:.2f}x dot's; "
        f"CPU {totals['ms']:.0f} ms against dot's {totals['dot_ms']:.0f} ms"
    )
    print(
        "Target, crossings at most dot's on every tree: "
        + ("met" if not worse else f"missed on {len(worse)}: " + "; ".join(worse))
    )
    print("Target, layout and drawing of a 150-node tree within 20 ms CPU:")
    branching = model_from_yaml(tree_yaml(150, seed=150, tree_id="bench-150"))
    for name, tree in [
        ("branching, no shared nodes (micro.py's tree)", branching),
        *((f"converging, seed {seed}", converging_tree(150, seed)) for seed in range(1, 3)),
    ]:
        spent = compare(tree, startup)["ms"]
        print(f"  {name:<46} {spent:6.1f} ms  {'met' if spent <= 20 else 'missed'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
