"""Coordinates for a decision tree's flowchart: a top-to-bottom layered drawing.

Layers come from each node's longest distance from the start, then nodes move where their
edges span fewer layers (`_tighten`). igraph's Sugiyama layout adds the dummy vertices that
carry long edges through the layers they skip and a first order within each layer; that
order is then untangled on the nodes' layers alone as Graphviz's dot untangles it (its
mincross: neighbour swaps, median sweeps with ties broken both ways in turn, until rounds
stop paying), from two or more first orders, more on small trees, keeping the one that
crosses least. igraph treats every vertex as a point, so it cannot know that a question is
a 224px-wide box and a dummy is a hair-thin line; the real coordinates are computed here
from the box sizes, keeping the untangled order.

Each answer label is a vertex of its own, on the layer just below its question: the edge
runs question -> label -> target. Labels then get a place in a layer like any box, so the
same spacing rules that keep boxes apart keep labels off boxes, off each other and off
every line: the label's own line runs straight down just left of it, as in Graphviz.

Within a layer every line runs straight down; between layers it moves sideways. The
renderer draws each sideways move as a curve that leaves and arrives vertically, so it
stays inside the gap between the layers, where there are no boxes or labels to cross.

No fonts exist at build time, so text is wrapped by an estimated width per character
(see `text_width`). Every coordinate is rounded to 0.1 so the same tree always gives the
same bytes.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import random
import unicodedata
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from trees.model import Outcome, Question, Tree, Verdict

# The verdict line of an outcome box: an icon and a word, so colour is never the only sign.
VERDICT_MARKS: dict[Verdict, tuple[str, str]] = {
    "go": ("✓", "Go"),
    "caution": ("!", "Go with care"),
    "decline": ("✕", "Decline"),
}

FONT_SIZE = 14  # node text, px; the stylesheet must not change it or boxes stop fitting
LINE_HEIGHT = 18
LABEL_FONT_SIZE = 13  # answer labels on the arrows
LABEL_LINE_HEIGHT = 16
NODE_TEXT_WIDTH = 200  # widest line of node text before it wraps
LABEL_TEXT_WIDTH = 120
NODE_PAD_X, NODE_PAD_Y = 12, 9
LABEL_PAD_X, LABEL_PAD_Y = 6, 3
LABEL_GAP = 4  # between a label and the line it belongs to, which runs down its left side
NODE_MIN_WIDTH = 96
BOX_GAP = 24  # between two boxes side by side
LANE_GAP = 12  # between a label or a passing line and anything beside it
LAYER_GAP = 24  # least room between two layers, where the lines run diagonally
MAX_LAYER_GAP = 72
SLOPE = 0.45  # a gap grows with the widest sideways run through it, so lines never lie flat
PORT_STEP = 20  # how far apart the ends of several edges on one box side sit
MARGIN = 8
MIN_PASSES, MAX_PASSES, CROSSING_BUDGET = 10, 100, 10_000
SWEEPS = 4  # down-and-up passes that pull each vertex towards its neighbours
SETTLED = 0.5  # px: a pass that moves nothing further than this ends the sweeps
TIGHTEN_ROUNDS = 8  # passes that move nodes to shorten edges; most trees settle in two
UNTANGLE_ROUNDS = 24  # at most, alternating down and up, as dot's MaxIter
# Rounds in a row without taking off more than 1 - CONVERGENCE of the crossings that end the
# untangling, as dot's MinQuit and Convergence.
PATIENCE, CONVERGENCE = 8, 0.995
MIN_STARTS, MAX_STARTS, START_BUDGET = 2, 6, 600  # first orders: START_BUDGET // vertices
BOLD = 1.15  # room for the verdict line in bold, which runs up to this much wider


@dataclass(frozen=True)
class Box:
    """A rectangle with its wrapped text: a node, or an answer label (then `node` is the
    question the answer belongs to). `x`, `y` is the top left corner."""

    node: str
    x: float
    y: float
    w: float
    h: float
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Edge:
    """One answer's arrow: from the bottom of `source` through its label to `target`'s top."""

    source: str
    target: str
    answer: int  # the answer's index in the source question
    label_lines: tuple[str, ...]
    points: tuple[tuple[float, float], ...]
    label: Box


@dataclass(frozen=True)
class Layout:
    """Where everything goes; `width` and `height` make the SVG viewBox."""

    boxes: dict[str, Box]
    edges: tuple[Edge, ...]
    width: float
    height: float


# ---------------------------------------------------------------- text


# Widths in em of every printable ASCII character, measured in DejaVu Sans and Liberation
# Sans (Arial's metrics) and rounded up to a few classes. Linux browsers draw Material's
# `font: false` stack ("-apple-system, BlinkMacSystemFont, Helvetica, Arial, sans-serif")
# in one of these two, and DejaVu is the widest of the usual system sans fonts, so text
# measured this way also fits under Segoe UI and San Francisco, with some slack there.
# One average width for all characters would either overflow on "MMMM" or "<<>>" or waste
# a third of every box on "illicit".
_ASCII_EM = {
    **dict.fromkeys("'ijlI", 0.3),
    **dict.fromkeys(" ,./:;\\|", 0.34),
    **dict.fromkeys("f-()[]t!r", 0.42),
    **dict.fromkeys('"*J`', 0.5),
    **dict.fromkeys("szc?L_", 0.56),
    **dict.fromkeys("kvxyFTaeo0123456789$bdghnpqu{}", 0.64),
    **dict.fromkeys("EKPSYABVXZ", 0.7),
    **dict.fromkeys("CRUNH&DGOQ", 0.8),
    **dict.fromkeys("w#+<=>^~M", 0.88),
    **dict.fromkeys("%mW@", 1.02),
}
_EM_OTHER = 1.0  # anything else: CJK is 1em, symbols and dashes rarely wider


@functools.cache
def _em(char: str) -> float:
    if unicodedata.combining(char):
        return 0.0
    base = unicodedata.normalize("NFD", char)[0]  # "é" is as wide as "e"
    return _ASCII_EM.get(base, _EM_OTHER)


# Words and labels come back across a handbook's trees ("Yes", "the", "customer"), so their
# widths and wrapped lines are kept; the cache is bounded, the answers never change.
@functools.lru_cache(maxsize=65536)
def text_width(text: str, font_size: float) -> float:
    """The estimated rendered width of `text` in px, on the generous side."""
    if text.isascii() and text.isprintable():  # the common case, looked up without calls
        return sum(map(_ASCII_EM.__getitem__, text)) * font_size
    return sum(map(_em, text)) * font_size


@functools.lru_cache(maxsize=8192)
def wrap(text: str, max_width: float, font_size: float) -> tuple[str, ...]:
    """Break `text` into lines no wider than `max_width`; a longer word is cut into pieces."""
    lines: list[str] = []
    line = ""
    space = text_width(" ", font_size)
    width = 0.0
    for word in text.split():
        word_width = text_width(word, font_size)
        if line and width + space + word_width <= max_width:
            line, width = f"{line} {word}", width + space + word_width
            continue
        if line:
            lines.append(line)
        line, width = "", 0.0
        while word_width > max_width:  # a URL or a long compound: cut where it stops fitting
            cut, cut_width = 0, 0.0
            while cut < len(word) - 1 and cut_width + _em(word[cut]) * font_size <= max_width:
                cut_width += _em(word[cut]) * font_size
                cut += 1
            lines.append(word[: max(cut, 1)])
            word = word[max(cut, 1) :]
            word_width = text_width(word, font_size)
        line, width = word, word_width
    if line or not lines:
        lines.append(line)
    return tuple(lines)


def _lines_width(lines: tuple[str, ...], font_size: float) -> float:
    return max(text_width(line, font_size) for line in lines)


def _node_size(node: Question | Outcome) -> tuple[tuple[str, ...], float, float]:
    """The lines an outcome or question box shows, and the box's width and height."""
    lines = wrap(node.text, NODE_TEXT_WIDTH, FONT_SIZE)
    text = _lines_width(lines, FONT_SIZE)
    if isinstance(node, Outcome):
        verdict, verdict_width = _verdict_line(node.verdict)
        text = max(text, verdict_width)
        lines = (verdict, *lines)
    width = max(NODE_MIN_WIDTH, math.ceil(text + 2 * NODE_PAD_X))
    return lines, width, len(lines) * LINE_HEIGHT + 2 * NODE_PAD_Y


@functools.cache
def _verdict_line(verdict: Verdict) -> tuple[str, float]:
    """An outcome's verdict line and its width in bold."""
    icon, word = VERDICT_MARKS[verdict]
    return f"{icon} {word}", text_width(f"{icon} {word}", FONT_SIZE) * BOLD


def _label_size(label: str) -> tuple[tuple[str, ...], float, float]:
    lines = wrap(label, LABEL_TEXT_WIDTH, LABEL_FONT_SIZE)
    width = math.ceil(_lines_width(lines, LABEL_FONT_SIZE) + 2 * LABEL_PAD_X)
    return lines, width, len(lines) * LABEL_LINE_HEIGHT + 2 * LABEL_PAD_Y


# ---------------------------------------------------------------- layering


def _ranks(tree: Tree) -> dict[str, int]:
    """Each node's longest distance from a node nothing points to (the start, in a checked
    tree): every edge then goes down, and a node sits below all the paths that reach it."""
    indegree = dict.fromkeys(tree.nodes, 0)
    for node in tree.nodes.values():
        if isinstance(node, Question):
            for answer in node.answers:
                indegree[answer.next] += 1
    rank = dict.fromkeys(tree.nodes, 0)
    ready = deque(node_id for node_id, count in indegree.items() if count == 0)
    done = 0
    while ready:
        node = tree.nodes[ready.popleft()]
        done += 1
        if isinstance(node, Question):
            for answer in node.answers:
                rank[answer.next] = max(rank[answer.next], rank[node.id] + 1)
                indegree[answer.next] -= 1
                if indegree[answer.next] == 0:
                    ready.append(answer.next)
    if done != len(tree.nodes):
        raise ValueError(f"tree '{tree.id}' has a cycle; only checked trees can be laid out")
    return rank


def _tighten(tree: Tree, rank: dict[str, int]) -> dict[str, int]:
    """Shorter edges: move each node, within the layers its neighbours leave free, to where
    the layers its edges span add up to least (more edges in than out: up; more out than
    in: down), until nothing moves. Fewer layers crossed means fewer lines running past
    boxes, fewer crossings and a smaller chart; the start stays on top."""
    preds: dict[str, list[str]] = {node_id: [] for node_id in tree.nodes}
    succs: dict[str, list[str]] = {node_id: [] for node_id in tree.nodes}
    for node in tree.nodes.values():
        if isinstance(node, Question):
            for answer in node.answers:
                succs[node.id].append(answer.next)
                preds[answer.next].append(node.id)
    order = sorted(tree.nodes, key=lambda node_id: (-rank[node_id], node_id))
    for _ in range(TIGHTEN_ROUNDS):
        moved = False
        for node_id in order:
            ins, outs = preds[node_id], succs[node_id]
            if not ins or len(ins) == len(outs):
                continue
            if len(ins) > len(outs):
                best = max(rank[p] for p in ins) + 1
            else:
                best = min(rank[s] for s in outs) - 1
            if best != rank[node_id]:
                rank[node_id] = best
                moved = True
        if not moved:
            break
    return rank


def _offsets(
    row: list[int], lefts: list[float], rights: list[float], gaps: list[float]
) -> list[float]:
    """The least distance from the first anchor of a layer to each anchor after it; a
    vertex reaches `lefts` to the left of its anchor and `rights` to the right."""
    offsets = [0.0]
    for i in range(1, len(row)):
        offsets.append(offsets[-1] + rights[row[i - 1]] + lefts[row[i]] + gaps[i - 1])
    return offsets


def _place(
    rows: list[list[int]],
    preds: list[list[int]],
    succs: list[list[int]],
    lefts: list[float],
    rights: list[float],
    node_count: int,
) -> list[float]:
    """The x of every vertex's anchor (a box's centre, a label's line), keeping each
    layer's order and spacing.

    Each row starts packed tight and centred; then sweeps go down (each vertex towards the
    mean of those above it) and up (towards those below), as Sugiyama-style drawings do.
    Every sweep is linear in the vertices and edges, so the whole placement is too, and
    the sweeps end early once a round moves nothing noticeably. Vertices numbered below
    `node_count` are node boxes, which keep a wider gap between them.
    """
    offsets = []
    for row in rows:
        gaps = [
            BOX_GAP if a < node_count and b < node_count else LANE_GAP
            for a, b in itertools.pairwise(row)
        ]
        offsets.append(_offsets(row, lefts, rights, gaps))

    x = [0.0] * len(lefts)
    for row, row_offsets in zip(rows, offsets, strict=True):
        middle = sum(row_offsets) / len(row_offsets)  # packed tight, centred on 0
        for vertex, offset in zip(row, row_offsets, strict=True):
            x[vertex] = offset - middle
    moved = 0.0
    for sweep in range(2 * SWEEPS):
        down = sweep % 2 == 0
        if down and sweep and moved < SETTLED:
            break
        moved = 0.0 if down else moved
        near = preds if down else succs
        for r in range(1, len(rows)) if down else range(len(rows) - 2, -1, -1):
            row = rows[r]
            row_offsets = offsets[r]
            # Each vertex wants the mean x of its neighbours on the layer the sweep comes
            # from (its own x without any). The constraint "x[i] - x[0] >= offsets[i]"
            # between neighbours becomes "x[i] - offsets[i] is non-decreasing", an isotonic
            # regression: pool adjacent violators, in linear time, blocks of (mean, count).
            means: list[float] = []
            counts: list[int] = []
            for vertex, offset in zip(row, row_offsets, strict=True):
                around = near[vertex]
                if not around:
                    mean = x[vertex] - offset
                elif len(around) == 1:
                    mean = x[around[0]] - offset
                else:
                    mean = sum(map(x.__getitem__, around)) / len(around) - offset
                count = 1
                while means and means[-1] >= mean:
                    before, many = means.pop(), counts.pop()
                    mean = (before * many + mean * count) / (many + count)
                    count += many
                means.append(mean)
                counts.append(count)
            if len(means) == len(row):  # nothing pooled, as in most rows: one block each
                for vertex, mean, offset in zip(row, means, row_offsets, strict=True):
                    centre = mean + offset
                    shift = abs(centre - x[vertex])
                    if shift > moved:
                        moved = shift
                    x[vertex] = centre
                continue
            i = 0
            for mean, count in zip(means, counts, strict=True):
                for vertex in row[i : i + count]:
                    centre = mean + row_offsets[i]
                    shift = abs(centre - x[vertex])
                    if shift > moved:
                        moved = shift
                    x[vertex] = centre
                    i += 1
    return x


def _positions(rows: list[list[int]], size: int) -> list[int]:
    """Each vertex's index within its layer, by vertex number."""
    position = [0] * size
    for row in rows:
        for i, vertex in enumerate(row):
            position[vertex] = i
    return position


def _crossings(lower: list[int], preds: list[list[int]], position: list[int]) -> int:
    """Crossings of the edges into the layer `lower` from the one above, in their present
    orders: pairs of edges whose upper ends stand in the other order than their lower ends.
    Each upper end is counted against those already seen in a sorted list (bisect and
    insort run in C, which beats a Fenwick tree written in Python at these sizes)."""
    seen: list[int] = []
    count = 0
    for vertex in lower:
        around = preds[vertex]
        if len(around) == 1:
            end = position[around[0]]
            count += len(seen) - bisect.bisect_right(seen, end)
            bisect.insort(seen, end)
            continue
        for end in sorted([position[n] for n in around]):  # one vertex's own edges never cross
            count += len(seen) - bisect.bisect_right(seen, end)
            bisect.insort(seen, end)
    return count


def _total_crossings(rows: list[list[int]], preds: list[list[int]], position: list[int]) -> int:
    return sum(_crossings(rows[r], preds, position) for r in range(1, len(rows)))


def _walk(
    rows: list[list[int]], succs: list[list[int]], start: int, shuffle: random.Random | None
) -> list[list[int]]:
    """Each layer in the order in which a depth-first walk from the start meets its
    vertices, taking each vertex's `succs` in their order, or shuffled by `shuffle`."""
    seen: dict[int, int] = {}
    stack = [start]
    while stack:
        vertex = stack.pop()
        if vertex in seen:
            continue
        seen[vertex] = len(seen)
        after = list(reversed(succs[vertex]))  # popped last first: answers as written
        if shuffle is not None:
            shuffle.shuffle(after)
        stack += after
    return [sorted(row, key=lambda v: seen.get(v, len(seen) + v)) for row in rows]


def _fewest_crossings(
    rows: list[list[int]],
    preds: list[list[int]],
    succs: list[list[int]],
    start: int,
    igraph_order: Callable[[], list[list[int]]],
) -> list[list[int]]:
    """The least crossed of several untangled orders: from the order in which a depth-first
    walk from the start meets each vertex taking answers as written (on a tree whose paths
    never meet, that order crosses nothing and ends the search); from igraph's; and, on
    graphs small enough to afford it (START_BUDGET // vertices first orders), from a walk
    taking answers last to first and from walks that take each question's answers in a
    shuffled order (seeded, so the same tree always gets the same drawing). Each finds the
    better drawing on some trees. Of orders that cross as often, the one showing more
    answers in their written order wins, and the search ends once an order crosses nothing
    and shows every answer as written. The walks order `rows` afresh, whatever order its
    layers come in; igraph's order is `igraph_order`, computed only when it is tried."""
    single_pred = [around[0] if len(around) == 1 else -1 for around in preds]
    single_succ = [around[0] if len(around) == 1 else -1 for around in succs]
    backwards = [list(reversed(around)) for around in succs]
    firsts = [
        lambda: _walk(rows, succs, start, None),
        igraph_order,
        lambda: _walk(rows, backwards, start, None),
    ]
    firsts += [
        functools.partial(_walk, rows, succs, start, random.Random(seed))
        for seed in range(MAX_STARTS - len(firsts))
    ]
    starts = max(MIN_STARTS, min(MAX_STARTS, START_BUDGET // len(preds)))
    pairs = sum(len(after) * (len(after) - 1) // 2 for after in succs)
    best, fewest, most = rows, math.inf, -1
    for first in firsts[:starts]:
        found, crossed = _untangle(first(), preds, succs, single_pred, single_succ)
        if crossed > fewest:
            continue
        written = abs(_written(found, succs))
        if crossed < fewest or written > most:
            best, fewest, most = found, crossed, written
        if not fewest and most == pairs:
            break
    return best if _written(best, succs) >= 0 else [row[::-1] for row in best]


def _written(rows: list[list[int]], succs: list[list[int]]) -> int:
    """How many more pairs of a question's answers stand left to right in the order they
    are written (a vertex's `succs` are in that order) than the other way round. Mirroring
    every layer crosses exactly as often and turns the sign, so a search that found its
    best from a walk taking answers last to first does not leave the chart reading
    backwards."""
    position = _positions(rows, len(succs))
    forwards = 0
    for after in succs:
        for a, b in itertools.combinations(after, 2):
            forwards += (position[a] < position[b]) - (position[a] > position[b])
    return forwards


def _untangle(
    rows: list[list[int]],
    preds: list[list[int]],
    succs: list[list[int]],
    single_pred: list[int],
    single_succ: list[int],
) -> tuple[list[list[int]], int]:
    """Fewer crossings than a first order has, as Graphviz's dot finds them: neighbour swaps
    (`_transpose`), then rounds of a median sweep, down and up in turn, each followed by
    swaps again, keeping the best order seen, which is returned with its crossings. A
    vertex with no edge to the layer the sweep comes from keeps its place; in two rounds of
    every four, vertices whose medians tie change places, and in the other two, swaps that
    cross as often are made too, which lets the order out of dead ends. The rounds stop
    after PATIENCE of them in a row without a noticeable improvement."""
    position = _positions(rows, len(preds))
    fewest = _total_crossings(rows, preds, position)
    if fewest:
        fewest -= _transpose(rows, preds, succs, position, single_pred, single_succ, False)
    best = [row[:] for row in rows]
    idle = 0
    for sweep in range(UNTANGLE_ROUNDS):
        if idle >= PATIENCE or not fewest:
            break
        idle += 1
        reverse = sweep % 4 < 2
        down = sweep % 2 == 0
        near = preds if down else succs
        single = single_pred if down else single_succ
        for r in range(1, len(rows)) if down else range(len(rows) - 2, -1, -1):
            row = rows[r]
            tie = -1 if reverse else 1
            moving: list[tuple[float, int, int]] = []  # median, place (ties), vertex
            stays = False
            for i, vertex in enumerate(row):
                if single[vertex] >= 0:
                    moving.append((position[single[vertex]], tie * i, vertex))
                    continue
                spots = sorted([position[n] for n in near[vertex]])
                if not spots:
                    stays = True  # no edge to that layer: it keeps its place
                elif len(spots) % 2:
                    moving.append((spots[len(spots) // 2], tie * i, vertex))
                elif len(spots) == 2:
                    moving.append(((spots[0] + spots[1]) / 2, tie * i, vertex))
                else:  # dot's weighted median: nearer the side where the ends bunch
                    middle = len(spots) // 2
                    left = spots[middle - 1] - spots[0]
                    right = spots[-1] - spots[middle]
                    median = (
                        (spots[middle - 1] * right + spots[middle] * left) / (left + right)
                        if left + right
                        else (spots[middle - 1] + spots[middle]) / 2
                    )
                    moving.append((median, tie * i, vertex))
            moving.sort()
            if stays:
                kept = set(row).difference(item[2] for item in moving)
                slots = iter(moving)
                row[:] = [vertex if vertex in kept else next(slots)[2] for vertex in row]
            else:
                row[:] = [item[2] for item in moving]
            for i, vertex in enumerate(row):
                position[vertex] = i
        _transpose(rows, preds, succs, position, single_pred, single_succ, not reverse)
        found = _total_crossings(rows, preds, position)
        if found <= fewest:
            if found < CONVERGENCE * fewest:
                idle = 0
            fewest, best = found, [row[:] for row in rows]
    return best, fewest


def _transpose(
    rows: list[list[int]],
    preds: list[list[int]],
    succs: list[list[int]],
    position: list[int],
    single_pred: list[int],
    single_succ: list[int],
    ties: bool,
) -> int:
    """Swap neighbours in a layer wherever that crosses fewer edges, round after round
    until a round takes no crossing away; with `ties`, also where it crosses as often (but
    not where neither order crosses). A layer is looked at again only when it or a layer
    beside it changed since, as dot does. Each round that goes on has fewer crossings than
    the one before, so the rounds end. Returns how many crossings the swaps took away."""
    candidate = [True] * len(rows)
    last = len(rows) - 1
    total, gained = 0, 1
    while gained:
        gained = 0
        for r, row in enumerate(rows):
            if not candidate[r]:
                continue
            candidate[r] = False
            moved = False
            # u is the left one of the pair; after a swap it stays u, one place further on.
            u = row[0]
            up_u, down_u = single_pred[u], single_succ[u]
            for i in range(1, len(row)):
                v = row[i]
                up_v, down_v = single_pred[v], single_succ[v]
                if up_u >= 0 and up_v >= 0 and down_u >= 0 and down_v >= 0:  # passing lines
                    a, b = position[up_u], position[up_v]
                    c, d = position[down_u], position[down_v]
                    if a < b and c < d:  # the most common case: in order, nothing to do
                        u, up_u, down_u = v, up_v, down_v
                        continue
                    now, swapped = (a > b) + (c > d), (a < b) + (c < d)
                else:
                    # Edges of u and v to the same layer cross when their ends there are in
                    # the other order: count both orders at once (shared ends cross in neither).
                    now = swapped = 0
                    for near in (preds, succs):
                        for n in near[u]:
                            at = position[n]
                            for m in near[v]:
                                other = position[m]
                                if at > other:
                                    now += 1
                                elif at < other:
                                    swapped += 1
                if swapped < now or (ties and now and swapped == now):
                    row[i - 1], row[i] = v, u
                    position[u], position[v] = i, i - 1
                    gained += now - swapped
                    moved = True
                else:
                    u, up_u, down_u = v, up_v, down_v
            if moved:
                candidate[r] = True
                if r:
                    candidate[r - 1] = True
                if r < last:
                    candidate[r + 1] = True
        total += gained
    return total


def _ports(left: float, width: float, neighbours: list[float]) -> list[float]:
    """Where several edges meet one side of a box (its left edge and width): spread around
    its centre, in the order of the vertices they come from or go to, so they do not cross
    at the box."""
    count = len(neighbours)
    centre = left + width / 2
    if count == 1:  # the one edge meets the middle, as the spread below would put it
        return [centre]
    step = min(width / (count + 1), PORT_STEP)
    spots = [centre + (i - (count - 1) / 2) * step for i in range(count)]
    order = sorted(range(count), key=lambda i: (neighbours[i], i))
    result = [0.0] * count
    for spot, i in zip(spots, order, strict=True):
        result[i] = spot
    return result


def _round(value: float) -> float:
    return round(value, 1) + 0.0  # + 0.0 turns -0.0 into 0.0


def layout(tree: Tree) -> Layout:
    """Lay a checked (acyclic) tree out top to bottom: boxes, labelled arrows, total size."""
    node_ids = list(tree.nodes)
    index = {node_id: i for i, node_id in enumerate(node_ids)}
    rank = _tighten(tree, _ranks(tree))

    # Vertices: nodes, then one label per answer, then the points long lines pass through.
    layer: list[int] = [2 * rank[node_id] for node_id in node_ids]
    lefts: list[float] = []  # how far each vertex reaches left of its anchor, and right
    rights: list[float] = []
    node_boxes: list[tuple[tuple[str, ...], float, float]] = []
    for node_id in node_ids:
        node_boxes.append(_node_size(tree.nodes[node_id]))
        lefts.append(node_boxes[-1][1] / 2)
        rights.append(node_boxes[-1][1] / 2)
    answers: list[tuple[str, int, str, tuple[tuple[str, ...], float, float]]] = []
    label_sizes: dict[str, tuple[tuple[str, ...], float, float]] = {}
    for node_id in node_ids:
        node = tree.nodes[node_id]
        if isinstance(node, Question):
            for i, answer in enumerate(node.answers):
                if answer.label not in label_sizes:  # "Yes" and "No" come back often
                    label_sizes[answer.label] = _label_size(answer.label)
                answers.append((node_id, i, answer.next, label_sizes[answer.label]))
                layer.append(2 * rank[node_id] + 1)
                lefts.append(0.0)  # the anchor is the line; the label hangs to its right
                rights.append(LABEL_GAP + answers[-1][3][1])

    # The order within each layer is untangled on the nodes' own layers, without the label
    # layers between them: every vertex of a label layer has one edge in and one out, so
    # once the nodes' layers are ordered, sorting a label layer by the places of its
    # vertices' ends (above, then below) crosses no more than the two layers' edges must.
    # That halves the vertices the untangling moves. A long edge gets a point on every
    # layer it passes; igraph gives one of the first orders.
    count = len(node_ids)
    rank_of = [rank[node_id] for node_id in node_ids]
    routes: list[list[int]] = []  # per answer: source, points on the layers passed, target
    for source, _, target, _ in answers:
        route = [index[source]]
        for y in range(rank_of[route[0]] + 1, rank_of[index[target]]):
            route.append(len(rank_of))
            rank_of.append(y)
        routes.append([*route, index[target]])
    above: list[list[int]] = [[] for _ in rank_of]
    below: list[list[int]] = [[] for _ in rank_of]
    for route in routes:
        for a, b in itertools.pairwise(route):
            below[a].append(b)
            above[b].append(a)
    layers: list[list[int]] = [[] for _ in range(max(rank_of) + 1)]
    for vertex, r in enumerate(rank_of):
        layers[r].append(vertex)

    def igraph_order() -> list[list[int]]:
        """Each layer in the order of igraph's Sugiyama layout. Only asked for when the
        first walk's order leaves crossings or answers out of their written order."""
        # Imported here, not at the top: most written trees never get this far, and a build
        # (above all a dirty one) that draws no such tree is spared igraph's import, about
        # 50 ms of CPU and 10 MiB.
        import igraph

        # GraphBase, not Graph: Graph's constructor tries to import numpy on every call,
        # which costs more than a small tree's layout; the C layout is the same either way.
        graph = igraph.GraphBase(count, [(route[0], route[-1]) for route in routes], True)
        # igraph's crossing reduction runs a fixed number of passes over the whole graph; on
        # large trees a few passes find nearly as few crossings as many, so the passes
        # shrink as the graph grows and the work stays roughly linear in its size.
        passes = max(MIN_PASSES, min(MAX_PASSES, CROSSING_BUDGET // (count + len(answers))))
        coords, edge_routing = igraph.GraphBase._layout_sugiyama(
            graph, rank_of[:count], None, 1, 1, passes
        )
        order_x = [x for x, _ in coords[:count]] + [0.0] * (len(rank_of) - count)
        for k, route in enumerate(routes):
            a, b = rank_of[route[0]], rank_of[route[-1]]
            points = sorted(edge_routing[k], key=lambda point: point[1])
            if [int(y) for _, y in points] != list(range(a + 1, b)):
                # igraph 1.0 hands a graph of several parts the wrong edges' points (a
                # checked tree is one part): evenly spaced between the ends instead.
                x_a, x_b = order_x[route[0]], order_x[route[-1]]
                points = [(x_a + (x_b - x_a) * (y - a) / (b - a), y) for y in range(a + 1, b)]
            for vertex, (x, _) in zip(route[1:-1], points, strict=True):
                order_x[vertex] = x
        ranked: list[list[int]] = [[] for _ in layers]
        for vertex in sorted(range(len(rank_of)), key=lambda v: (order_x[v], v)):
            ranked[rank_of[vertex]].append(vertex)
        return ranked

    ranked = _fewest_crossings(layers, above, below, index[tree.start], igraph_order)

    # Back to every layer: a node keeps its number, each point of a long edge on a node
    # layer gets one, and so does each vertex of a label layer (the label itself on its
    # question's, a point of the line on any other).
    place = _positions(ranked, len(rank_of))
    vertex_of = list(range(count)) + [0] * (len(rank_of) - count)
    chains: list[list[int]] = []  # per answer: label, points..., target
    between: list[list[tuple[int, int, int, int]]] = [[] for _ in ranked]
    for k, route in enumerate(routes):
        label = count + k
        chain = [label]
        between[rank_of[route[0]]].append((place[route[0]], place[route[1]], k, label))
        for i in range(1, len(route) - 1):
            point = route[i]
            for depth in (2 * rank_of[point], 2 * rank_of[point] + 1):
                chain.append(len(layer))
                layer.append(depth)
                lefts.append(0.0)
                rights.append(0.0)
            vertex_of[point] = chain[-2]
            between[rank_of[point]].append((place[point], place[route[i + 1]], k, chain[-1]))
        chains.append([*chain, index[answers[k][2]]])

    preds: list[list[int]] = [[] for _ in layer]
    succs: list[list[int]] = [[] for _ in layer]
    for k, chain in enumerate(chains):
        path = [index[answers[k][0]], *chain]
        for a, b in itertools.pairwise(path):
            succs[a].append(b)
            preds[b].append(a)

    rows: list[list[int]] = []
    for r, row in enumerate(ranked):
        rows.append([vertex_of[v] for v in row])
        rows.append([item[3] for item in sorted(between[r])])
    rows.pop()  # nothing hangs below the last layer of nodes
    x = _place(rows, preds, succs, lefts, rights, len(node_ids))

    # Heights: each layer is as tall as its tallest box; boxes hang from the layer's top so
    # every arrow into a layer ends on the same line.
    heights = [0.0] * len(rows)
    for vertex in range(len(node_ids)):
        heights[layer[vertex]] = max(heights[layer[vertex]], node_boxes[vertex][2])
    for k, item in enumerate(answers):
        row = layer[len(node_ids) + k]
        heights[row] = max(heights[row], item[3][2])
    shift = MARGIN - min(x[v] - lefts[v] for v in range(len(layer)))
    # Boxes get their x now and their y once the gaps between layers are known.
    lefts_of = {
        node_id: _round(x[vertex] + shift - node_boxes[vertex][1] / 2)
        for vertex, node_id in enumerate(node_ids)
    }
    widths_of = {node_id: node_boxes[vertex][1] for vertex, node_id in enumerate(node_ids)}

    out_port: dict[int, float] = {}
    in_port: dict[int, float] = {}
    by_source: dict[str, list[int]] = {}
    by_target: dict[str, list[int]] = {}
    for k, (source, _, target, _) in enumerate(answers):
        by_source.setdefault(source, []).append(k)
        by_target.setdefault(target, []).append(k)
    for source, ks in by_source.items():
        spots = _ports(lefts_of[source], widths_of[source], [x[chains[k][0]] for k in ks])
        out_port.update(zip(ks, spots, strict=True))
    for target, ks in by_target.items():
        spots = _ports(lefts_of[target], widths_of[target], [x[chains[k][-2]] for k in ks])
        in_port.update(zip(ks, spots, strict=True))

    # Each gap between layers grows with the widest sideways move through it, ends at the
    # boxes' ports included, so that no curve there has to turn sharply.
    runs = [0.0] * len(rows)
    for a, vertices in enumerate(succs):
        for b in vertices:
            runs[layer[a]] = max(runs[layer[a]], abs(x[b] - x[a]))
    for k, chain in enumerate(chains):
        first, last = layer[index[answers[k][0]]], layer[chain[-2]]
        runs[first] = max(runs[first], abs(x[chain[0]] + shift - out_port[k]))
        runs[last] = max(runs[last], abs(in_port[k] - x[chain[-2]] - shift))
    tops = [float(MARGIN)]
    for h, run in zip(heights[:-1], runs, strict=False):
        tops.append(tops[-1] + h + min(MAX_LAYER_GAP, max(LAYER_GAP, run * SLOPE)))
    boxes: dict[str, Box] = {}
    for vertex, node_id in enumerate(node_ids):
        lines, w, h = node_boxes[vertex]
        boxes[node_id] = Box(node_id, lefts_of[node_id], _round(tops[layer[vertex]]), w, h, lines)

    edges: list[Edge] = []
    for k, (source, answer, target, (label_lines, label_w, label_h)) in enumerate(answers):
        label_vertex = chains[k][0]
        label_row = layer[label_vertex]
        line = _round(x[label_vertex] + shift)
        label_top = tops[label_row] + (heights[label_row] - label_h) / 2
        label = Box(
            source,
            _round(line + LABEL_GAP),
            _round(label_top),
            label_w,
            label_h,
            label_lines,
        )
        src, tgt = boxes[source], boxes[target]
        start_row = layer[index[source]]
        points = [(out_port[k], src.y + src.h), (out_port[k], tops[start_row] + heights[start_row])]
        for vertex in chains[k][:-1]:
            row = layer[vertex]
            points += [
                (x[vertex] + shift, tops[row]),
                (x[vertex] + shift, tops[row] + heights[row]),
            ]
        # The curve into the box arrives vertically, so the arrowhead points straight down.
        points.append((in_port[k], tgt.y))
        edges.append(Edge(source, target, answer, label_lines, _straighten(points), label))

    width = max(box.x + box.w for box in boxes.values())
    width = max(width, max(edge.label.x + edge.label.w for edge in edges) if edges else 0.0)
    height = max(box.y + box.h for box in boxes.values())
    return Layout(boxes, tuple(edges), _round(width + MARGIN), _round(height + MARGIN))


def _straighten(points: list[tuple[float, float]]) -> tuple[tuple[float, float], ...]:
    """Rounded points without repeats or middle points of straight vertical runs."""
    kept: list[tuple[float, float]] = []
    for x, y in points:
        point = (round(x, 1) + 0.0, round(y, 1) + 0.0)  # _round, inline: this runs often
        if kept and kept[-1] == point:
            continue
        if len(kept) >= 2 and kept[-2][0] == kept[-1][0] == point[0]:
            kept[-1] = point
            continue
        kept.append(point)
    return tuple(kept)
