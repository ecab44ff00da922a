"""The link checker inside real MkDocs builds: every problem reported once, strict builds fail."""

from __future__ import annotations

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
FOCUS = "# Focus\n\n## Core and periphery\n\nBack [home](../index.md).\n"

BROKEN_INDEX = """\
---
title: Home
---
# Home

1. [missing page](fit/focs.md)
2. [letter case](fit/Focus.md)
3. [missing anchor](fit/focus.md#core-periphery)
4. [anchor here](#nowhere)
5. ![missing file](img/logo.svg)
6. [outside docs](../README.md)
7. [absolute](/fit/focus/)
8. [script](javascript:alert(1))
9. [by reference][gone]
10. <a href="fit/focus.md">raw HTML</a>

`[not a link](nowhere.md)`

[gone]: fit/gone.md
"""


def test_ten_broken_links_are_all_reported_with_their_places(build_site):
    built = build_site({"index.md": BROKEN_INDEX, "fit/focus.md": FOCUS, "img/logo.png": PNG})
    assert built.messages == [
        "docs/index.md:6:19: broken link 'fit/focs.md': no page 'fit/focs.md' "
        "(did you mean 'fit/focus.md'?)",
        "docs/index.md:7:18: broken link 'fit/Focus.md': no page 'fit/Focus.md' — the file is "
        "'fit/focus.md' (letter case differs)",
        "docs/index.md:8:21: broken link 'fit/focus.md#core-periphery': no anchor "
        "'#core-periphery' on 'fit/focus.md' (did you mean '#core-and-periphery'?)",
        "docs/index.md:9:18: broken link '#nowhere': no anchor '#nowhere' on this page",
        "docs/index.md:10:20: broken link 'img/logo.svg': no file 'img/logo.svg' "
        "(did you mean 'img/logo.png'?)",
        "docs/index.md:11:19: broken link '../README.md': it points outside docs/, which is not "
        "published",
        "docs/index.md:12:15: broken link '/fit/focus/': absolute links break on another host; "
        "write a relative link to the .md file (did you mean 'fit/focus.md'?)",
        "docs/index.md:13:13: broken link 'javascript:alert(1)': javascript: URLs are refused; "
        "link to a page or a file",
        "docs/index.md:15:14: broken link 'fit/focus.md': raw HTML links are not rewritten to "
        "page URLs: write the page's URL (did you mean 'fit/focus/'?)",
        "docs/index.md:19:9: broken link 'fit/gone.md': no page 'fit/gone.md'",
    ]
    assert built.ok is False


VALID = {
    "index.md": """\
---
title: Home
---
# Home

[Focus](fit/focus.md), [its core](fit/focus.md#core-and-periphery), [a figure](#figure),
![logo](img/logo.png), [by reference][focus], <https://example.org/>,
<a href="fit/focus/#core-and-periphery">raw</a> <img src="img/logo.png" alt="">,
[top](#top), [mail](mailto:team@example.org).

<div id="figure" markdown>
See [focus](fit/focus.md "The focus page").
</div>

```markdown
[an example, not a link](nowhere.md)
```

[focus]: fit/focus.md
""",
    "fit/focus.md": FOCUS,
    "img/logo.png": PNG,
}


def test_valid_site_reports_nothing(build_site):
    built = build_site(VALID)
    assert built.messages == []
    assert built.ok


def test_nav_entries_and_orphans_are_checked(build_site):
    nav = "  - Home: index.md\n  - Focus: fit/focus.md\n  - Gone: fit/gone.md\n"
    built = build_site({"index.md": "# Home\n", "fit/focus.md": FOCUS, "lost.md": "# Lost\n"}, nav)
    assert built.messages == [
        "docs/lost.md:1:1: no page links here and it is not in the nav: add it to `nav` in "
        "mkdocs.yml or link to it from a related page",
        f"mkdocs.yml:{_nav_line(built, 'fit/gone.md')}:11: broken link 'fit/gone.md': no page "
        "'fit/gone.md'",
    ]
    assert built.ok is False


def _nav_line(built, target: str) -> int:
    """The line of a nav entry in the config file the build wrote beside its site folder."""
    lines = (built.site_dir.parent / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.endswith(target))


def test_non_strict_build_warns_and_still_builds(build_site):
    built = build_site({"index.md": "[x](nope.md)\n"}, strict=False)
    assert built.messages == ["docs/index.md:1:5: broken link 'nope.md': no page 'nope.md'"]
    assert built.ok
    assert (built.site_dir / "index.html").is_file()


def test_each_build_starts_afresh(build_site):
    assert build_site({"index.md": "[x](nope.md)\n"}).ok is False
    built = build_site({"index.md": "[x](fit/focus.md)\n", "fit/focus.md": FOCUS})
    assert built.messages == []
    assert built.ok


TREE_PAGE = """\
# Take on

```decision-tree
id: take-on
title: Take it on?
start: core
nodes:
  core:
    question: Is it core?
    help: See [focus](focus.md#nope).
    answers:
      - label: Yes
        next: go
      - label: No
        next: decline
  go:
    outcome: Take it
    verdict: go
    read: [focus.md]
  decline:
    outcome: Decline
    verdict: decline
    read: [saying-no.md#gone]
```
"""


def test_tree_links_and_back_link_rule_are_checked_in_the_build(build_site):
    built = build_site(
        {
            "index.md": "# Home\n\n[the tree](fit/take-on.md#take-on)\n",
            "fit/take-on.md": TREE_PAGE,
            "fit/focus.md": "# Focus\n",
            "fit/saying-no.md": "# No\n\n[back](take-on.md)\n",
        }
    )
    assert built.messages == [
        "docs/fit/take-on.md:10:23: broken link 'focus.md#nope': no anchor '#nope' on "
        "'fit/focus.md'",
        "docs/fit/take-on.md:19:12: 'fit/focus.md' does not link back to 'fit/take-on.md', "
        "which holds tree 'take-on': add a link to it",
        "docs/fit/take-on.md:23:12: broken link 'saying-no.md#gone': no anchor '#gone' on "
        "'fit/saying-no.md'",
    ]
    assert built.ok is False
