"""Check the trees and links of a built handbook, whichever builder built it.

    .venv/bin/python hooks/check.py SITE_DIR              # with mkdocs.yml
    .venv/bin/python hooks/check.py -f other.yml SITE_DIR

Under MkDocs the hooks check trees and links while the site builds. A builder that runs no
MkDocs hooks (Zensical) draws the trees through the `trees.extension` Markdown extension, but
cannot check across pages; this command does, after the build, with the same code: it reads
every published page of `docs/` (a page is published when the site holds its HTML), the
anchors of each built page, and the nav, and prints the messages the MkDocs build prints
about trees and links, one a line. It never fetches anything (hooks/links/external.py checks
links to other sites).

Exit status: 0 when there is nothing to fix, 1 when there is, 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

if __package__ in (None, ""):  # run as a script: make the hooks' modules importable
    sys.path.insert(0, str(Path(__file__).resolve().parent))

import pathspec
import yaml

from links.site import LinkSite
from pages import page_url, read_source
from problems import Problem, page_path
from trees.site import TreeSite

_ARTICLE = re.compile(r"<article\b.*</article>", re.S)


@dataclass(frozen=True)
class Config:
    """What the check needs from mkdocs.yml."""

    path: Path
    text: str
    docs_dir: str
    site_url: str
    directory_urls: bool
    has_nav: bool
    not_in_nav: str


def check(config: Config, site: Path) -> list[Problem]:
    """Every tree and link problem of the handbook whose built site is `site`."""
    root = config.path.parent
    docs = root / config.docs_dir
    trees = TreeSite()
    links = LinkSite()
    problems: list[Problem] = []
    pages: dict[str, str] = {}
    for path in sorted(docs.rglob("*.md")):
        page = path.relative_to(docs).as_posix()
        url = page_url(page, config.directory_urls)
        built = _built_file(site, url)
        if not built.is_file():
            continue  # not published (exclude_docs, a draft, a README beside an index.md)
        pages[page] = url
        try:
            source = read_source(path)
        except UnicodeDecodeError as error:
            where = f"byte {error.start + 1}"
            problems.append(
                Problem(page_path(page), 1, 1, f"not UTF-8 text ({where}): save it as UTF-8")
            )
            continue
        links.read_page(source.markdown, page, source.line_offset)
        found = trees.read_page(source.markdown, page, source.line_offset)
        problems += found.problems
        links.add(page, found.links, found.anchors, found.rules)
        html = built.read_text(encoding="utf-8", errors="replace")
        article = _ARTICLE.search(html)  # the page's content, as the hooks index it
        links.read_html(page, article.group() if article else html)
    published = {_built_file(site, url) for url in pages.values()}
    static = {
        file.relative_to(site).as_posix(): file.relative_to(site).as_posix()
        for file in sorted(site.rglob("*"))
        if file.is_file() and file not in published
    }
    problems += trees.check()
    nav_pages = None
    if config.has_nav:
        nav_pages = [page for page in pages if _matches(config.not_in_nav, page)]
    problems += links.check_files(pages, static, nav_pages, config.text, config.site_url)
    return sorted(set(problems))


def _publishes_a_page(config: Config, site: Path) -> bool:
    """Whether `site` holds the HTML of any page of docs/ (else it is no build of them)."""
    docs = config.path.parent / config.docs_dir
    return any(
        _built_file(
            site, page_url(path.relative_to(docs).as_posix(), config.directory_urls)
        ).is_file()
        for path in docs.rglob("*.md")
    )


def _built_file(site: Path, url: str) -> Path:
    """The file of the site that serves a page's URL."""
    path = unquote(url)
    if path in ("", "./"):
        return site / "index.html"
    return site / (path + "index.html" if path.endswith("/") else path)


def _matches(patterns: str, page: str) -> bool:
    """Whether `page` matches mkdocs.yml's `not_in_nav` (gitignore-style patterns)."""
    if not patterns.strip():
        return False
    return pathspec.GitIgnoreSpec.from_lines(patterns.splitlines()).match_file(page)


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as MkDocs reads it, but without importing anything it names."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    """`!ENV NAME` or `!ENV [NAME, ..., default]`, as MkDocs resolves it."""
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        values = loader.construct_sequence(node)  # type: ignore[arg-type]
        names, default = values[:-1], values[-1] if len(values) > 1 else None
        names = names or values
    for name in names:
        if str(name) in os.environ:
            return yaml.safe_load(os.environ[str(name)])
    return default


_ConfigLoader.add_constructor("!ENV", _env)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)


def _load(path: Path) -> tuple[dict, Path]:
    """A configuration's settings, INHERIT followed, and the file that holds its `nav`."""
    with path.open(encoding="utf-8") as file:
        data = yaml.load(file, Loader=_ConfigLoader) or {}
    if not isinstance(data, dict):
        raise ValueError("not a mapping of settings")
    parent = data.pop("INHERIT", None)
    if not parent:
        return data, path
    base, nav_file = _load(path.parent / str(parent))
    base.update(data)  # enough for what the check reads: top-level settings
    return base, path if "nav" in data else nav_file


def read_config(path: Path) -> Config:
    """The settings of mkdocs.yml (or a file that INHERITs it) that the check needs."""
    data, nav_file = _load(path)
    site_url = str(data.get("site_url") or "")
    if site_url and not site_url.endswith("/"):
        site_url += "/"
    return Config(
        path=path.resolve(),
        text=nav_file.read_text(encoding="utf-8"),
        docs_dir=str(data.get("docs_dir") or "docs"),
        site_url=site_url,
        directory_urls=data.get("use_directory_urls", True) is not False,
        has_nav="nav" in data,
        not_in_nav=str(data.get("not_in_nav") or ""),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="hooks/check.py",
        description="Check the decision trees and links of a built handbook (no network).",
    )
    parser.add_argument("site", metavar="SITE_DIR", type=Path, help="the built site, e.g. site")
    parser.add_argument(
        "-f",
        "--config-file",
        type=Path,
        default=Path("mkdocs.yml"),
        help="the configuration naming docs_dir and nav (default: mkdocs.yml)",
    )
    args = parser.parse_args(argv)
    if not args.site.is_dir():
        parser.error(f"no built site at '{args.site}': build the handbook first")
    if not args.config_file.is_file():
        parser.error(f"no configuration file '{args.config_file}'")
    try:
        config = read_config(args.config_file)
    except (OSError, ValueError, yaml.YAMLError) as error:
        parser.error(f"cannot read '{args.config_file}': {error}")
    if not _publishes_a_page(config, args.site):
        parser.error(
            f"'{args.site}' holds no page of {config.docs_dir}/: give the folder the build wrote"
        )
    problems = check(config, args.site)
    for problem in problems:
        print(problem)
    if problems:
        count = "1 problem" if len(problems) == 1 else f"{len(problems)} problems"
        print(f"{count} in trees and links: fix them, then build again", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
