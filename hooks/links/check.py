"""Check every link against the site index, and the handbook's two rules about links.

A Markdown link (and a tree's `read` entry) resolves as MkDocs resolves it: relative to the
*file* holding it, to a page's `.md` file or a static file, then rewritten to the page's URL.
MkDocs leaves raw HTML alone, so `href`/`src` in raw HTML resolve as the browser will
resolve them: relative to the page's *URL*. External links (any scheme, or `//host`) are never
fetched here; hooks/links/external.py checks them on request.

Every function returns `Problem`s sorted by file, line and column; nothing is logged here.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections import deque
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import SplitResult, urlsplit

from links.index import SiteIndex, build_index, normal_url
from links.model import BackLinkRule, Link
from problems import Problem, closest, did_you_mean, page_path

_JAVASCRIPT = re.compile(r"^[\s\x00-\x1f]*javascript:", re.I)
_ABSOLUTE = "absolute links break on another host; write a relative link to the .md file"


def _where(link: Link) -> tuple[str, int, int]:
    """The file as the writer knows it, and the place in it."""
    return page_path(link.source), link.line, link.col


def _broken(link: Link, what: str) -> Problem:
    return Problem(*_where(link), f"broken link '{link.target}': {what}")


def _relative(target: str, source: str) -> str:
    """`target` (a path under docs/) as a relative link written in the page `source`."""
    start = posixpath.dirname(source) or "."
    return posixpath.relpath(target, start)


# Pure functions of the strings a writer typed, called once per link: pages link to the same
# places over and over, so each answer is remembered for the build.
@functools.lru_cache(maxsize=4096)
def _folder(source: str) -> str:
    """The folder that relative links in `source` start from ("" for docs/ itself)."""
    return "" if source == "mkdocs.yml" else posixpath.dirname(source)


@functools.lru_cache(maxsize=16384)
def _join(folder: str, path: str) -> str | None:
    """A relative path joined to a folder under docs/, or None when it leaves docs/."""
    joined = posixpath.normpath(posixpath.join(folder, path))
    if joined == ".." or joined.startswith("../"):
        return None
    return "" if joined == "." else joined


@dataclass
class Resolution:
    """Where a link lands: a page (maybe with an anchor) or a file; or what is wrong."""

    page: str | None = None
    anchor: str = ""
    problem: str | None = None  # the part of the message after "broken link '...': "


def _missing(
    link: Link, path: str, pool: Mapping[str, str], lower: Mapping[str, str], explain: bool
) -> str:
    """What is missing (a path under docs/), with a letter-case hint or a near match.

    The near match is written as the link to type in the writer's own file; the search for
    it runs only when `explain` is set.
    """
    noun = "page" if path.endswith(".md") else "file"
    actual = lower.get(path.lower())
    if actual is not None:
        return f"no {noun} '{path}' — the file is '{actual}' (letter case differs)"
    near = _near_path(path, pool) if explain else None
    hint = f" (did you mean '{_relative(near, link.source)}'?)" if near else ""
    return f"no {noun} '{path}'{hint}"


def _near_path(path: str, pool: Iterable[str]) -> str | None:
    """The closest path in `pool` by `did_you_mean`, compared without extensions: every page
    ends in ".md", and that shared tail alone would make 'fit/nope.md' look close to
    'index.md'."""
    stems: dict[str, str] = {}
    for candidate in pool:
        stems.setdefault(posixpath.splitext(candidate)[0], candidate)
    near = closest(posixpath.splitext(path)[0], stems)
    return stems[near] if near is not None else None


def _resolve_file_link(link: Link, path: str, index: SiteIndex, explain: bool) -> Resolution:
    """Resolve a path as MkDocs does for Markdown links: relative to the file holding it."""
    target = _join(_folder(link.source), path)
    if target is None:
        return Resolution(problem="it points outside docs/, which is not published")
    if target in index.pages:
        return Resolution(page=target)
    if target in index.files:
        return Resolution()
    extension = posixpath.splitext(target)[1]
    if not extension or path.endswith("/"):
        # MkDocs rewrites only links to files; a folder link is left as written and the
        # browser resolves it against the page's URL ("fit/focus/"), not its file.
        base = target.rstrip("/")
        guesses = [posixpath.join(base, "index.md"), posixpath.join(base, "README.md")]
        if base:
            guesses.insert(1, f"{base}.md")
        for guess in guesses:
            if guess in index.pages:
                near = _relative(guess, link.source) if link.source != "mkdocs.yml" else guess
                return Resolution(
                    problem="a link to a folder is left as written and resolves against the "
                    f"page's URL, not its file: link to the .md file (did you mean '{near}'?)"
                )
        if not base:
            return Resolution(problem="no page 'index.md' in docs/")
        return Resolution(problem=f"no page '{base}.md' or '{base}/index.md'")
    if extension == ".md":
        return Resolution(
            problem=_missing(link, target, index.pages, index.pages_by_lower, explain)
        )
    if extension in (".html", ".htm"):
        source_page = target[: -len(extension)] + ".md"
        if source_page in index.pages:
            near = _relative(source_page, link.source)
            return Resolution(
                problem=f"no file '{target}': link to the .md file (did you mean '{near}'?)"
            )
    return Resolution(problem=_missing(link, target, index.files, index.files_by_lower, explain))


def _resolve_html_link(link: Link, path: str, index: SiteIndex) -> Resolution:
    """Resolve a raw HTML `href`/`src` as the browser does: against the page's URL."""
    page_url = normal_url(index.pages.get(link.source, ""))
    folder = page_url.rsplit("/", 1)[0] if "/" in page_url else ""
    target = _join(folder, path)
    if target is None:
        return Resolution(problem="it points above the site's root")
    if path.endswith("/") and target:
        target += "/"
    found = index.page_at(target)
    if found is not None:
        return Resolution(page=found if found in index.pages else None)
    if path.endswith(".md"):
        page = _join(_folder(link.source), path)
        if page in index.pages:
            url = index.pages[page]
            near = posixpath.relpath(url or ".", folder or ".")
            near += "/" if not url or url.endswith("/") else ""
            return Resolution(
                problem="raw HTML links are not rewritten to page URLs: write the page's URL "
                f"(did you mean '{near}'?)"
            )
    return Resolution(
        problem=f"nothing is published at '{target}' (raw HTML links resolve against the "
        f"page's URL '{page_url}', not its file)"
    )


def _site_page(path: str, index: SiteIndex, site_path: str) -> str | None:
    """The page an absolute path on this site names, if any."""
    path = normal_url(path)
    if site_path and path.startswith(site_path):
        path = path[len(site_path) :]
    return index.page_at(path.lstrip("/"))


@functools.lru_cache(maxsize=8)
def _site_parts(site_url: str) -> SplitResult:
    return urlsplit(site_url)


def resolve(
    link: Link, index: SiteIndex, site_url: str = "", explain: bool = True
) -> Resolution | None:
    """Where a link lands, what is wrong with it, or None for a link this checker skips.

    With `explain` False a broken link still gets a `problem`, but without the near-match
    search, which is the one costly step: checking resolves every link that way first and
    explains only the few that are broken.
    """
    target = link.target.strip()
    if not target:
        return Resolution(problem="it has no target; write the .md file it points to")
    if _JAVASCRIPT.match(target):
        return Resolution(problem="javascript: URLs are refused; link to a page or a file")
    try:
        parts = urlsplit(target)
    except ValueError:  # "http://[::1": urllib refuses a bracket it cannot close
        return Resolution(problem="it is not a valid URL; check its brackets and slashes")
    site = _site_parts(site_url)
    on_site = parts.netloc and site.netloc and parts.netloc.lower() == site.netloc.lower()
    if (parts.scheme or parts.netloc) and not on_site:
        return None  # external: mailto:, tel:, https://other.host/... are never fetched here
    if on_site or target.startswith(("/", "\\")):
        page = _site_page(parts.path, index, site.path if on_site else "")
        hint = ""
        if page is not None and link.source != "mkdocs.yml" and page in index.pages:
            fragment = f"#{parts.fragment}" if parts.fragment else ""
            hint = f" (did you mean '{_relative(page, link.source)}{fragment}'?)"
        return Resolution(problem=_ABSOLUTE + hint)
    path, anchor = normal_url(parts.path), normal_url(parts.fragment)
    if not path:
        return Resolution(page=link.source, anchor=anchor)
    if link.kind == "html":
        resolved = _resolve_html_link(link, path, index)
    else:
        resolved = _resolve_file_link(link, path, index, explain)
    resolved.anchor = anchor
    return resolved


def _anchor_problem(link: Link, resolved: Resolution, index: SiteIndex) -> str | None:
    """What is wrong with the anchor of a link that reached a page, if anything."""
    anchor = resolved.anchor
    if not anchor or anchor == "top" or resolved.page is None:
        return None  # "#" and "#top" both mean the top of the page to a browser
    ids = index.anchors.get(resolved.page, set())
    if anchor in ids:
        return None
    near = did_you_mean(f"#{anchor}", [f"#{a}" for a in ids])
    if resolved.page == link.source:
        return f"no anchor '#{anchor}' on this page{near}"
    return f"no anchor '#{anchor}' on '{resolved.page}'{near}"


_Landing = tuple[Link, Resolution | None]


# A relative link to a page, with or without an anchor, in the plainest form: no scheme, host,
# query, space, percent sign or backslash, not starting with '/'. For such a target `resolve`
# splits the URL at its '#' alone, decodes nothing, and joins the path to the link's folder;
# so when that lands on a page, the landing is that page and anchor, found without the rest.
_PLAIN_PAGE_LINK = re.compile(r"([\w.-][\w./-]*\.md)(?:#([\w-]*))?", re.ASCII)


def _resolve_all(links: Iterable[Link], index: SiteIndex, site_url: str) -> list[_Landing]:
    """Each link with where it lands: one resolution per link for everything that follows."""
    landings: list[_Landing] = []
    for link in links:
        plain = _PLAIN_PAGE_LINK.fullmatch(link.target) if link.kind != "html" else None
        if plain is not None:
            page = _join(_folder(link.source), plain.group(1))
            if page is not None and page in index.pages:
                landings.append((link, Resolution(page=page, anchor=plain.group(2) or "")))
                continue
        landings.append((link, resolve(link, index, site_url, explain=False)))
    return landings


@dataclass(slots=True)
class PageCheck:
    """What one file's links told the checker: their problems, the pages they land on, and
    the pages whose anchors were looked up for them.

    Besides the file's own links, this rests only on the site's layout (its pages, files and
    their URLs) and on the anchors of the `anchored` pages: while none of these changes, a
    dirty build may take it from the cache instead of checking the links again.
    """

    problems: list[Problem] = field(default_factory=list)
    edges: set[str] = field(default_factory=set)  # pages only: not files, not broken links
    anchored: set[str] = field(default_factory=set)


def check_pages(
    links: Iterable[Link], index: SiteIndex, site_url: str = ""
) -> dict[str, PageCheck]:
    """Check `links` file by file: a `PageCheck` for each file holding any of them."""
    checks: dict[str, PageCheck] = {}
    for link, resolved in _resolve_all(links, index, site_url):
        check = checks.get(link.source)
        if check is None:
            check = checks[link.source] = PageCheck()
        if resolved is None:
            continue
        if resolved.problem is not None:
            explained = resolve(link, index, site_url, explain=True)
            check.problems.append(
                _broken(link, explained.problem if explained else resolved.problem)
            )
            continue
        if resolved.page is None:
            continue
        check.edges.add(resolved.page)
        if resolved.anchor and resolved.anchor != "top":
            check.anchored.add(resolved.page)
            if what := _anchor_problem(link, resolved, index):
                check.problems.append(_broken(link, what))
    return checks


def _edges(landings: Iterable[_Landing]) -> dict[str, set[str]]:
    """Which pages each file links to (pages only: not files, not broken links)."""
    edges: dict[str, set[str]] = {}
    for link, resolved in landings:
        if resolved is not None and resolved.problem is None and resolved.page is not None:
            edges.setdefault(link.source, set()).add(resolved.page)
    return edges


def check_links(links: Iterable[Link], index: SiteIndex, site_url: str = "") -> list[Problem]:
    """Every broken link among `links`, one `Problem` each, sorted by file, line and column."""
    checks = check_pages(links, index, site_url).values()
    return sorted(problem for check in checks for problem in check.problems)


def _back_link_problems(
    rules: Iterable[BackLinkRule], edges: Mapping[str, Collection[str]], index: SiteIndex
) -> list[Problem]:
    problems = set()
    rules = list(rules)
    landings = _resolve_all([rule.read for rule in rules], index, "")
    for rule, (_, resolved) in zip(rules, landings, strict=True):
        if resolved is None or resolved.problem is not None or resolved.page is None:
            continue  # a broken `read` is reported as a broken link, not twice
        read_page = resolved.page
        if read_page != rule.tree_page and rule.tree_page not in edges.get(read_page, ()):
            problems.add(
                Problem(
                    *_where(rule.read),
                    f"'{read_page}' does not link back to '{rule.tree_page}', which holds "
                    f"tree '{rule.tree_id}': add a link to it",
                )
            )
    return sorted(problems)


def check_back_links(
    rules: Iterable[BackLinkRule], links: Iterable[Link], index: SiteIndex
) -> list[Problem]:
    """Each outcome's `read` page must link back to the page holding the tree."""
    return _back_link_problems(rules, _edges(_resolve_all(links, index, "")), index)


def _orphans(
    pages: Iterable[str], roots: Iterable[str], edges: Mapping[str, Collection[str]]
) -> list[Problem]:
    """Pages not reached from `roots` or index.md by following `edges`, breadth first."""
    pages = list(pages)
    known = set(pages)
    reached = {page for page in (*roots, "index.md") if page in known or page == "index.md"}
    queue = deque(reached)
    while queue:
        for target in edges.get(queue.popleft(), ()):
            if target not in reached:
                reached.add(target)
                queue.append(target)
    return sorted(
        Problem(
            page_path(page),
            1,
            1,
            "no page links here and it is not in the nav: add it to `nav` in mkdocs.yml "
            "or link to it from a related page",
        )
        for page in pages
        if page not in reached
    )


def find_orphans(
    pages: Collection[str],
    nav_pages: Collection[str],
    links: Iterable[Link],
    urls: Mapping[str, str] | None = None,
) -> list[Problem]:
    """Pages a reader cannot reach from the home page, the nav or any reachable page's links.

    `urls` (page path -> URL) lets raw HTML links count; without it they are resolved as
    Markdown links are.
    """
    index = build_index({page: (urls or {}).get(page, page) for page in pages}, {}, {})
    return _orphans(pages, nav_pages, _edges(_resolve_all(links, index, "")))


def check_site(
    links: Iterable[Link],
    nav_links: Iterable[Link],
    rules: Iterable[BackLinkRule],
    index: SiteIndex,
    site_url: str = "",
    nav_pages: Collection[str] | None = None,
) -> list[Problem]:
    """All link problems of one build: broken links (pages and nav), back-links, orphans.

    Every link is resolved once. `nav_pages` is None when mkdocs.yml has no `nav` (MkDocs then
    lists every page, so no page can be an orphan); otherwise it holds the pages marked
    not_in_nav, and the nav's own entries are added to them here.
    """
    return site_problems(
        check_pages([*links, *nav_links], index, site_url), rules, index, nav_pages
    )


def site_problems(
    checks: Mapping[str, PageCheck],
    rules: Iterable[BackLinkRule],
    index: SiteIndex,
    nav_pages: Collection[str] | None = None,
) -> list[Problem]:
    """All link problems of one build from every file's `PageCheck` (the nav's under
    "mkdocs.yml"): their broken links, then back-links and orphans, which rest on the pages
    each file's links land on."""
    edges = {source: check.edges for source, check in checks.items()}
    problems = [problem for check in checks.values() for problem in check.problems]
    problems += _back_link_problems(rules, edges, index)
    if nav_pages is not None:
        roots = {*nav_pages, *edges.get("mkdocs.yml", ())}
        problems += _orphans(index.pages, roots, edges)
    return sorted(problems)
