"""The block scanner (hooks/markdown_blocks.py) against Python-Markdown itself.

Every verdict is compared with the HTML that the handbook's own Markdown configuration
(mkdocs.yml's `markdown_extensions`) renders: a probe formatter stands in for every fence
superfences stores, so the HTML tells which fences Markdown shows as fences, which it puts
back as code (inside an indented code block) and which an HTML comment hides.

The property test generates pages of nested containers (blockquotes, list items indented with
spaces or tabs, admonitions, collapsible blocks, content tabs, comments) holding fences of
every length and character, indented code and paragraphs. The suite runs 200 pages, the same
ones every run; `HYPOTHESIS_PROFILE=long` runs 20,000:

    HYPOTHESIS_PROFILE=long .venv/bin/pytest tests/test_markdown_blocks.py
"""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from test_fuzz_trees import PROFILE as TREE_PROFILE

from markdown_blocks import scan

ROOT = Path(__file__).resolve().parent.parent

# Twice the tree fuzzers' rounds, in the same two profiles: 200 pages in the suite (the same
# ones every run), 20,000 with HYPOTHESIS_PROFILE=long.
PROFILE = settings(TREE_PROFILE, max_examples=2 * TREE_PROFILE.max_examples)


class _Unsafe(yaml.SafeLoader):
    """mkdocs.yml names Material's emoji functions with !!python/name; none is needed here."""


_Unsafe.add_multi_constructor("tag:yaml.org,2002:python/name:", lambda *_: None)
_Unsafe.add_constructor("!ENV", lambda *_: "")


def _handbook_markdown() -> tuple[markdown.Markdown, list[str]]:
    """Python-Markdown with mkdocs.yml's extensions and a probe for every stored fence."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Unsafe)
    extensions, configs = [], {}
    for entry in config["markdown_extensions"]:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        if name in ("pymdownx.snippets", "pymdownx.emoji"):
            continue  # they read files and Material's icons; neither changes the blocks
        extensions.append(name)
        configs[name] = dict(options or {})
    calls: list[str] = []

    def probe(source, language, class_name, options, md, **kwargs):
        calls.append(source)
        return f'<div class="probe">{len(calls) - 1}</div>'

    configs.setdefault("pymdownx.superfences", {})["custom_fences"] = [
        {"name": "*", "class": "probe", "format": probe}
    ]
    return markdown.Markdown(extensions=extensions, extension_configs=configs), calls


MD, CALLS = _handbook_markdown()
_PROBE = re.compile(r'<div class="probe">(\d+)</div>')


def rendered(page: str) -> list[tuple[str, str]]:
    """How Markdown shows each fence superfences stores: (verdict, body), in page order."""
    CALLS.clear()
    MD.reset()
    html = MD.convert(page)
    shown = {int(number) for number in _PROBE.findall(html)}
    hidden = {
        int(number)
        for comment in re.findall(r"<!--.*?-->", html, re.S)
        for number in _PROBE.findall(comment)
    }
    verdicts = []
    for number, body in enumerate(CALLS):
        verdict = "hidden" if number in hidden else "fence" if number in shown else "code"
        verdicts.append((verdict, body.rstrip("\n")))
    return verdicts


def scanned(page: str) -> list[tuple[str, str]]:
    return [
        (fence.shown, fence.source.rstrip("\n"))
        for fence in scan(page).fences
        if fence.shown != "text"
    ]


# ---------------------------------------------------------------- the places writers use

TREE = "```decision-tree\nid: t\n```"


def indent(text: str, prefix: str, first: str | None = None) -> str:
    lines = text.split("\n")
    head = prefix if first is None else first
    return "\n".join([head + lines[0], *((prefix + line if line else line) for line in lines[1:])])


PLACES = {
    "top level": (TREE, "fence"),
    "blockquote": (indent(TREE, "> "), "fence"),
    "nested blockquote": (indent(TREE, "> > "), "fence"),
    "list item, spaces": ("- Step\n\n" + indent(TREE, "    "), "fence"),
    "list item, tab": ("- Step\n\n" + indent(TREE, "\t"), "fence"),
    "list item, right after its text": ("1. Step\n" + indent(TREE, "   "), "fence"),
    "list item, over-indented": ("- Step\n\n" + indent(TREE, "        "), "code"),
    "admonition": ("!!! note\n\n" + indent(TREE, "    "), "fence"),
    "collapsible block": ("??? note\n\n" + indent(TREE, "\t"), "fence"),
    "content tab": ('=== "One"\n\n' + indent(TREE, "    "), "fence"),
    "admonition in a list item": ("- Step\n\n    !!! note\n\n" + indent(TREE, "        "), "fence"),
    "indented code block": ("Example:\n\n" + indent(TREE, "    "), "code"),
    "indented code after a heading": ("# Example\n" + indent(TREE, "    "), "code"),
    "paragraph continuation": ("Text\n" + indent(TREE, "    "), "fence"),
    "comment": ("<!--\n" + TREE + "\n-->", "hidden"),
    "div markdown": ("<div markdown>\n\n" + TREE + "\n\n</div>", "fence"),
}


@pytest.mark.parametrize("page", [pytest.param(p, id=name) for name, p in PLACES.items()])
def test_each_place_a_writer_puts_a_tree_reads_as_markdown_renders_it(page):
    text, expected = page
    assert scanned(text) == rendered(text) == [(expected, "id: t")]


def test_a_fence_inside_a_longer_fence_is_its_text():
    page = "````markdown\n" + TREE + "\n````\n"
    assert scanned(page) == rendered(page) == [("fence", TREE)]


@pytest.mark.parametrize(
    ("page", "why"),
    [
        pytest.param("```decision-tree\nid: t\n", "it is never closed", id="never closed"),
        pytest.param(
            "  ```decision-tree\nid: t\n  ```\n",
            "a line inside it is indented less than its opening",
            id="broken off",
        ),
        pytest.param(
            "```decision-tree extra\nid: t\n```\n",
            "superfences cannot read its info string",
            id="words after the info string",
        ),
    ],
)
def test_a_fence_superfences_refuses_is_text(page, why):
    (fence,) = [fence for fence in scan(page).fences if fence.line == 1]
    assert (fence.shown, fence.why) == ("text", why)
    assert '<div class="probe">' not in MD.convert(page) or rendered(page)[0][1] != "id: t"


def test_fence_positions_and_body_in_a_blockquote():
    page = "Intro\n\n> ```decision-tree\n> id: t\n>\n>   more: x\n> ```\n"
    (fence,) = scan(page).fences
    assert (fence.line, fence.end_line, fence.prefix, fence.body_line, fence.body_col) == (
        3,
        7,
        "> ",
        4,
        3,
    )
    assert fence.body == "id: t\n\n  more: x\n"
    assert page[fence.start : fence.end] == page[7:-1]


def test_code_spans_mask_and_is_code():
    page = "Text [a](x.md)\n\n    code [b](y.md)\n\n```\n[c](z.md)\n```\n<!-- [d](w.md) -->\n"
    blocks = scan(page)
    masked = blocks.mask()
    assert len(masked) == len(page) and masked.count("\n") == page.count("\n")
    assert "[a](x.md)" in masked
    assert "[b]" not in masked and "[c]" not in masked and "[d]" not in masked
    assert not blocks.is_code(page.index("[a]"))
    assert blocks.is_code(page.index("[b]")) and blocks.is_code(page.index("[d]"))
    assert blocks.is_code(0, len(page)) and not blocks.is_code(0, 5)


# ---------------------------------------------------------------- generated pages

_WORDS = st.sampled_from(["Some text.", "A [link](x.md).", "# A heading", "* * *", "term"])
_INFO = st.sampled_from(
    ["decision-tree", "python", "", "Decision-Tree", "decision-tree {.wide}", "yaml title=x"]
)


@st.composite
def fences(draw) -> str:
    char = draw(st.sampled_from("`~"))
    opening = char * draw(st.integers(3, 5))
    closing = draw(st.sampled_from([opening, opening, opening + char, char * 3, ""]))
    body = draw(st.lists(st.sampled_from(["id: t", "", "  deeper: x", "```", "~~~"]), max_size=3))
    lines = [opening + draw(_INFO), *body]
    if closing:
        lines.append(closing)
    return "\n".join(lines)


def _plain(draw) -> str:
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return draw(fences())
    if kind == 1:
        return "    " + draw(st.sampled_from(["code", "```", "```decision-tree"]))
    return draw(_WORDS)


@st.composite
def pages(draw, depth: int = 0) -> str:
    blocks = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.integers(0, 6 if depth < 2 else 0))
        if kind == 0:
            block = _plain(draw)
        else:
            inner = draw(pages(depth + 1))
            step = draw(st.sampled_from(["    ", "\t", "  "]))
            if kind == 1:
                block = indent(inner, draw(st.sampled_from(["> ", ">"])))
            elif kind == 2:
                marker = draw(st.sampled_from(["- ", "1. ", "* "]))
                block = indent(inner, step, first=marker)
            elif kind == 3:
                block = "!!! note\n" + indent(inner, step)
            elif kind == 4:
                block = draw(st.sampled_from(["??? note", "???+ tip"])) + "\n" + indent(inner, step)
            elif kind == 5:
                block = '=== "Tab"\n' + indent(inner, step)
            else:
                block = "<!--\n" + inner + "\n-->"
        extra = draw(st.sampled_from(["", "", "  ", "    "]))
        blocks.append(indent(block, extra) if extra and kind == 0 else block)
    return "".join(
        block + (draw(st.sampled_from(["\n\n", "\n"])) if i < len(blocks) - 1 else "\n")
        for i, block in enumerate(blocks)
    )


@settings(PROFILE)
@given(pages())
def test_scanner_agrees_with_markdown_on_every_fence(page):
    assert scanned(page) == rendered(page), page
