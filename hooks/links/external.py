"""List, and on request check, every link from docs/ to another host.

Not part of the build: readers' intranet may have no internet, and a build must not depend on
other sites being up. Run it by hand or on a schedule:

    .venv/bin/python hooks/links/external.py            # list external links with file:line:col
    .venv/bin/python hooks/links/external.py --check    # also check them; exit 1 if any is broken

Checks run in threads with a timeout each, try HEAD and fall back to GET (many servers refuse
HEAD), and remember good results in .cache/links.json for `--days` days so a rerun only asks
about links that are new, stale or were broken last time.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `links` and `problems` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from links.collect import collect_links
from links.model import Link
from markdown_blocks import scan
from problems import page_path
from trees.fences import INFO

ROOT = Path(__file__).resolve().parents[2]
USER_AGENT = "customer-fit-handbook-link-check/1.0"
DAY = 86_400


@dataclass(frozen=True)
class Result:
    """What asking for one URL gave: an HTTP status, or why there was none."""

    url: str
    ok: bool
    detail: str  # "HTTP 200", "HTTP 404", "timed out", "connection refused", ...
    checked: float  # seconds since the epoch


def open_tree_fences(markdown: str) -> str:
    """The page with the opening and closing lines of each decision-tree fence blanked.

    `collect_links` treats tree fences as code, as the build must; here the Markdown in a
    tree's `help` and `body` should be read too. It stands in the file as typed, so links
    found in it keep their true places. Which fences are trees is the shared block scanner's
    answer (`markdown_blocks`), the build's own: a tree fence shown as an example, inside a
    longer fence or an indented code block, stays code.
    """
    lines = markdown.split("\n")
    for fence in scan(markdown).fences:
        if fence.info == INFO and fence.shown == "fence":
            for number in (fence.line - 1, fence.end_line - 1):
                lines[number] = " " * len(lines[number])
    return "\n".join(lines)


def external_links(docs: Path) -> list[Link]:
    """Every link to another host (http, https, ftp, mailto, tel) in the pages under `docs`,
    including those in decision trees' `help` and `body`."""
    found = []
    for page in sorted(docs.rglob("*.md")):
        source = page.relative_to(docs).as_posix()
        for link in collect_links(open_tree_fences(page.read_text(encoding="utf-8")), source):
            if _is_external(link.target):
                found.append(link)
    return found


def _is_external(target: str) -> bool:
    lowered = target.strip().lower()
    return lowered.startswith(("http://", "https://", "ftp://", "mailto:", "tel:", "//"))


def _checkable(url: str) -> bool:
    """Only web links can be asked about; mailto: and tel: are listed, never checked."""
    return url.lower().startswith(("http://", "https://"))


def _ask(url: str, method: str, timeout: float) -> int:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def check_url(url: str, timeout: float = 10.0) -> Result:
    """Ask for one URL: HEAD first, GET when HEAD is refused or fails; never raises."""
    now = time.time()
    try:
        status = _ask(url, "HEAD", timeout)
        if status >= 400:
            status = _ask(url, "GET", timeout)
    except TimeoutError:
        return Result(url, False, "timed out", now)
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return Result(url, False, f"no answer ({reason})", now)
    return Result(url, status < 400, f"HTTP {status}", now)


def load_cache(path: Path) -> dict[str, Result]:
    """Results remembered by earlier runs; an unreadable cache is an empty one."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {
            url: Result(url, bool(r["ok"]), str(r["detail"]), float(r["checked"]))
            for url, r in raw.items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def save_cache(path: Path, results: dict[str, Result]) -> None:
    """Write results as JSON, sorted, so the file diffs cleanly if anyone looks."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        url: {"ok": r.ok, "detail": r.detail, "checked": r.checked}
        for url, r in sorted(results.items())
    }
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def check_urls(
    urls: Iterable[str],
    cache: dict[str, Result],
    days: float = 7.0,
    timeout: float = 10.0,
    workers: int = 8,
    now: float | None = None,
) -> dict[str, Result]:
    """Check each distinct web URL concurrently, reusing good cached results younger than `days`.

    Broken results are never reused: a site that was down yesterday is asked again.
    """
    now = time.time() if now is None else now
    wanted = sorted({url for url in urls if _checkable(url)})
    fresh = {
        url: cache[url]
        for url in wanted
        if url in cache and cache[url].ok and now - cache[url].checked < days * DAY
    }
    to_ask = [url for url in wanted if url not in fresh]
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        asked = dict(zip(to_ask, pool.map(lambda u: check_url(u, timeout), to_ask), strict=True))
    return {**fresh, **asked}


def _where(link: Link) -> str:
    return f"{page_path(link.source)}:{link.line}:{link.col}"


def main(argv: Sequence[str] | None = None) -> int:
    """List external links; with --check, check them and return 1 if any is broken."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="ask each web link's host")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs", help="the docs folder")
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache" / "links.json")
    parser.add_argument("--days", type=float, default=7.0, help="reuse good results this long")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per request")
    parser.add_argument("--workers", type=int, default=8, help="requests at once")
    args = parser.parse_args(argv)

    links = external_links(args.docs)
    if not args.check:
        for link in links:
            print(f"{_where(link)}: {link.target}")
        print(f"{len(links)} external links")
        return 0

    cache = load_cache(args.cache)
    results = check_urls(
        (link.target.strip() for link in links), cache, args.days, args.timeout, args.workers
    )
    save_cache(args.cache, {**cache, **results})
    broken = 0
    for link in links:
        result = results.get(link.target.strip())
        if result is not None and not result.ok:
            broken += 1
            print(f"{_where(link)}: broken external link '{link.target}': {result.detail}")
    print(f"{len(links)} external links, {broken} broken")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
