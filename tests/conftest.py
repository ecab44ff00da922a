"""Shared fixtures: whole-site builds with MkDocs' own build, and real Chromium on 127.0.0.1.

- `build_site(files, ...)` builds a tiny site that uses the handbook's real mkdocs.yml, hooks
  and theme overrides, strictly, into a temp folder, and returns what the build wrote and said.
- `handbook_site` builds the real handbook once per session.
- `serve(site_dir)` serves a built site on 127.0.0.1; `handbook_at_its_url` serves the real
  handbook built for that address; `page` is a Chromium page that fails the test on any
  request to another host.
"""

from __future__ import annotations

import functools
import http.server
import logging
import os
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
import mkdocs.theme
import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, MkDocsException

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "tests" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
# The suite runs inside GitHub Actions too: its builds of sites with deliberate mistakes must not
# annotate the pull request or write to the job summary (tests set these when they mean to).
for _variable in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "HANDBOOK_ANNOTATIONS"):
    os.environ.pop(_variable, None)


# ---------------------------------------------------------------- building sites


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept across the session's builds.

    Every MkDocs build makes a new Jinja environment and compiles Material's templates again
    (about 4 s of a tiny site's 5 s). The templates do not change during a test run, so the
    suite keeps their bytecode; the HTML written is the same.
    """

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


_bytecode = _MemoryBytecodeCache()
_get_env = mkdocs.theme.Theme.get_env


def _get_env_with_cache(self: mkdocs.theme.Theme) -> jinja2.Environment:
    env = _get_env(self)
    env.bytecode_cache = _bytecode
    return env


mkdocs.theme.Theme.get_env = _get_env_with_cache  # type: ignore[method-assign]


@dataclass
class Built:
    """What one build wrote and said."""

    site_dir: Path
    ok: bool  # False when the strict build aborted
    messages: list[str] = field(default_factory=list)  # WARNING and ERROR lines, as logged

    def html(self, page: str = "index.html") -> str:
        """The HTML written for `page` (a path under the site folder)."""
        return (self.site_dir / page).read_text(encoding="utf-8")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def tiny_config(docs_dir: Path, nav: str | None = None, extra: str = "") -> str:
    """The handbook's own mkdocs.yml, pointed at a temp docs folder, without its nav."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"(?ms)^nav:\n(?:[ \t-].*\n|\n)*", "", text)
    text = text.replace("- hooks/handbook.py", f"- {ROOT / 'hooks' / 'handbook.py'}")
    text = text.replace("custom_dir: theme_overrides", f"custom_dir: {ROOT / 'theme_overrides'}")
    text = text.replace("base_path: docs", f"base_path: {docs_dir}")
    text += f"\ndocs_dir: {docs_dir}\n"
    if nav is not None:
        text += f"nav:\n{nav}\n"
    return text + extra


def build_into(config_file: Path, site_dir: Path, strict: bool = True) -> Built:
    """Run MkDocs' own build on a config file and collect the warnings it logged."""
    collect = _Collect()
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(collect)
    ok = True
    try:
        config = load_config(str(config_file), strict=strict, site_dir=str(site_dir))
        build(config)
    except Abort:
        ok = False
    except MkDocsException as error:  # a PluginError or config error: the build stops
        collect.lines.append(str(error))
        ok = False
    finally:
        mkdocs_log.removeHandler(collect)
    return Built(site_dir=site_dir, ok=ok, messages=collect.lines)


@pytest.fixture
def build_site(tmp_path: Path) -> Callable[..., Built]:
    """Build a tiny site from {path under docs/: text} with the handbook's config and hooks."""

    def _build(
        files: dict[str, str | bytes],
        nav: str | None = None,
        extra: str = "",
        strict: bool = True,
    ) -> Built:
        docs = tmp_path / "docs"
        for name, content in files.items():
            target = docs / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        includes = docs / "includes" / "glossary-terms.md"
        if not includes.exists():
            includes.parent.mkdir(parents=True, exist_ok=True)
            includes.write_text("", encoding="utf-8")
        config_file = tmp_path / "mkdocs.yml"
        config_file.write_text(tiny_config(docs, nav, extra), encoding="utf-8")
        return build_into(config_file, tmp_path / "site", strict=strict)

    return _build


@pytest.fixture(scope="session")
def handbook_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The real handbook, built strictly once per test session."""
    site = tmp_path_factory.mktemp("handbook") / "site"
    cwd = os.getcwd()
    os.chdir(ROOT)  # relative paths in mkdocs.yml (snippets, hooks) are relative to the repo
    try:
        return build_into(ROOT / "mkdocs.yml", site)
    finally:
        os.chdir(cwd)


# ---------------------------------------------------------------- serving and browsing


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def serve() -> Iterator[Callable[[Path], str]]:
    """Serve a built site folder on 127.0.0.1; returns its base URL ending in '/'."""
    servers: dict[Path, http.server.ThreadingHTTPServer] = {}

    def _serve(site_dir: Path) -> str:
        if site_dir not in servers:
            handler = functools.partial(_QuietHandler, directory=str(site_dir))
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            servers[site_dir] = server
        return f"http://127.0.0.1:{servers[site_dir].server_address[1]}/"

    yield _serve
    for server in servers.values():
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def handbook_at_its_url(serve: Callable[[Path], str], tmp_path_factory) -> str:
    """The real handbook built for the address it is served at, as CI builds it for Pages.

    Material's instant navigation only intercepts links found in the sitemap, whose URLs come
    from site_url (port included); `handbook_site`'s default site_url names port 8000, which
    the test server does not use.
    """
    site_dir = tmp_path_factory.mktemp("at-its-url") / "site"
    base = serve(site_dir)  # the server reads files per request: they may come later
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HANDBOOK_SITE_URL", base)
        patch.chdir(ROOT)  # relative paths in mkdocs.yml are relative to the repository
        built = build_into(ROOT / "mkdocs.yml", site_dir)
    assert (site_dir / "sitemap.xml").is_file(), f"the handbook was not built: {built.messages}"
    return base


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless, driven by Playwright (never Playwright's own download)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run .ci/setup --test (it installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Guard:
    """Every request a page made to a host other than 127.0.0.1, and every script error."""

    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def open_page(browser: object, guard: Guard, **context_options: object) -> object:
    """A new page in a fresh context; requests to other hosts are recorded and refused."""
    context = browser.new_context(**context_options)  # type: ignore[attr-defined]

    def _route(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        host = urlsplit(url).hostname
        if url.startswith(("data:", "blob:", "about:")) or host == "127.0.0.1":
            route.continue_()  # type: ignore[attr-defined]
        else:
            guard.outside.append(url)
            route.abort()  # type: ignore[attr-defined]

    context.route("**/*", _route)
    page = context.new_page()
    page.on("pageerror", lambda error: guard.errors.append(str(error)))
    return page


@pytest.fixture
def guard() -> Guard:
    return Guard()


@pytest.fixture
def page(browser: object, guard: Guard) -> Iterator[object]:
    """A desktop-sized Chromium page; the test fails on any outside request or script error."""
    page = open_page(browser, guard, viewport={"width": 1280, "height": 900})
    yield page
    page.context.close()  # type: ignore[attr-defined]
    assert guard.outside == [], f"requests to other hosts: {guard.outside}"
    assert guard.errors == [], f"script errors: {guard.errors}"


def screenshot(page: object, name: str, full_page: bool = True) -> Path:
    """Save a screenshot under tests/screenshots/ for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)  # type: ignore[attr-defined]
    return path
