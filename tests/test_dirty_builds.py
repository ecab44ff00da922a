"""Dirty builds tell the truth: `mkdocs build --dirty` renders only changed pages, and the
hooks take the others' links, anchors, trees and problems from .cache/handbook/, so a dirty
build in a new process reports exactly what a full build of the same files reports."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import tiny_config

from links.check import PageCheck
from links.model import Link
from links.site import LinkSite
from page_facts import FactCache, PageFacts, seen

MKDOCS = Path(sys.executable).parent / "mkdocs"
DIRTY_NOTICE = "A 'dirty' build is being performed"

TREE_PAGE = """\
# Requests

```decision-tree
id: take-on
title: Take it on?
start: ask
nodes:
  ask:
    question: Is it our work?
    answers:
      - label: Yes
        next: go
      - label: No
        next: stop
  go:
    outcome: Take it
    verdict: go
    read: [other.md#focus]
  stop:
    outcome: Decline
    verdict: decline
    read: [third.md]
```
"""
OTHER = "# Other\n\n## Focus\n\nBack to [the tree](index.md#take-on--go).\n"
THIRD = "# Third\n\nSee [focus](other.md#focuss) and [a step](index.md#take-on--stop).\n"


def site(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    (docs / "includes").mkdir(parents=True)
    (docs / "includes" / "glossary-terms.md").write_text("", encoding="utf-8")
    for name, text in {"index.md": TREE_PAGE, "other.md": OTHER, "third.md": THIRD}.items():
        (docs / name).write_text(text, encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(tiny_config(docs), encoding="utf-8")
    return config


def build(
    config: Path, dirty: bool = False, site: str = "site", seed: str = "0"
) -> tuple[list[str], list[str]]:
    """Build in a new process: (the hooks' warnings, the info lines about the cache)."""
    command = [str(MKDOCS), "build", "-f", str(config), "-d", str(config.parent / site)]
    result = subprocess.run(
        [*command, "--dirty"] if dirty else command,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": seed},
        cwd=config.parent,
    )
    lines = result.stderr.splitlines() + result.stdout.splitlines()
    warnings = [
        line.removeprefix("WARNING -  ")
        for line in lines
        if line.startswith("WARNING") and DIRTY_NOTICE not in line
    ]
    infos = [line for line in lines if "handbook's cache" in line and line.startswith("INFO")]
    assert "Traceback" not in result.stderr, result.stderr
    return sorted(warnings), infos


FULL = [
    "docs/third.md:3:13: broken link 'other.md#focuss': no anchor '#focuss' on 'other.md' "
    "(did you mean '#focus'?)",
]


def test_a_dirty_build_after_one_change_reports_what_a_full_build_reports(tmp_path):
    config = site(tmp_path)
    full, _ = build(config)
    assert full == FULL
    other = config.parent / "docs" / "other.md"
    other.write_text(OTHER + "\nOne more line.\n", encoding="utf-8")
    dirty, infos = build(config, dirty=True)
    assert dirty == full
    assert infos == []
    # A change that mends a problem is seen by the next dirty build, and only that.
    third = config.parent / "docs" / "third.md"
    third.write_text(THIRD.replace("#focuss", "#focus"), encoding="utf-8")
    assert build(config, dirty=True)[0] == []


NAV = "  - index.md\n  - other.md\n  - third.md\n"
FOURTH = "# Fourth\n\nSee [focus](other.md#focus).\n"


def write_site(folder: Path, pages: dict[str, str]) -> Path:
    """A site of `pages` (path under docs/ -> text) in `folder`, with a nav; its config."""
    docs = folder / "docs"
    (docs / "includes").mkdir(parents=True, exist_ok=True)
    (docs / "includes" / "glossary-terms.md").write_text("", encoding="utf-8")
    for name, text in pages.items():
        (docs / name).write_text(text, encoding="utf-8")
    config = folder / "mkdocs.yml"
    config.write_text(tiny_config(docs, nav=NAV), encoding="utf-8")
    return config


def test_dirty_builds_after_edits_that_move_anchors_and_pages_report_a_full_builds(tmp_path):
    # Pages taken from the cache keep their links' last check while the site's pages and the
    # anchors those links name stay as they were; each edit below changes one of these under
    # pages that are not rendered again, and each dirty build must still say what a full build
    # of the same files says.
    pages = {
        "index.md": TREE_PAGE,
        "other.md": OTHER,
        "third.md": THIRD + "\nNext: [the fourth page](fourth.md).\n",
    }
    config = write_site(tmp_path / "dirty", pages)
    build(config)
    edits = [
        # An anchor that the tree's `read` (index.md) and third.md's link name goes away.
        ("other.md", OTHER.replace("## Focus", "## Focal")),
        # It comes back, but the link back to the tree's page goes.
        ("other.md", OTHER.replace("Back to [the tree](index.md#take-on--go).", "No way back.")),
        # A new page: third.md's link to it lands, and it is no orphan.
        ("fourth.md", FOURTH),
        # Another page changes: third.md's kept check still says it links to fourth.md.
        ("index.md", TREE_PAGE + "\nMore words.\n"),
        # third.md no longer links to fourth.md, which no page now links to.
        ("third.md", THIRD),
        # The anchor fourth.md's link names goes again.
        ("other.md", OTHER.replace("## Focus", "## Elsewhere")),
        # A page goes.
        ("fourth.md", None),
        ("other.md", OTHER),
        # A link to a file that is not there, then the file: no page is rendered again.
        ("third.md", THIRD + "\n![The logo](logo.svg)\n"),
        ("logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>\n"),
    ]
    said = []
    for step, (name, text) in enumerate(edits):
        page = config.parent / "docs" / name
        if text is None:
            page.unlink()
            del pages[name]
        else:
            page.write_text(text, encoding="utf-8")
            pages[name] = text
        dirty, infos = build(config, dirty=True)
        full, _ = build(write_site(tmp_path / f"full-{step}", pages))
        assert dirty == full, (step, name)
        assert infos == []
        said.append(full)
    focuss = "docs/third.md:3:13: broken link 'other.md#focuss': no anchor '#focuss' on 'other.md'"
    no_focus = "broken link 'other.md#focus': no anchor '#focus' on 'other.md'"
    no_fourth = "docs/third.md:5:25: broken link 'fourth.md': no page 'fourth.md'"
    no_way_back = (
        "docs/index.md:18:12: 'other.md' does not link back to 'index.md', which holds tree "
        "'take-on': add a link to it"
    )
    orphan = (
        "docs/fourth.md:1:1: no page links here and it is not in the nav: add it to `nav` in "
        "mkdocs.yml or link to it from a related page"
    )
    assert said == [
        [
            f"docs/index.md:18:12: {no_focus} (did you mean '#focal'?)",
            f"{focuss} (did you mean '#focal'?)",
            no_fourth,
        ],
        [no_way_back, f"{focuss} (did you mean '#focus'?)", no_fourth],
        [no_way_back, f"{focuss} (did you mean '#focus'?)"],
        [no_way_back, f"{focuss} (did you mean '#focus'?)"],
        [orphan, no_way_back, f"{focuss} (did you mean '#focus'?)"],
        [orphan, f"docs/fourth.md:3:13: {no_focus}", f"docs/index.md:18:12: {no_focus}", focuss],
        [f"docs/index.md:18:12: {no_focus}", focuss],
        [f"{focuss} (did you mean '#focus'?)"],
        [
            f"{focuss} (did you mean '#focus'?)",
            "docs/third.md:5:13: broken link 'logo.svg': no file 'logo.svg'",
        ],
        [f"{focuss} (did you mean '#focus'?)"],
    ]


def test_a_corrupt_cache_is_read_again_with_one_info_line(tmp_path):
    config = site(tmp_path)
    full, _ = build(config)
    cache = config.parent / ".cache" / "handbook" / "pages.txt"
    cache.write_text("{not json", encoding="utf-8")
    (config.parent / "docs" / "other.md").write_text(OTHER + "\nMore.\n", encoding="utf-8")
    dirty, infos = build(config, dirty=True)
    assert dirty == full
    assert len(infos) == 1 and "could not be read" in infos[0]


def test_the_file_of_the_earlier_cache_format_is_removed_when_the_cache_is_written(tmp_path):
    config = site(tmp_path)
    folder = config.parent / ".cache" / "handbook"
    folder.mkdir(parents=True)
    (folder / "pages.json").write_text('{"format": 2, "pages": {}}', encoding="utf-8")
    build(config)
    assert sorted(path.name for path in folder.iterdir()) == ["pages.txt"]


def test_a_cache_whose_text_was_altered_is_refused_whole_with_one_info_line(tmp_path):
    config = site(tmp_path)
    full, _ = build(config)
    cache = config.parent / ".cache" / "handbook" / "pages.txt"
    # Still well-formed, but not what the hooks wrote: third.md's problem is gone from it.
    altered = cache.read_text(encoding="utf-8").replace("#focuss", "#focus")
    assert altered != cache.read_text(encoding="utf-8")
    cache.write_text(altered, encoding="utf-8")
    (config.parent / "docs" / "other.md").write_text(OTHER + "\nMore.\n", encoding="utf-8")
    dirty, infos = build(config, dirty=True)
    assert dirty == full
    assert len(infos) == 1
    assert "could not be read (it was damaged: its digest does not match its text)" in infos[0]


class _Kept:
    """A page as a dirty build takes it from the cache, its links read only when asked for."""

    def __init__(self, page: str, links: list[Link], check: PageCheck, asked: list[str]) -> None:
        self.page, self._links, self.check, self.asked = page, links, check, asked
        self.rules: list = []

    def links(self) -> list[Link]:
        self.asked.append(self.page)
        return self._links

    def anchors(self) -> set[str]:
        return {"top-part"} if self.page == "c.md" else set()


class _Memory:
    def __init__(self, layout: str | None, anchors: dict[str, set[str]]) -> None:
        self.layout, self._anchors = layout, anchors

    def anchors_before(self, page: str) -> set[str] | None:
        return self._anchors.get(page)


def test_a_kept_pages_links_are_checked_again_only_when_their_answers_may_have_changed():
    pages = {"a.md": "a/", "b.md": "b/", "c.md": "c/"}
    b_links = [Link("b.md", 3, 1, "a.md#intro")]  # names an anchor of a.md
    c_links = [Link("c.md", 5, 1, "a.md"), Link("c.md", 6, 1, "c.md#top-part")]
    b_check = PageCheck(edges={"a.md"}, anchored={"a.md"})
    c_check = PageCheck(edges={"a.md", "c.md"}, anchored={"c.md"})

    def check(a_anchors: set[str], layout_before: str | None) -> tuple[list[str], list[str]]:
        asked: list[str] = []
        links = LinkSite(memory=_Memory(layout_before, {"a.md": {"intro"}}))
        links.add("a.md", [], a_anchors, [])  # rendered by this build
        links.keep("b.md", _Kept("b.md", b_links, b_check, asked))
        links.keep("c.md", _Kept("c.md", c_links, c_check, asked))
        problems = links.check_files(pages, {}, None, "", "")
        assert links.checks.keys() == {"a.md", *asked}  # what the cache keeps anew
        return [str(problem) for problem in problems], asked

    layout = LinkSite()
    layout.check_files(pages, {}, None, "", "")
    # a.md's anchors are as they were: b.md and c.md keep their checks, unread.
    assert check({"intro"}, layout.layout) == ([], [])
    # a.md lost the anchor b.md names: b.md is checked again, c.md (no anchor of a.md) not.
    assert check({"outro"}, layout.layout) == (
        [
            "docs/b.md:3:1: broken link 'a.md#intro': no anchor '#intro' on 'a.md' "
            "(did you mean '#outro'?)"
        ],
        ["b.md"],
    )
    # Another layout (a page or file added, moved or gone): every page is checked again.
    assert check({"intro"}, "another layout") == ([], ["b.md", "c.md"])


def test_the_cache_key_changes_with_the_page_the_config_and_appended_snippets(tmp_path):
    facts = PageFacts(anchors={"a"})
    cache = FactCache(tmp_path, "site_name: x\n")
    cache.put("a.md", "# A\n", facts)
    cache.save()
    again = FactCache(tmp_path, "site_name: x\n")
    assert again.get("a.md", "# A\n").facts() == facts
    assert again.get("a.md", "# A changed\n") is None
    assert FactCache(tmp_path, "site_name: y\n").get("a.md", "# A\n") is None
    assert FactCache(tmp_path, "site_name: x\n", ["*[A]: B"]).get("a.md", "# A\n") is None


def _unread() -> str:
    raise AssertionError("the file was read although it looks as it did")


def test_a_file_that_looks_as_it_did_is_not_read_again(tmp_path):
    page = tmp_path / "a.md"
    page.write_text("# A\n", encoding="utf-8")
    an_hour_ago = page.stat().st_mtime_ns - 3_600_000_000_000
    os.utime(page, ns=(an_hour_ago, an_hour_ago))
    facts = PageFacts(anchors={"a"})
    cache = FactCache(tmp_path, "site_name: x\n")
    cache.put("a.md", "# A\n", facts, seen(str(page)))
    cache.save()
    assert FactCache(tmp_path, "site_name: x\n").get("a.md", _unread, str(page)).facts() == facts
    # Another size (or time, or inode): the text is read, and the key tells.
    page.write_text("# A, longer\n", encoding="utf-8")
    os.utime(page, ns=(an_hour_ago, an_hour_ago))
    assert FactCache(tmp_path, "site_name: x\n").get("a.md", page.read_text, str(page)) is None
    # The config is in the key, whatever the file looks like.
    assert FactCache(tmp_path, "site_name: y\n").get("a.md", "# A\n", str(page)) is None


def test_a_damaged_look_at_a_file_is_ignored_and_the_text_read(tmp_path):
    page = tmp_path / "a.md"
    page.write_text("# A\n", encoding="utf-8")
    facts = PageFacts(anchors={"a"})
    cache = FactCache(tmp_path, "site_name: x\n")
    cache.put("a.md", "# A\n", facts, ["4", None, "x", 1])
    cache.save()
    assert (
        FactCache(tmp_path, "site_name: x\n").get("a.md", page.read_text, str(page)).facts()
        == facts
    )


def test_a_file_changed_just_before_it_was_read_is_read_again_until_it_settles(tmp_path):
    page = tmp_path / "a.md"
    page.write_text("# A\n", encoding="utf-8")
    facts = PageFacts(anchors={"a"})
    cache = FactCache(tmp_path, "site_name: x\n")
    cache.put("a.md", "# A\n", facts, seen(str(page)))  # changed within the clock's tick
    cache.save()
    reads = []

    def read() -> str:
        reads.append(1)
        return page.read_text(encoding="utf-8")

    again = FactCache(tmp_path, "site_name: x\n")
    assert again.get("a.md", read, str(page)).facts() == facts
    assert reads == [1]
    # Once it has not changed for longer than the clock's tick, what it looks like is enough.
    an_hour_ago = page.stat().st_mtime_ns - 3_600_000_000_000
    os.utime(page, ns=(an_hour_ago, an_hour_ago))
    assert again.get("a.md", read, str(page)).facts() == facts
    assert reads == [1, 1]
    again.save()
    assert FactCache(tmp_path, "site_name: x\n").get("a.md", _unread, str(page)).facts() == facts


def test_two_processes_with_different_hash_seeds_build_the_same_site(tmp_path):
    config = site(tmp_path)
    first = build(config, site="one", seed="1")
    second = build(config, site="two", seed="2")
    assert first == second
    for page in ("index.html", "third/index.html", "search/search_index.json"):
        one, two = ((tmp_path / out / page).read_text(encoding="utf-8") for out in ("one", "two"))
        # The pages' dates fall back to the time of the build: the content is what counts.
        assert re.sub(r"\d\d:\d\d:\d\d", "", one) == re.sub(r"\d\d:\d\d:\d\d", "", two), page
