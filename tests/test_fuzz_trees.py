"""Random trees through the whole tree pipeline: fences, YAML, checks, layout and SVG.

Hypothesis writes tree fences, valid and broken, into random pages and runs each through
`find_fences`, `load_tree`, `layout` and `render_tree`. Whatever the YAML holds, nothing but
`Problem`s ever comes out; a broken tree always gets a problem inside its own fence; a valid
tree always draws, with no two boxes or labels on top of each other and everything inside
the viewBox; and no YAML tag ever runs code.

The suite runs a short, deterministic round (the `short` profile, 100 examples per
property). The long round tries 10,000 examples per property, with fresh random choices
each time:

    HYPOTHESIS_PROFILE=long .venv/bin/pytest tests/test_fuzz_trees.py
"""

from __future__ import annotations

import html
import itertools
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trees.fences import Fence, find_fences
from trees.layout import (
    FONT_SIZE,
    LABEL_FONT_SIZE,
    LABEL_PAD_X,
    NODE_PAD_X,
    Layout,
    layout,
    text_width,
)
from trees.model import MarkdownText, ReadLink, Tree
from trees.parse import load_tree
from trees.render import render_tree

settings.register_profile(
    "short",
    max_examples=100,
    derandomize=True,  # the same examples on every run, so a failure here is reproducible
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long",
    max_examples=10_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "short"))

# A tag payload that leaves a trace if it is ever obeyed: it creates this file.
MARKER = Path(tempfile.gettempdir()) / f"decision-tree-fuzz-{os.getpid()}.marker"
TOUCH = f"touch {MARKER}"
PAYLOADS = [
    f'!!python/object/apply:os.system ["{TOUCH}"]',
    f"!!python/object/apply:os.system\n  args: ['{TOUCH}']",
    f'!!python/object/new:os.system ["{TOUCH}"]',
    f"!!python/object/apply:subprocess.check_call [[sh, -c, '{TOUCH}']]",
    "!!python/name:os.system",
    "!!python/module:os",
    '!<tag:yaml.org,2002:python/object/apply:os.system> ["' + TOUCH + '"]',
    '!custom "x"',
    "!!binary aGVsbG8=",
    "!!str Yes",
]


# ---------------------------------------------------------------- writing YAML


_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,.?()]*[A-Za-z0-9.?)]|[A-Za-z]")
# Words YAML 1.1 would turn into booleans, numbers, nulls or dates: they must stay text.
TRICKY_WORDS = [
    "Yes", "No", "On", "Off", "y", "n", "true", "null", "~", "1.0", "1.10", "0x1F", "1e3",
    ".inf", ".NaN", "2024-01-31", "12:30", "0o17", "+1", "-", "=", "<<",
]  # fmt: skip


def quote(text: str) -> str:
    """`text` as a double-quoted YAML scalar; characters YAML will not carry raw are escaped."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif code < 0x20 or 0x7F <= code <= 0x9F or code in (0x2028, 0x2029, 0xFEFF):
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def scalar(text: str, style: int) -> str:
    """`text` as plain, single- or double-quoted YAML, whichever `style` asks and allows."""
    # A few tricky words would be YAML syntax, not text, when unquoted.
    plain = _PLAIN.fullmatch(text) or text in TRICKY_WORDS
    if style == 0 and plain and text not in ("-", "~", "<<", "12:30"):
        return text
    if style == 1 and text.isprintable() and "\n" not in text:
        return "'" + text.replace("'", "''") + "'"
    return quote(text)


def block(text: str, indent: str) -> str | None:
    """`text` as a `|-` block scalar, or None when a block cannot hold it exactly."""
    lines = text.split("\n")
    if any(not line or line[0].isspace() or not line.isprintable() for line in lines):
        return None
    return "|-\n" + "".join(f"{indent}{line}\n" for line in lines)[:-1]


# ---------------------------------------------------------------- valid trees


@dataclass
class Spec:
    """A valid tree as data, and the YAML it is written as."""

    tree_id: str
    title: str
    start: str
    summary: str | None
    nodes: dict[str, dict] = field(default_factory=dict)
    yaml: str = ""


# Ids by the character rules, including the words YAML 1.1 would read as booleans or numbers.
id_words = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=6)
ids = st.one_of(
    st.lists(id_words, min_size=1, max_size=4).map("-".join),
    st.sampled_from(["y", "n", "no", "on", "off", "yes", "true", "null", "0", "010", "1e3"]),
    st.just("a" * 64),
)
# Text a writer might type: any letters, marks, symbols and spaces, from any script, plus
# the words YAML 1.1 would misread. No control characters: YAML refuses them (see the last test).
letters = st.characters(exclude_categories=("Cs", "Cc", "Cn", "Co"))
text_strategy = st.one_of(
    st.text(letters, min_size=1, max_size=60),
    st.sampled_from(TRICKY_WORDS),
    st.builds(lambda word, n: " ".join([word] * n), st.sampled_from(["Why", "x" * 30]),
              st.integers(1, 6)),
    st.text(st.sampled_from("aéM W&<>\"'`*_[]#:-!|>%@"), min_size=1, max_size=40),
).filter(lambda text: text.strip() != "")  # fmt: skip
markdown_strategy = st.one_of(
    text_strategy,
    st.lists(st.text(letters, min_size=1, max_size=30), min_size=1, max_size=4).map("\n".join),
).filter(lambda text: text.strip() != "")


@st.composite
def valid_specs(draw: st.DrawFn) -> Spec:
    """A valid tree: questions first, each answer leading to a later node, so no loops;
    every node after the first is led to by an earlier question, so all are reachable."""
    questions = draw(st.integers(1, 6))
    outcomes = draw(st.integers(1, 6))
    names = draw(st.lists(ids, min_size=questions + outcomes, max_size=questions + outcomes,
                          unique=True))  # fmt: skip
    answers: dict[int, list[int]] = {q: [] for q in range(questions)}
    for node in range(1, len(names)):
        parents = [q for q in range(min(node, questions)) if len(answers[q]) < 8]
        answers[draw(st.sampled_from(parents))].append(node)
    for q in range(questions):
        while len(answers[q]) < 2:
            answers[q].append(draw(st.integers(q + 1, len(names) - 1)))
    spec = Spec(
        tree_id=draw(ids),
        title=draw(text_strategy).strip(),
        start=names[0],
        summary=draw(st.none() | markdown_strategy),
    )
    for index, name in enumerate(names):
        if index < questions:
            spec.nodes[name] = {
                "question": draw(text_strategy).strip(),
                "help": draw(st.none() | markdown_strategy),
                # The answer's number at the end keeps labels distinct, however they fold.
                "answers": [
                    (f"{draw(text_strategy).strip()[:60]} #{i}", names[target])
                    for i, target in enumerate(answers[index])
                ],
            }
        else:
            spec.nodes[name] = {
                "outcome": draw(text_strategy).strip(),
                "verdict": draw(st.sampled_from(["go", "caution", "decline"])),
                "body": draw(st.none() | markdown_strategy),
                "read": draw(
                    st.lists(
                        st.sampled_from(["a.md", "../b/c.md#x", "d.md#e-f", "#top"]),
                        min_size=1,
                        max_size=3,
                    )
                ),
            }
    spec.yaml = write_spec(spec, draw(st.lists(st.integers(0, 2), min_size=64, max_size=64)))
    return spec


def write_spec(spec: Spec, styles: list[int]) -> str:
    """The tree as YAML, each scalar in one of the styles the writers' guide allows."""
    pick = itertools.cycle(styles)

    def value(text: str, indent: str, markdown: bool = False) -> str:
        style = next(pick)
        if markdown and style == 2:
            written = block(text, indent)
            if written is not None:
                return written
        return scalar(text, style)

    lines = [f"id: {spec.tree_id}", f"title: {value(spec.title, '')}", f"start: {spec.start}"]
    if spec.summary is not None:
        lines.append(f"summary: {value(spec.summary, '  ', markdown=True)}")
    lines.append("nodes:")
    for name, node in spec.nodes.items():
        lines.append(f"  {name}:")
        if "question" in node:
            lines.append(f"    question: {value(node['question'], '')}")
            if node["help"] is not None:
                lines.append(f"    help: {value(node['help'], '      ', markdown=True)}")
            lines.append("    answers:")
            for label, target in node["answers"]:
                lines += [f"      - label: {value(label, '')}", f"        next: {target}"]
        else:
            lines += [
                f"    outcome: {value(node['outcome'], '')}",
                f"    verdict: {node['verdict']}",
            ]
            if node["body"] is not None:
                lines.append(f"    body: {value(node['body'], '      ', markdown=True)}")
            lines.append(f"    read: [{', '.join(map(quote, node['read']))}]")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- pages around a fence


@st.composite
def pages(draw: st.DrawFn, body: str) -> tuple[str, int]:
    """A page holding `body` in one tree fence, after some text, maybe indented in a list;
    returns the page and the fence's line."""
    if not body.endswith("\n"):
        body += "\n"
    blocks = ["# Title", "", "Some text.", "- item", "```py\nx = 1\n```", "~~~~\n```\n~~~~"]
    before = "\n".join(draw(st.lists(st.sampled_from(blocks), max_size=6))).split("\n")
    before = [line for line in before if line] if before == [""] else before
    indent = draw(st.sampled_from(["", "", "    "]))
    if indent:
        before.append("- a list item with a tree:")
    marker = draw(st.sampled_from(["```", "````", "~~~"]))
    fenced = [f"{indent}{marker}decision-tree"]
    fenced += [f"{indent}{line}" if line else "" for line in body.split("\n")[:-1]]
    fenced.append(f"{indent}{marker}")
    after = draw(st.sampled_from(["", "\nMore text.\n"]))
    return "\n".join([*before, *fenced]) + "\n" + after, len(before) + 1


def run(page: str) -> tuple[Fence, Tree | None, list]:
    """The one fence of `page` through `load_tree`."""
    (fence,) = find_fences(page)
    tree, problems = load_tree(fence, "fit/t.md")
    return fence, tree, problems


def draw_markdown(text: MarkdownText) -> str:
    """A stand-in for the page's Markdown: the text, escaped, in a paragraph."""
    return f"<p>{html.escape(text.text)}</p>"


def read_link(link: ReadLink) -> tuple[str, str]:
    """A stand-in for the page's link rewriting: the target as both href and text."""
    return link.target, link.target


# ---------------------------------------------------------------- what a drawing must be


Rect = tuple[float, float, float, float]


def overlaps(a: Rect, b: Rect) -> bool:
    """Whether two rectangles (x, y, w, h) share more than an edge."""
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def rect_of(element: ET.Element) -> Rect:
    return tuple(float(element.get(name)) for name in ("x", "y", "width", "height"))  # type: ignore[return-value]


def assert_drawing_is_sound(tree: Tree, chart: Layout, page_html: str) -> None:
    """The SVG parses, nothing overlaps, everything is inside the viewBox, text fits its box."""
    svg = page_html[page_html.index("<svg") : page_html.index("</svg>") + len("</svg>")]
    root = ET.fromstring(svg)
    ns = {"s": "http://www.w3.org/2000/svg"}
    _, _, width, height = map(float, root.get("viewBox").split())
    assert (width, height) == (chart.width, chart.height)
    nodes = {a.get("data-node"): rect_of(a.find("s:rect", ns)) for a in root.iterfind(".//s:a", ns)}
    assert list(nodes) == list(tree.nodes)
    labels = [
        rect_of(g.find("s:rect", ns)) for g in root.iterfind(".//s:g[@class='dt-edge-label']", ns)
    ]
    assert len(labels) == sum(len(getattr(node, "answers", ())) for node in tree.nodes.values())
    boxes = [*nodes.values(), *labels]
    for x, y, w, h in boxes:
        assert x >= 0 and y >= 0 and x + w <= width and y + h <= height, (x, y, w, h)
    for a, b in itertools.combinations(boxes, 2):
        assert not overlaps(a, b), f"{a} overlaps {b}"
    for path in root.iterfind(".//s:path", ns):
        if not path.get("marker-end"):
            continue
        # Moves and curves take x y pairs; a vertical line (V) takes a y alone.
        for command, args in re.findall(r"([MCV])([^MCV]*)", path.get("d")):
            numbers = [float(n) for n in args.split()]
            xs, ys = ([], numbers) if command == "V" else (numbers[::2], numbers[1::2])
            assert all(0 <= x <= width for x in xs), path.get("d")
            assert all(0 <= y <= height for y in ys), path.get("d")
    for box in chart.boxes.values():
        for line in box.lines:
            # Bold verdict lines are measured 12% wider by the layout itself.
            assert text_width(line, FONT_SIZE) <= box.w - 2 * NODE_PAD_X + 0.15 * box.w
    for edge in chart.edges:
        for line in edge.label.lines:
            assert text_width(line, LABEL_FONT_SIZE) <= edge.label.w - 2 * LABEL_PAD_X + 0.5


def assert_inside(problems: list, fence: Fence) -> None:
    """Every problem names the page and a place within the fence's lines."""
    assert problems
    for problem in problems:
        assert problem.path == "docs/fit/t.md"
        assert fence.line <= problem.line <= fence.end_line, (str(problem), fence.line)
        assert problem.col >= 1
        assert problem.message and "Traceback" not in problem.message


# ---------------------------------------------------------------- valid trees draw


@settings(PROFILE)
@given(st.data())
def test_a_valid_tree_loads_as_written_and_draws_without_overlaps(data):
    spec = data.draw(valid_specs())
    page, _ = data.draw(pages(spec.yaml))
    _, tree, problems = run(page)
    assert problems == []
    assert tree is not None
    assert (tree.id, tree.title, tree.start) == (spec.tree_id, spec.title, spec.start)
    assert (tree.summary.text if tree.summary else None) == spec.summary
    for name, node in spec.nodes.items():
        loaded = tree.nodes[name]
        if "question" in node:
            assert loaded.text == node["question"]
            assert [(a.label, a.next) for a in loaded.answers] == node["answers"]
            assert (loaded.help.text if loaded.help else None) == node["help"]
        else:
            assert (loaded.text, loaded.verdict) == (node["outcome"], node["verdict"])
            assert (loaded.body.text if loaded.body else None) == node["body"]
            assert [link.target for link in loaded.read] == node["read"]
    chart = layout(tree)
    page_html = render_tree(tree, chart, markdown=draw_markdown, read_link=read_link)
    assert_drawing_is_sound(tree, chart, page_html)


# ---------------------------------------------------------------- broken trees are reported


def _lines(spec: Spec) -> list[str]:
    return spec.yaml.split("\n")[:-1]


def _replace_line(spec: Spec, pick: int, new: str) -> str:
    lines = _lines(spec)
    lines[pick % len(lines)] = new
    return "\n".join(lines) + "\n"


def _insert_line(spec: Spec, pick: int, new: str) -> str:
    lines = _lines(spec)
    lines.insert(pick % (len(lines) + 1), new)
    return "\n".join(lines) + "\n"


def _node_line(spec: Spec, pick: int) -> int:
    """The line of one node's id in the YAML."""
    lines = _lines(spec)
    starts = [i for i, line in enumerate(lines) if re.fullmatch(r"  [a-z0-9-]+:", line)]
    return starts[pick % len(starts)]


def _add_key(spec: Spec, pick: int, key: str) -> str:
    at = _node_line(spec, pick)
    return _insert_line(spec, at + 1, f"    {key}")


BREAKERS = {
    "tag": lambda spec, pick, payload: spec.yaml.replace(
        f"title: {spec.yaml.split('title: ', 1)[1].split(chr(10), 1)[0]}", f"title: {payload}", 1
    ),
    "anchor": lambda spec, pick, _: spec.yaml.replace("start: ", "start: &s ", 1),
    "alias": lambda spec, pick, _: spec.yaml.replace("start: ", "start: &s ", 1) + "summary: *s\n",
    "merge": lambda spec, pick, _: _add_key(spec, pick, "<<: {verdict: go}"),
    "second-document": lambda spec, pick, _: spec.yaml + "---\nid: other\n",
    "tab": lambda spec, pick, _: _replace_line(
        spec, pick, "\t" + _lines(spec)[pick % len(_lines(spec))].lstrip(" ")
    ),
    "unknown-key": lambda spec, pick, _: _add_key(spec, pick, "colour: blue"),
    "duplicate-node": lambda spec, pick, _: (
        spec.yaml
        + "\n".join(_lines(spec)[_node_line(spec, pick) : _node_line(spec, pick) + 1])
        + "\n    outcome: Again\n    verdict: go\n    read: [a.md]\n"
    ),
    "missing-start": lambda spec, pick, _: spec.yaml.replace(f"start: {spec.start}\n", "", 1),
    "dangling-next": lambda spec, pick, _: (
        spec.yaml.replace("next: ", "next: zz-nowhere-", 1)
        if "next: " in spec.yaml
        else spec.yaml.replace("nodes:", "nodes: x", 1)
    ),
    "loop": lambda spec, pick, _: (
        re.sub(r"next: [a-z0-9-]+", f"next: {spec.start}", spec.yaml, count=1)
        if "next: " in spec.yaml
        else spec.yaml.replace("nodes:", "nodes: x", 1)
    ),
    "bad-verdict": lambda spec, pick, _: re.sub(
        r"verdict: \w+", "verdict: maybe", spec.yaml, count=1
    ),
    "javascript-read": lambda spec, pick, _: re.sub(
        r"read: \[", "read: [javascript:alert(1), ", spec.yaml, count=1
    ),
    "bad-id": lambda spec, pick, _: spec.yaml.replace(f"id: {spec.tree_id}", "id: Not_An Id", 1),
    "long-title": lambda spec, pick, _: spec.yaml.replace(
        "title: ", "title: " + "w" * 500 + "x", 1
    ),
    "empty": lambda spec, pick, _: "",
    "list-root": lambda spec, pick, _: "- " + spec.yaml.replace("\n", "\n  "),
    "brackets": lambda spec, pick, _: spec.yaml + "summary: " + "[" * (pick % 3000 + 1) + "\n",
    "unclosed-quote": lambda spec, pick, _: spec.yaml.replace("title: ", "title: 'x", 1),
    "directive": lambda spec, pick, _: (
        "%YAML 1.1\n%TAG ! tag:evil,2000:\n---\n" + spec.yaml.replace("title: ", "title: !e ", 1)
    ),
    "complex-key": lambda spec, pick, _: _insert_line(spec, 0, "? [a, b]\n: c"),
    "huge": lambda spec, pick, _: spec.yaml + "# " + "x" * 100_000 + "\n",
}


@settings(PROFILE)
@given(
    st.data(),
    st.sampled_from(sorted(BREAKERS)),
    st.integers(0, 10_000),
    st.sampled_from(PAYLOADS),
)
def test_a_broken_tree_gets_a_problem_inside_its_fence(data, breaker, pick, payload):
    spec = data.draw(valid_specs())
    body = BREAKERS[breaker](spec, pick, payload)
    page, _ = data.draw(pages(body))
    fence, tree, problems = run(page)
    assert tree is None
    assert_inside(problems, fence)
    assert not MARKER.exists()


# ---------------------------------------------------------------- anything at all is safe


yaml_noise = st.sampled_from(
    [
        *PAYLOADS,
        "&a x", "*a", "<<: *a", "---", "...", "\t", "{", "}", "[", "]", ": ", "- ", "? ", "|",
        ">", "|-", "'", '"', "#", "%", "@", "`", "!", "!!", "\\", "\n", "\r\n", "\ufeff", "\u202e",
        "\x00", "\x85", "\u2028", "\ud7ff", "x" * 5000, "é" * 300, "😀", "null", "~", "Yes",
    ]
)  # fmt: skip

json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.text(max_size=10)
            | st.sampled_from(
                [
                    "id",
                    "nodes",
                    "question",
                    "answers",
                    "label",
                    "next",
                    "outcome",
                    "verdict",
                    "read",
                ]
            ),
            children,
            max_size=4,
        )
    ),
    max_leaves=20,
)


@st.composite
def any_yaml(draw: st.DrawFn) -> str:
    """YAML of any shape: a valid tree cut and spliced with noise, or random data dumped."""
    kind = draw(st.integers(0, 2))
    if kind == 0:
        text = draw(valid_specs()).yaml
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, len(text)))
            cut = draw(st.integers(0, 20))
            text = text[:at] + draw(yaml_noise) + text[at + cut :]
        return text
    if kind == 1:
        data = draw(json_like)
        if isinstance(data, dict) and draw(st.booleans()):
            data = {"id": "t", "title": "T", "start": "a", "nodes": data}
        return yaml.safe_dump(data, allow_unicode=True, default_flow_style=draw(st.booleans()))
    return draw(st.text(st.sampled_from("ab-: \n\t[]{}&*!|>'\"#?,%@`"), max_size=200))


@settings(PROFILE)
@given(st.data())
def test_any_yaml_gives_a_tree_or_problems_inside_its_fence_and_never_an_exception(data):
    body = data.draw(any_yaml())
    if body and not body.endswith("\n"):
        body += "\n"
    page, _ = data.draw(pages(body))
    fences = find_fences(page)
    # Noise may hold a line that closes the fence early, or a second fence; each is checked.
    for fence in fences:
        tree, problems = load_tree(fence, "fit/t.md")
        if tree is None:
            assert_inside(problems, fence)
        else:
            assert problems == []
            chart = layout(tree)
            page_html = render_tree(tree, chart, markdown=draw_markdown, read_link=read_link)
            assert_drawing_is_sound(tree, chart, page_html)
    assert not MARKER.exists()


# ---------------------------------------------------------------- tags never run


def test_the_tag_payloads_would_run_under_an_unsafe_loader():
    # Guards the fuzzing above: the payload is live, so its marker staying absent means the
    # tree reader refused it, not that the payload was harmless.
    try:
        yaml.unsafe_load(PAYLOADS[0])
        assert MARKER.exists()
    finally:
        MARKER.unlink(missing_ok=True)


def test_every_tag_payload_is_refused_where_it_is_written():
    for payload in PAYLOADS:
        body = f"id: t\ntitle: {payload}\nstart: a\nnodes: {{}}\n"
        _, tree, problems = run(f"```decision-tree\n{body}```\n")
        assert tree is None
        assert [(p.line, p.col) for p in problems] == [(3, 8)], payload
        assert problems[0].message.endswith(
            "is a YAML tag, which a tree does not use: remove it (put text starting with '!' "
            "in quotes)"
        ), problems[0].message
    assert not MARKER.exists()


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        pytest.param("a\x00b", "docs/fit/t.md:3:9: the control character U+0000", id="nul"),
        pytest.param("'é\x7f'", "docs/fit/t.md:3:10: the control character U+007F", id="delete"),
        pytest.param("é\ufffe", "docs/fit/t.md:3:9: the control character U+FFFE", id="fffe"),
    ],
)
def test_a_control_character_is_reported_where_it_stands(title, expected):
    # Found by the fuzzing above: YAML refuses such a character before it parses anything.
    _, tree, problems = run(f"```decision-tree\nid: t\ntitle: {title}\n```\n")
    assert tree is None
    assert [str(problem) for problem in problems] == [f"{expected} cannot stand in YAML: remove it"]
