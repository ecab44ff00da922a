"""Tree fields rendered together, one pass of Python-Markdown per page, read exactly as each
field rendered on its own."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.pages import Page

from trees.fields import FieldRenderer
from trees.model import MarkdownText, Pos

ROOT = Path(__file__).resolve().parent.parent

FIELDS = [
    "Plain text with a [link](../fit/focus.md#core-and-periphery) and `code`.",
    "- a list\n- of two\n",
    "1. ordered\n\n    indented under it\n",
    "    indented code\n",
    "> a quote\n",
    "!!! note\n    in a note\n",
    "```python\nprint('fenced')\n```\n",
    "```\nnever closed [x](y.md)\n",
    "Text ending in a lazy\nline and *emphasis*",
    "# A heading\n\nwith an id\n",
    "Uses a [reference][ref].\n\n[ref]: ../fit/focus.md\n",
    "Raw <b>HTML</b> shown as typed.",
    "- a list\n- of two\n",
    ":   a definition with no term before it\n",
    "Term\n:   its definition\n",
    "Text with *** stars and `***` in code.",
    '=== "A tab"\n\n    in a tab\n',
    '??? note "Details"\n    folded\n',
    "> a quote\n",
    "    indented code again\n",
    "1. ordered again\n",
]


@pytest.fixture(scope="module")
def renderer_args():
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    config = load_config(str(ROOT / "mkdocs.yml"))
    files = get_files(config)
    page = Page(None, files.get_file_from_path("fit/take-on-request.md"), config)
    return config, files, page


def test_fields_rendered_together_read_as_each_rendered_alone(renderer_args):
    config, files, page = renderer_args
    texts = [MarkdownText(text, Pos(1, 1)) for text in FIELDS]
    alone = FieldRenderer(config, files).for_page(page)
    expected = [alone.markdown(text) for text in texts]
    together = FieldRenderer(config, files).for_page(page)
    together.prepare(texts)
    # The heading, the reference, the open fence and the two definitions go alone.
    assert len(together._done) == 14
    assert [together.markdown(text) for text in texts] == expected


def test_a_field_with_a_rule_of_its_own_sends_every_field_alone(renderer_args):
    config, files, page = renderer_args
    texts = [MarkdownText(text, Pos(1, 1)) for text in [*FIELDS, "above\n\n***\n\nbelow"]]
    alone = FieldRenderer(config, files).for_page(page)
    expected = [alone.markdown(text) for text in texts]
    assert "<hr />" in expected[-1]
    together = FieldRenderer(config, files).for_page(page)
    together.prepare(texts)
    assert together._done == {}
    assert [together.markdown(text) for text in texts] == expected


def test_a_plain_line_skips_markdown_and_renders_as_markdown_renders_it(renderer_args):
    config, files, page = renderer_args
    fields = FieldRenderer(config, files).for_page(page)
    rng = random.Random(7)
    # The handbook's glossary terms, pieces of them, and every character a plain line may hold
    # next to some it may not, in random lines of the shapes YAML gives a field.
    pieces = ["customer from hell", "degree-1 client", "over-servicing", "degree-", "client"]
    pieces += ["servicing", "customer", "from", "hell", "Word", "I", "a", "2", "  ", " ", "\t"]
    pieces += list("abcXYZ09 ,.;?!'\"()%/-") + list("*_`[]<>&\\:{}|#=+~^$@\n")
    plain = 0
    for _ in range(2500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        text = rng.choice(["", "A", "The "]) + text + rng.choice(["", "\n", "\n\n"])
        fields._md.reset()
        expected = fields._md.convert(text)
        found = fields._plain(text)
        if found is not None:
            plain += 1
            assert found == expected, repr(text)
            assert fields.markdown(MarkdownText(text, Pos(1, 1))) == expected
    assert plain > 200  # the test reaches the plain path often
    assert fields._plain("Not a customer from hell.") is None  # an abbreviation: Markdown's
    assert "<abbr" in fields.markdown(MarkdownText("Not a customer from hell.", Pos(1, 1)))
    assert fields._plain("Check the terms first.") == "<p>Check the terms first.</p>"


@pytest.mark.parametrize("extension", ["smarty", "pymdownx.smartsymbols"])
def test_a_typographic_extension_turns_the_plain_line_shortcut_off(extension, renderer_args):
    config, files, page = renderer_args
    config = load_config(str(ROOT / "mkdocs.yml"))
    config.markdown_extensions.append(extension)
    fields = FieldRenderer(config, files).for_page(page)
    text = 'It\'s a "quote" -- (c) 1/2 of it.'
    assert fields._plain(text) is None
    assert fields.markdown(MarkdownText(text, Pos(1, 1))) != f"<p>{text}</p>"
