"""The trees.extension Markdown extension under plain Python-Markdown, and page files on disk.

Zensical's builds are tested in test_zensical.py; here the extension runs in-process, as any
Python-Markdown builder would run it, on pages written to a temp docs folder.
"""

from __future__ import annotations

import logging
from pathlib import Path

import markdown
import pytest
from mkdocs.structure.files import File
from mkdocs.utils.meta import get_data

from pages import page_url, split_source

TREE = """\
```decision-tree
id: tiny
title: A tiny tree
start: ask
nodes:
  ask:
    question: Is it fine?
    help: See [the other page](other.md#part-two).
    answers:
      - label: Yes
        next: fine
      - label: No
        next: {no}
  fine:
    outcome: It is fine
    verdict: go
    read: [other.md#part-two, other.md, page.md#intro, plain.md]
```
"""

PAGES = {
    "other.md": "---\ntitle: The other page\n---\n\n# Not this title\n\n## Part two\n",
    "plain.md": "# Plain & simple\n\nText.\n",
}

EXTENSIONS = ["trees.extension", "pymdownx.superfences", "toc", "attr_list"]


def convert(tmp_path: Path, text: str, **more: str) -> str:
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    for name, content in {**PAGES, **{f"{name}.md": body for name, body in more.items()}}.items():
        (docs / name).write_text(content, encoding="utf-8")
    (docs / "page.md").write_text(text, encoding="utf-8")
    md = markdown.Markdown(
        extensions=EXTENSIONS,
        extension_configs={"trees.extension": {"docs_dir": str(docs), "page": "page.md"}},
    )
    return md.convert(split_source(text).markdown)


def page(tree: str, front_matter: str = "---\ntags: [x]\n---\n") -> str:
    return f"{front_matter}# Page\n\n## Intro\n\nText.\n\n{tree}"


def test_a_tree_is_drawn_with_its_read_links_titled_from_their_files(tmp_path):
    html = convert(tmp_path, page(TREE.format(no="fine")))
    assert '<div class="dt" id="tree-tiny" data-dt="tiny"' in html
    assert "dt-slot" not in html and "decision-tree" not in html
    # Front matter title, the section's heading, the page's own section as an in-page link,
    # the first heading (as text, escaped once); hrefs are left for the builder to rewrite.
    assert (
        '<p class="dt-read">Read next: <a href="other.md#part-two">The other page: Part two</a>,'
        ' <a href="other.md">The other page</a>, <a href="#intro">Page: Intro</a>,'
        ' <a href="plain.md">Plain &amp; simple</a></p>'
    ) in html
    assert '<div class="dt-help"><p>See <a href="other.md#part-two">the other page</a>' in html


def test_a_broken_tree_shows_its_problems_and_logs_them_at_the_file_line(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="handbook.trees"):
        html = convert(tmp_path, page(TREE.format(no="fien")))
    message = "docs/page.md:22:15: nodes.ask.answers[1].next: no node 'fien' (did you mean 'fine'?)"
    assert caplog.messages == [message]
    assert "This decision tree has 1 problem and is not shown" in html
    assert f"<li>{message.replace(chr(39), '&#x27;')}</li>" in html


def test_a_tree_fence_inside_indented_code_stays_code(tmp_path):
    indented = "".join(f"    {line}\n" for line in TREE.format(no="fine").splitlines())
    html = convert(tmp_path, page(indented, front_matter=""))
    assert '<div class="dt"' not in html
    assert "<pre><code>```decision-tree" in html


def test_headings_before_a_tree_do_not_hide_it(tmp_path):
    """toc runs the postprocessors over every heading; only the whole page settles trees."""
    html = convert(tmp_path, page("## Before\n\n" + TREE.format(no="fine") + "\n## After\n"))
    assert html.count('<div class="dt" id="tree-tiny"') == 1


@pytest.mark.parametrize(
    "text",
    [
        "# Title\n",
        "---\ntitle: X\n---\n\n\n# Title\n",
        "---\n- a list\n---\n# Title\n",
        "Title: X\nAuthor: Y\n    more\n\n# Title\n",
        "---\ntitle: [unclosed\n---\n# Title\n",
        "",
    ],
)
def test_front_matter_is_split_as_mkdocs_splits_it(text):
    markdown_text, meta = get_data(text)
    source = split_source(text)
    assert (source.markdown, source.meta) == (markdown_text, meta)
    assert source.text.count("\n", 0, len(source.text) - len(source.markdown)) == (
        source.line_offset
    )


@pytest.mark.parametrize("directory_urls", [True, False])
@pytest.mark.parametrize(
    "path", ["index.md", "fit/index.md", "fit/focus.md", "README.md", "a b/café.md"]
)
def test_page_urls_are_mkdocs_urls(path, directory_urls):
    file = File(path, "docs", "site", use_directory_urls=directory_urls)
    assert page_url(path, directory_urls) == file.url


def test_a_read_link_to_a_section_of_its_own_page_is_an_in_page_link_in_both_builds(
    tmp_path, build_site
):
    """MkDocs would write "./#intro", Zensical "../page/#intro": both write "#intro"."""
    text = page(TREE.format(no="fine"))
    nav = "  - Home: index.md\n  - Page: page.md\n  - Other: other.md\n  - Plain: plain.md"
    built = build_site({"index.md": "# Home\n", "page.md": text, **PAGES}, nav=nav)
    assert '<a href="#intro">Page: Intro</a>' in built.html("page/index.html")
    assert '<a href="#intro">Page: Intro</a>' in convert(tmp_path, text)


def test_a_percent_encoded_read_link_shows_the_same_title(tmp_path):
    tree = TREE.format(no="fine").replace("plain.md]", "caf%C3%A9.md#part-one]")
    html = convert(tmp_path, page(tree), café="# Café\n\n## Part one\n")
    assert '<a href="caf%C3%A9.md#part-one">Café: Part one</a>' in html
