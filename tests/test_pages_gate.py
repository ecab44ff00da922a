"""The publishing gate (.ci/pages_gate.py): publish only to a private Pages site, or on purpose.

`decide` is tested on GitHub's possible answers, one row each, with the whole line the job
prints; the script itself runs as CI runs it, against a stand-in for GitHub's API on
127.0.0.1.
"""

from __future__ import annotations

import http.server
import importlib.util
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

ROOT = Path(__file__).resolve().parent.parent
GATE = ROOT / ".ci" / "pages_gate.py"

_spec = importlib.util.spec_from_file_location("pages_gate", GATE)
assert _spec and _spec.loader
pages_gate = importlib.util.module_from_spec(_spec)
sys.modules["pages_gate"] = pages_gate  # a dataclass looks its module up there
_spec.loader.exec_module(pages_gate)

TO_DO = (
    "make the Pages site private (Settings > Pages > Visibility, on GitHub Enterprise Cloud), "
    "or publish the built site to an internal web server instead (README: Publishing "
    "privately); set the repository variable HANDBOOK_PUBLIC_OK to 'true' only if the "
    "handbook may be read by anyone"
)
PUBLIC = (
    "Refusing to publish: the GitHub Pages site of this repository is public, so anyone on "
    f"the internet could read the internal handbook. To publish, {TO_DO}."
)
NO_VISIBILITY = (
    "Refusing to publish: the GitHub Pages site of this repository is public (GitHub reports "
    "no visibility, which it does only where Pages cannot be private), so anyone on the "
    f"internet could read the internal handbook. To publish, {TO_DO}."
)
PRIVATE = "The Pages site is private (only people who can read the repository see it): publishing."
ON_PURPOSE = "HANDBOOK_PUBLIC_OK is 'true': publishing, whether the site is public or not."
# GitHub's answer for a Pages site built by Actions, as documented for the REST API.
SITE = {
    "url": "https://api.github.com/repos/customer-fit/handbook/pages",
    "status": "built",
    "cname": None,
    "custom_404": False,
    "html_url": "https://customer-fit.github.io/handbook/",
    "build_type": "workflow",
    "source": {"branch": "main", "path": "/"},
    "https_enforced": True,
}


@pytest.mark.parametrize(
    ("status", "body", "public_ok", "publish", "line"),
    [
        pytest.param(200, {**SITE, "public": False}, None, True, PRIVATE, id="private"),
        pytest.param(200, {**SITE, "public": True}, None, False, PUBLIC, id="public"),
        pytest.param(200, SITE, None, False, NO_VISIBILITY, id="no public field"),
        pytest.param(200, {**SITE, "public": True}, "true", True, ON_PURPOSE, id="on purpose"),
        pytest.param(200, SITE, "True", False, NO_VISIBILITY, id="only 'true' will do"),
        pytest.param(200, SITE, "", False, NO_VISIBILITY, id="variable not set"),
        pytest.param(
            404,
            {"message": "Not Found"},
            None,
            False,
            "Refusing to publish: this repository has no GitHub Pages site yet, so its "
            "visibility cannot be checked. Set Pages up with GitHub Actions as its source, "
            f"then {TO_DO}.",
            id="no pages site",
        ),
        pytest.param(
            403,
            {"message": "Resource not accessible by integration"},
            None,
            False,
            "Refusing to publish: GitHub answered 403 when asked whether the Pages site is "
            f"public, so it may be. Run the job again; if it keeps failing, {TO_DO}.",
            id="refused",
        ),
        pytest.param(
            200,
            "<html>maintenance</html>",
            None,
            False,
            "Refusing to publish: GitHub's answer about the Pages site is not the JSON object "
            "expected, so the site may be public. Run the job again; if it keeps failing, "
            f"{TO_DO}.",
            id="not json",
        ),
        pytest.param(
            200,
            [SITE],
            None,
            False,
            "Refusing to publish: GitHub's answer about the Pages site is not the JSON object "
            "expected, so the site may be public. Run the job again; if it keeps failing, "
            f"{TO_DO}.",
            id="not an object",
        ),
        pytest.param(
            0,
            "timed out",
            None,
            False,
            "Refusing to publish: GitHub could not be asked whether the Pages site is public "
            f"(timed out). Run the job again; if it keeps failing, {TO_DO}.",
            id="no answer",
        ),
    ],
)
def test_publishing_goes_on_only_for_a_private_site_or_on_purpose(
    status, body, public_ok, publish, line
):
    text = body if isinstance(body, str) else json.dumps(body)
    assert pages_gate.decide(status, text, public_ok) == pages_gate.Verdict(publish, line)


# ---------------------------------------------------------------- the script as CI runs it


class _FakeGitHub(http.server.BaseHTTPRequestHandler):
    answer: ClassVar[tuple[int, dict]] = (200, SITE)
    asked: ClassVar[list[tuple[str, str | None]]] = []

    def do_GET(self) -> None:
        type(self).asked.append((self.path, self.headers.get("Authorization")))
        status, body = self.answer
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def github() -> Iterator[type[_FakeGitHub]]:
    """A stand-in for GitHub's REST API on 127.0.0.1; set `answer`, read `asked`."""
    handler = type("FakeGitHub", (_FakeGitHub,), {"asked": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    handler.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield handler
    server.shutdown()
    server.server_close()


def run_gate(github: type[_FakeGitHub], **environment: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "GITHUB_API_URL": github.url,  # type: ignore[attr-defined]
        "GITHUB_REPOSITORY": "customer-fit/handbook",
        "GITHUB_TOKEN": "t0ken",
        **environment,
    }
    return subprocess.run(
        [sys.executable, str(GATE)], env=env, capture_output=True, text=True, check=False
    )


def test_a_public_site_fails_the_job_with_one_annotated_line(github):
    result = run_gate(github)
    assert result.returncode == 1
    assert result.stdout == f"::error title=Not published::{NO_VISIBILITY}\n"
    assert result.stderr == ""
    assert github.asked == [("/repos/customer-fit/handbook/pages", "Bearer t0ken")]


def test_a_private_site_lets_publishing_go_on(github):
    github.answer = (200, {**SITE, "public": False})
    result = run_gate(github)
    assert (result.returncode, result.stdout) == (0, f"{PRIVATE}\n")


def test_on_purpose_publishing_asks_github_nothing(github):
    result = run_gate(github, HANDBOOK_PUBLIC_OK="true")
    assert (result.returncode, result.stdout) == (0, f"{ON_PURPOSE}\n")
    assert github.asked == []
