"""The opt-in external link check, against a local server on 127.0.0.1 only."""

from __future__ import annotations

import http.server
import json
import threading
import time
from typing import ClassVar

import pytest

from links.external import (
    DAY,
    Result,
    check_url,
    check_urls,
    external_links,
    load_cache,
    main,
    save_cache,
)
from links.model import Link


class _Handler(http.server.BaseHTTPRequestHandler):
    """/ok answers both methods, /get-only refuses HEAD, /gone is 404, /slow never answers."""

    asked: ClassVar[list[str]] = []

    def _answer(self) -> None:
        self.asked.append(f"{self.command} {self.path}")
        if self.path == "/slow":
            time.sleep(2)
        if self.path == "/ok" or (self.path == "/get-only" and self.command == "GET"):
            status = 200
        elif self.path == "/get-only":
            status = 405
        else:
            status = 404
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = _answer
    do_GET = _answer

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server(monkeypatch):
    """A local server; proxies are cleared so requests go straight to 127.0.0.1."""
    for name in (
        "http_proxy",
        "https_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    _Handler.asked = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize(
    ("path", "ok", "detail", "asked"),
    [
        pytest.param("/ok", True, "HTTP 200", ["HEAD /ok"], id="head is enough"),
        pytest.param(
            "/get-only", True, "HTTP 200", ["HEAD /get-only", "GET /get-only"], id="get fallback"
        ),
        pytest.param("/gone", False, "HTTP 404", ["HEAD /gone", "GET /gone"], id="not found"),
    ],
)
def test_check_url(server, path, ok, detail, asked):
    result = check_url(server + path, timeout=5)
    assert (result.ok, result.detail) == (ok, detail)
    assert _Handler.asked == asked


def test_check_url_times_out(server):
    result = check_url(server + "/slow", timeout=0.3)
    assert (result.ok, result.detail) == (False, "timed out")


def test_check_url_without_an_answer():
    result = check_url("http://127.0.0.1:9/", timeout=2)  # the discard port: nothing listens
    assert not result.ok
    assert result.detail.startswith("no answer (")


def test_good_results_are_reused_until_stale_and_broken_ones_are_asked_again(server):
    now = 1_000_000.0
    cache = {
        server + "/ok": Result(server + "/ok", True, "HTTP 200", now - 2 * DAY),
        server + "/gone": Result(server + "/gone", False, "HTTP 404", now - 60),
        server + "/get-only": Result(server + "/get-only", True, "HTTP 200", now - 9 * DAY),
    }
    urls = [server + "/ok", server + "/gone", server + "/get-only", "mailto:a@b.example"]
    results = check_urls(urls, cache, days=7, timeout=5, workers=4, now=now)
    assert sorted(results) == sorted(urls[:3])
    assert results[server + "/ok"] is cache[server + "/ok"]
    assert sorted(_Handler.asked) == ["GET /get-only", "GET /gone", "HEAD /get-only", "HEAD /gone"]


def test_cache_round_trip_and_unreadable_cache(tmp_path):
    path = tmp_path / ".cache" / "links.json"
    results = {"https://a.example/": Result("https://a.example/", True, "HTTP 200", 5.0)}
    save_cache(path, results)
    assert load_cache(path) == results
    path.write_text("{not json", encoding="utf-8")
    assert load_cache(path) == {}
    assert load_cache(tmp_path / "missing.json") == {}


def test_command_lists_then_checks_and_fails_on_broken_links(server, tmp_path, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text(
        f"# Home\n\n[ok]({server}/ok) and <{server}/gone>\n\n`[code]({server}/x)`\n"
        "[mail](mailto:a@b.example) [page](other.md)\n",
        encoding="utf-8",
    )
    cache = tmp_path / "links.json"
    assert main(["--docs", str(docs), "--cache", str(cache)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"docs/index.md:3:6: {server}/ok",
        f"docs/index.md:3:{len(server) + 16}: {server}/gone",
        "docs/index.md:6:8: mailto:a@b.example",
        "3 external links",
    ]
    assert main(["--docs", str(docs), "--cache", str(cache), "--check"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"docs/index.md:3:{len(server) + 16}: broken external link '{server}/gone': HTTP 404",
        "3 external links, 1 broken",
    ]
    assert sorted(json.loads(cache.read_text(encoding="utf-8"))) == [
        f"{server}/gone",
        f"{server}/ok",
    ]


def test_links_in_trees_are_listed_and_examples_of_trees_are_not(tmp_path):
    (tmp_path / "take-on.md").write_text(
        "# Take on\n\n"
        "```decision-tree\nid: t\nnodes:\n  a:\n    help: |\n      See <https://a.example/>.\n```\n\n"
        "````markdown\n```decision-tree\nhelp: <https://shown.example/>\n```\n````\n",
        encoding="utf-8",
    )
    assert external_links(tmp_path) == [Link("take-on.md", 8, 12, "https://a.example/", "autolink")]
