"""The reviewer's summary of a branch: its changed pages in the built site, and its changed trees.

A reviewer of a pull request sees a changed YAML tree and would have to imagine what it now
decides. This compares the branch with the branch it will merge into and prints, as Markdown
for the job summary:

- each page under docs/ that changed, with its address inside the built site (the `site`
  artifact of the workflow run, when run under GitHub Actions);
- for each page whose decision-tree fences changed (a tree added or edited), every path
  through its trees and where each worked example ends, from hooks/trees/paths.py.

    .venv/bin/python hooks/review.py                # in a pull request's run: GITHUB_BASE_REF
    .venv/bin/python hooks/review.py --base main    # locally, against your main branch

Exit status: 1 when a changed tree is broken (the build's messages are in the summary), 2 when
git cannot compare the branches.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `trees` and its siblings importable
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from mkdocs.structure.files import File, set_exclusions

from trees.fences import find_fences

ROOT = Path(__file__).resolve().parent.parent
PATHS = ROOT / "hooks" / "trees" / "paths.py"
ARTIFACT = "site"  # the name .github/workflows/site.yml uploads the built site under


@dataclass(frozen=True)
class ChangedPage:
    """A page under docs/ that the branch adds, changes, renames or removes."""

    path: str  # "docs/fit/a.md" on the branch (the old path when removed)
    old: str | None  # its text where the branch starts, None when the branch adds it
    new: str | None  # its text on the branch, None when the branch removes it


def changed_trees(old: str | None, new: str | None) -> tuple[int, int]:
    """How many trees of a page the branch adds or edits, and how many it removes.

    A tree counts as changed when the body of its fence is nowhere in the old page; moving a
    tree or editing the text around it changes nothing a reader of the tree would see.
    """
    before = Counter(fence.body for fence in find_fences(old or ""))
    after = Counter(fence.body for fence in find_fences(new or ""))
    changed = sum((after - before).values())
    gone = sum((before - after).values())
    return changed, max(0, gone - changed)


def _git(root: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, encoding="utf-8", check=False
    )
    if result.returncode != 0:
        raise GitError(f"git {' '.join(args)}: {result.stderr.strip()}")
    return result.stdout


class GitError(Exception):
    """Git could not compare the branch with its base."""


def changed_pages(root: Path, base: str) -> list[ChangedPage]:
    """Every Markdown page under docs/ that differs between `base` and the work tree, by path.

    Compared from where the branch left `base`, so what `base` gained since is not listed; in
    CI the work tree is the commit built, locally it includes what is not committed yet.
    """
    start = _git(root, "merge-base", base, "HEAD").strip()
    fields = _git(
        root, "diff", "--name-status", "-z", "--find-renames", start, "--", "docs/"
    ).split("\0")
    pages = []
    at = 0
    while at < len(fields) - 1:
        status = fields[at]
        renamed = status[0] in "RC"
        old_path, new_path = (fields[at + 1], fields[at + 2]) if renamed else (fields[at + 1],) * 2
        at += 3 if renamed else 2
        if not new_path.endswith(".md"):
            continue
        old = None if status[0] in "AC" else _git(root, "show", f"{start}:{old_path}")
        new = None if status[0] == "D" else (root / new_path).read_text(encoding="utf-8-sig")
        pages.append(ChangedPage(new_path, old, new))
    return sorted(pages, key=lambda page: page.path)


def site_address(file: File) -> str:
    """Where MkDocs writes a page in the built site, or why it writes it nowhere."""
    if not file.inclusion.is_included():
        return "not in the built site (`exclude_docs` or `draft_docs` in mkdocs.yml)"
    return f"`{file.dest_uri}`"


def handbook_files(root: Path) -> Callable[[str], File]:
    """A page (a path under docs/) as MkDocs sees it with mkdocs.yml: its address, whether the
    site includes it."""
    from mkdocs.config import load_config  # loads plugins and the hooks: only when needed

    config = load_config(str(root / "mkdocs.yml"))

    def file(page: str) -> File:
        found = File(
            page.removeprefix("docs/"),
            config.docs_dir,
            config.site_dir,
            use_directory_urls=config.use_directory_urls,
        )
        set_exclusions([found], config)
        return found

    return file


def artifact_link(environ: Mapping[str, str]) -> str | None:
    """The workflow run's page, where its artifacts are listed, under GitHub Actions."""
    parts = [environ.get(name) for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY")]
    run = environ.get("GITHUB_RUN_ID")
    if not (all(parts) and run):
        return None
    return f"{parts[0]}/{parts[1]}/actions/runs/{run}#artifacts"


def summary(
    pages: Sequence[ChangedPage],
    site_file: Callable[[str], File],
    paths_report: Callable[[list[str]], tuple[str, int]],
    artifact: str | None,
) -> tuple[str, int]:
    """The reviewer's summary in Markdown, and the exit status of the paths report."""
    lines = ["## For reviewers", ""]
    if not pages:
        return "\n".join([*lines, "No page under docs/ changed.", ""]), 0
    where = f"the `{ARTIFACT}` artifact" + (f" of [this run]({artifact})" if artifact else "")
    lines += [
        f"Pages this branch changes, and where each one is in {where} (download it, unzip it "
        "and open the file in a browser):",
        "",
        "| Page | In the built site |",
        "| --- | --- |",
    ]
    with_trees, removed = [], 0
    for page in pages:
        address = site_address(site_file(page.path)) if page.new is not None else "removed"
        lines.append(f"| `{page.path}` | {address} |")
        changed, gone = changed_trees(page.old, page.new)
        removed += gone
        if changed:
            with_trees.append((page.path, changed))
    lines += ["", "## Decision trees this branch changes", ""]
    if removed:
        lines += [f"Trees removed: {removed}.", ""]
    if not with_trees:
        return "\n".join([*lines, "No decision tree was added or edited.", ""]), 0
    listed = ", ".join(f"`{path}` ({count})" for path, count in with_trees)
    lines += [
        f"Trees added or edited: {listed}. Every path through each tree on these pages, and "
        "where each worked example ends:",
        "",
    ]
    report, status = paths_report([path for path, _ in with_trees])
    return "\n".join(lines) + "\n" + report, status


def run_paths(root: Path) -> Callable[[list[str]], tuple[str, int]]:
    """hooks/trees/paths.py on some pages: its Markdown (and its complaints) and exit status."""

    def report(pages: list[str]) -> tuple[str, int]:
        result = subprocess.run(
            [sys.executable, str(PATHS), *pages],
            cwd=root,
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
        text = result.stdout
        if result.stderr.strip():
            text += f"\n```text\n{result.stderr.strip()}\n```\n"
        return text, result.returncode

    return report


def main(argv: Sequence[str] | None = None, root: Path = ROOT) -> int:
    parser = argparse.ArgumentParser(
        prog="hooks/review.py",
        description="Summarise a branch's changed pages and decision trees for its reviewer.",
    )
    default = (
        f"origin/{os.environ['GITHUB_BASE_REF']}" if os.environ.get("GITHUB_BASE_REF") else None
    )
    parser.add_argument(
        "--base",
        default=default,
        help="the branch this one will merge into (default: origin/$GITHUB_BASE_REF)",
    )
    args = parser.parse_args(argv)
    if not args.base:
        parser.error("name the branch to compare with: --base main")
    try:
        pages = changed_pages(root, args.base)
    except GitError as error:
        print(f"{parser.prog}: {error}", file=sys.stderr)
        return 2
    site_file = handbook_files(root)
    text, status = summary(pages, site_file, run_paths(root), artifact_link(os.environ))
    sys.stdout.write(text)
    return status


if __name__ == "__main__":
    sys.exit(main())
