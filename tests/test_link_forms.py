"""One normal form for URLs: a page whose file name holds a space or a non-ASCII letter is
found whether a link spells it percent-encoded or as typed, in Markdown, raw HTML, a tree's
`read` and the nav; anchors likewise."""

from __future__ import annotations

from urllib.parse import quote

CAFE = "# Café\n\n## Crème brûlée {#crème}\n\nBack [home](index.md).\n"
SPACE = "# Two words\n\n## A section\n\nBack [home](index.md).\n"

TREE = """
```decision-tree
id: forms
title: Which page?
start: ask
nodes:
  ask:
    question: Which?
    answers:
      - label: Café
        next: cafe
      - label: Space
        next: space
  cafe:
    outcome: Café
    verdict: go
    read: [caf%C3%A9.md#cr%C3%A8me]
  space:
    outcome: Space
    verdict: go
    read: [two words.md]
```
"""


def links(form) -> str:
    cafe, space = form("café"), form("two words")
    return (
        f"[a]({cafe}.md) [b](<{space}.md>) [c]({cafe}.md#{form('crème')})\n\n"
        f'<a href="{cafe}/">d</a> <a href="{space}/#{form("a-section")}">e</a>\n'
    )


def test_links_to_pages_with_spaces_and_accents_resolve_in_every_form(build_site):
    for form in (lambda text: text, lambda text: quote(text)):
        built = build_site(
            {
                "index.md": "# Home\n\n" + links(form) + TREE,
                "café.md": CAFE,
                "two words.md": SPACE,
            },
            nav="  - index.md\n  - caf%C3%A9.md\n  - two words.md\n",
        )
        assert built.messages == []


def test_a_read_link_shows_the_page_title_whatever_form_it_takes(build_site):
    built = build_site(
        {"index.md": "# Home\n" + TREE, "café.md": CAFE, "two words.md": SPACE},
    )
    assert built.messages == []
    html = built.html()
    assert ">Café: Crème brûlée</a>" in html
    assert ">Two words</a>" in html


def test_a_broken_encoded_link_is_still_reported(build_site):
    built = build_site({"index.md": '# Home\n\n<a href="caf%C3%A8/">x</a>\n', "café.md": CAFE})
    assert built.messages == [
        "docs/index.md:3:10: broken link 'caf%C3%A8/': nothing is published at 'cafè/' (raw "
        "HTML links resolve against the page's URL './', not its file)"
    ]
