"""The migration path to Zensical: trees drawn and walkable, and checked by hooks/check.py.

Zensical runs Python-Markdown extensions but no MkDocs hooks. zensical.yml adds the
`trees.extension` Markdown extension to mkdocs.yml's settings, and `hooks/check.py SITE_DIR`
does the site-wide checks after the build. These tests build with Zensical's own command, as
the README says, with no environment variable set: hooks/ is importable because .ci/setup
puts it on the virtual environment's path.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, Built, Guard, open_page, screenshot, tiny_config
from playwright.sync_api import expect

import check

ZENSICAL = Path(sys.executable).parent / "zensical"
CHECK = ROOT / "hooks" / "check.py"
TREE_PAGE = "fit/take-on-request/"
TREE = "take-on-request"


def _environment() -> dict[str, str]:
    """The shell's environment without anything that would make hooks/ importable."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env.pop("HANDBOOK_SITE_URL", None)
    return env


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        cwd=cwd,
        env=_environment(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def zensical_build(root: Path) -> subprocess.CompletedProcess[str]:
    """`zensical build -f zensical.yml --clean` run in `root`, as the README gives it."""
    return _run([str(ZENSICAL), "build", "-f", "zensical.yml", "--clean"], root)


def run_check(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`.venv/bin/python hooks/check.py ARGS` run in `root`."""
    return _run([sys.executable, str(CHECK), *args], root)


def tree_html(page_html: str) -> list[str]:
    """Each decision tree's HTML on a page, from its `<div class="dt"` to its closing tag."""
    trees = []
    for start in re.finditer(r'<div class="dt" id="tree-', page_html):
        depth = 0
        for tag in re.finditer(r"<div\b|</div>", page_html[start.start() :]):
            depth += 1 if tag.group() == "<div" else -1
            if depth == 0:
                trees.append(page_html[start.start() : start.start() + tag.end()])
                break
    return trees


@pytest.fixture(scope="session")
def zensical_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The real handbook built once by Zensical from a copy of the repository's site sources,
    and what the build printed."""
    root = tmp_path_factory.mktemp("zensical")
    for name in ("docs", "theme_overrides"):
        shutil.copytree(ROOT / name, root / name)
    for name in ("mkdocs.yml", "zensical.yml"):
        shutil.copy2(ROOT / name, root / name)
    built = zensical_build(root)
    assert built.returncode == 0, built.stdout + built.stderr
    return root, built.stdout + built.stderr


@pytest.fixture(scope="session")
def zensical_handbook(zensical_run: tuple[Path, str]) -> Path:
    return zensical_run[0]


# ---------------------------------------------------------------- the real handbook


@pytest.mark.slow
def test_zensical_draws_every_tree_with_the_html_of_the_mkdocs_build(
    zensical_handbook: Path, handbook_site: Built
):
    drawn = {}
    for page in sorted(handbook_site.site_dir.rglob("index.html")):
        expected = tree_html(page.read_text(encoding="utf-8"))
        if expected:
            drawn[page.relative_to(handbook_site.site_dir).as_posix()] = expected
    assert len(drawn) >= 6, "the MkDocs build drew fewer trees than the handbook holds"
    for page, expected in drawn.items():
        html = (zensical_handbook / "site" / page).read_text(encoding="utf-8")
        # Zensical reads Material's data-search-exclude for its search index and drops it.
        expected = [tree.replace(" data-search-exclude", "") for tree in expected]
        assert tree_html(html) == expected, page
        assert "dt-slot" not in html and "language-decision-tree" not in html, page


@pytest.mark.slow
def test_zensical_link_validation_is_on_and_finds_nothing(zensical_run: tuple[Path, str]):
    _, printed = zensical_run
    assert "No issues found" in printed, printed


@pytest.mark.slow
def test_check_passes_the_handbook_built_by_zensical_and_by_mkdocs(
    zensical_handbook: Path, handbook_site: Built
):
    by_zensical = run_check(zensical_handbook, "site")
    assert (by_zensical.returncode, by_zensical.stdout) == (0, ""), by_zensical.stderr
    by_mkdocs = run_check(ROOT, str(handbook_site.site_dir))
    assert (by_mkdocs.returncode, by_mkdocs.stdout) == (0, ""), by_mkdocs.stderr


@pytest.mark.browser
@pytest.mark.slow
def test_the_walker_walks_a_tree_of_the_zensical_build(zensical_handbook: Path, serve, page):
    base = serve(zensical_handbook / "site")
    # Reached from a link, as a reader does: with instant navigation the page is swapped in.
    page.goto(base + "fit/")
    page.locator(f"article a[href$='{TREE_PAGE.split('/')[1]}/']").first.click()
    page.wait_for_url(base + TREE_PAGE)
    tree = page.locator(f"#tree-{TREE}")
    walker = tree.locator(".dt-walker")
    expect(walker).to_be_visible()
    expect(tree.locator(".dt-steps")).to_be_hidden()
    first = walker.locator(".dt-walker-title").inner_text()
    walker.locator("button.dt-choice").first.click()
    expect(walker.locator(".dt-walker-title")).not_to_have_text(first)
    assert f"dt-{TREE}=0" in page.evaluate("location.search")
    tree.scroll_into_view_if_needed()
    screenshot(page, "zensical-tree-walk", full_page=False)
    # `page` fails the test on any request to another host or script error.


@pytest.mark.browser
@pytest.mark.slow
def test_no_page_of_the_zensical_build_asks_another_host(zensical_handbook: Path, serve, page):
    site = zensical_handbook / "site"
    base = serve(site)
    pages = sorted(path.parent for path in site.rglob("index.html"))
    assert len(pages) > 20
    for folder in pages:
        path = "" if folder == site else folder.relative_to(site).as_posix() + "/"
        page.goto(base + path, wait_until="load")
    # `page` fails the test on any request to another host or script error.


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "options", "media"),
    [
        ("dark", {"viewport": {"width": 1280, "height": 900}, "color_scheme": "dark"}, "screen"),
        ("phone", {"viewport": {"width": 390, "height": 844}}, "screen"),
        ("print", {"viewport": {"width": 1280, "height": 900}}, "print"),
    ],
)
def test_a_tree_of_the_zensical_build_reads_in_the_dark_on_a_phone_and_in_print(
    zensical_handbook: Path, serve, browser, name, options, media
):
    guard = Guard()
    page = open_page(browser, guard, **options)
    try:
        page.goto(serve(zensical_handbook / "site") + TREE_PAGE)
        page.emulate_media(media=media)
        tree = page.locator(f"#tree-{TREE}")
        if media == "print":  # the chart and every step, as text
            expect(tree.locator(".dt-steps")).to_be_visible()
        else:
            expect(tree.locator(".dt-walker")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= options["viewport"]["width"], f"the page is {width} px wide"
        shown = tree if media == "print" else tree.locator(".dt-walker")
        shown.scroll_into_view_if_needed()
        screenshot(page, f"zensical-tree-{name}", full_page=False)
    finally:
        page.context.close()
    assert guard.outside == [], f"requests to other hosts: {guard.outside}"
    assert guard.errors == [], f"script errors: {guard.errors}"


# ---------------------------------------------------------------- a tiny site with mistakes

SMALL_TREE = """\
```decision-tree
id: {id}
title: A tree
start: ask
nodes:
  ask:
    question: Is it fine?
    answers:
      - label: Yes
        next: fine
      - label: No
        next: {no}
  fine:
    outcome: It is fine
    verdict: go
    read: [{read}]
```
"""

TINY_PAGES = {
    "index.md": "# Home\n\nSee [the tree](tree.md) and [a lost page](lost.md).\n",
    "tree.md": "---\ntitle: A tree\n---\n\n# A tree\n\nBack [home](index.md#nowhere).\n\n"
    + SMALL_TREE.format(id="tiny", no="fien", read="index.md"),
}

TINY_PROBLEMS = [
    "docs/index.md:3:43: broken link 'lost.md': no page 'lost.md'",
    "docs/tree.md:7:13: broken link 'index.md#nowhere': no anchor '#nowhere' on 'index.md'",
    "docs/tree.md:20:15: nodes.ask.answers[1].next: no node 'fien' (did you mean 'fine'?)",
]


def _tiny_site(root: Path) -> None:
    docs = root / "docs"
    for name, text in TINY_PAGES.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    (docs / "includes").mkdir()
    (docs / "includes" / "glossary-terms.md").write_text("", encoding="utf-8")
    config = tiny_config(Path("docs"), nav="  - Home: index.md\n  - A tree: tree.md")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copy2(ROOT / "zensical.yml", root / "zensical.yml")


@pytest.mark.slow
def test_check_reports_each_mistake_of_a_zensical_build_at_its_line(tmp_path: Path):
    _tiny_site(tmp_path)
    built = zensical_build(tmp_path)
    assert built.returncode == 0, built.stdout + built.stderr
    # Zensical's own validation sees the two broken links of the page text, not the tree's.
    assert "2 issues found" in built.stdout + built.stderr
    site = (tmp_path / "site" / "tree" / "index.html").read_text(encoding="utf-8")
    assert "This decision tree has 1 problem and is not shown" in site
    checked = run_check(tmp_path, "site")
    assert checked.returncode == 1
    assert checked.stdout.splitlines() == TINY_PROBLEMS
    assert checked.stderr == "3 problems in trees and links: fix them, then build again\n"


@pytest.mark.slow
def test_check_prints_what_the_mkdocs_build_prints(tmp_path: Path, build_site):
    built = build_site(TINY_PAGES, nav="  - Home: index.md\n  - A tree: tree.md")
    assert not built.ok
    assert sorted(built.messages) == sorted(TINY_PROBLEMS)
    checked = run_check(tmp_path, "-f", "mkdocs.yml", str(tmp_path / "site"))
    assert checked.stdout.splitlines() == TINY_PROBLEMS


CROSS_PAGES = {
    "index.md": "# Home\n\n[One](one.md) and [two](two.md).\n",
    "one.md": "# One\n\n" + SMALL_TREE.format(id="same", no="fine", read="index.md"),
    "two.md": "# Two\n\n" + SMALL_TREE.format(id="same", no="fine", read="lonely.md#gone"),
    "lonely.md": "# Lonely\n\nNobody links here.\n",
}


@pytest.mark.slow
def test_check_finds_what_only_a_whole_site_shows_as_the_mkdocs_build_does(
    tmp_path: Path, build_site
):
    nav = "  - Home: index.md\n  - One: one.md\n  - Two: two.md\n  - Gone: gone.md"
    built = build_site(CROSS_PAGES, nav=nav, strict=False)
    checked = run_check(tmp_path, "-f", "mkdocs.yml", str(tmp_path / "site"))
    assert checked.returncode == 1
    # A tree id used twice, a read link to a missing anchor and to a page that does not link
    # back, a nav entry to no page: the messages the build printed, word for word.
    assert sorted(checked.stdout.splitlines()) == sorted(built.messages)
    assert built.messages[:3] == [
        "docs/two.md:4:5: id: the tree id 'same' is already used by the tree at docs/one.md:4;"
        " tree ids appear in web addresses, so each must be unique across the site: rename one"
        " of them",
        "docs/two.md:18:12: 'lonely.md' does not link back to 'two.md', which holds tree"
        " 'same': add a link to it",
        "docs/two.md:18:12: broken link 'lonely.md#gone': no anchor '#gone' on 'lonely.md'"
        " (did you mean '#lonely'?)",
    ]
    # The nav's line depends on the length of the handbook's mkdocs.yml that the site uses.
    assert re.fullmatch(
        r"mkdocs\.yml:\d+:11: broken link 'gone\.md': no page 'gone\.md' \(did you mean"
        r" 'one\.md'\?\)",
        built.messages[3],
    )


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ([], "the following arguments are required: SITE_DIR"),
        (["no-such-site"], "no built site at 'no-such-site': build the handbook first"),
        (["site", "extra"], "unrecognized arguments: extra"),
        (["-f", "none.yml", "."], "no configuration file 'none.yml'"),
        (["."], "'.' holds no page of docs/: give the folder the build wrote"),
    ],
)
def test_check_explains_bad_arguments_with_its_usage(
    tmp_path: Path, monkeypatch, capsys, args, error
):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: Tiny\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as stopped:
        check.main(args)
    assert stopped.value.code == 2
    assert capsys.readouterr().err.splitlines() == [
        "usage: hooks/check.py [-h] [-f CONFIG_FILE] SITE_DIR",
        f"hooks/check.py: error: {error}",
    ]


def test_the_readme_gives_the_commands_these_tests_run():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Building with Zensical", 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line.split("  #")[0].strip() for line in block.splitlines()]
    assert commands == [
        ".ci/setup --test",
        ".venv/bin/zensical build -f zensical.yml",
        ".venv/bin/python hooks/check.py site",
    ]
    # What the tests run: the same build (--clean only because each test builds afresh) and
    # check, and the .pth file .ci/setup writes, without which Zensical finds no extension.
    setup = (ROOT / ".ci" / "setup").read_text(encoding="utf-8")
    assert 'printf \'%s\\n\' "$PWD/hooks" > "$purelib/customer-fit-handbook-hooks.pth"' in setup


def test_check_reports_a_page_that_is_not_utf8_instead_of_stopping(tmp_path: Path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n\n[Bad](bad.md)\n", encoding="utf-8")
    (tmp_path / "docs" / "bad.md").write_bytes(b"# Bad \xff\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: Tiny\n", encoding="utf-8")
    for built in ("site/index.html", "site/bad/index.html"):
        (tmp_path / built).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / built).write_text("<article><h1 id='x'>x</h1></article>", encoding="utf-8")
    config = check.read_config(tmp_path / "mkdocs.yml")
    assert [str(problem) for problem in check.check(config, tmp_path / "site")] == [
        "docs/bad.md:1:1: not UTF-8 text (byte 7): save it as UTF-8"
    ]


def test_the_extension_and_the_check_need_neither_mkdocs_nor_material():
    """After a switch, the site group can drop MkDocs and Material: nothing here imports them."""
    blocker = (
        "import importlib.abc, sys\n"
        "class Block(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path, target=None):\n"
        "        if name.split('.')[0] in ('mkdocs', 'material'):\n"
        "            raise ImportError(name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "import check, trees.extension\n"
    )
    imported = _run([sys.executable, "-c", blocker], ROOT / "hooks")
    assert imported.returncode == 0, imported.stderr
