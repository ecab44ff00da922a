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


def test_a_corrupt_cache_is_read_again_with_one_info_line(tmp_path):
    config = site(tmp_path)
    full, _ = build(config)
    cache = config.parent / ".cache" / "handbook" / "pages.txt"
    cache.write_text("{not json", encoding="utf-8")
    (config.parent / "docs" / "other.md").write_text(OTHER + "\nMore.\n", encoding="utf-8")
    dirty, infos = build(config, dirty=True)
    assert dirty == full
    assert len(infos) == 1 and "could not be read" in infos[0]


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
