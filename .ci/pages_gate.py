#!/usr/bin/env python3
"""Refuse to publish the handbook to a GitHub Pages site that anyone on the internet can read.

CI runs this before the deploy job publishes. It asks GitHub's REST API for the repository's
Pages site (GET /repos/{owner}/{repo}/pages) and lets publishing go on only when

- the site is private: the answer's `public` field is false (private Pages, a feature of
  GitHub Enterprise Cloud, shows the site only to people who can read the repository); or
- the repository variable HANDBOOK_PUBLIC_OK is `true`, set on purpose for a handbook that
  may be public.

Everything else fails closed: `public` true, `public` missing (GitHub sends it only where
Pages can be private, so without it the site is public), no Pages site, or no answer at all.
The job then fails with one line saying what to do. Only the standard library is used, so
the job needs no setup; the decision itself is `decide`, which the tests call directly.

Environment: GITHUB_REPOSITORY and GITHUB_API_URL (set by GitHub Actions), GITHUB_TOKEN (a
token that may read Pages), HANDBOOK_PUBLIC_OK.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass

PUBLIC_OK = "HANDBOOK_PUBLIC_OK"
WHAT_TO_DO = (
    "make the Pages site private (Settings > Pages > Visibility, on GitHub Enterprise Cloud), "
    "or publish the built site to an internal web server instead (README: Publishing "
    f"privately); set the repository variable {PUBLIC_OK} to 'true' only if the handbook "
    "may be read by anyone"
)


@dataclass(frozen=True)
class Verdict:
    """Whether publishing may go on, and the one line that says why."""

    publish: bool
    line: str


def decide(status: int, body: str, public_ok: str | None) -> Verdict:
    """The verdict for GitHub's answer (HTTP status and body) about the repository's Pages site."""
    if public_ok == "true":
        return Verdict(
            True, f"{PUBLIC_OK} is 'true': publishing, whether the site is public or not."
        )
    if status == 404:
        return Verdict(
            False,
            "Refusing to publish: this repository has no GitHub Pages site yet, so its "
            "visibility cannot be checked. Set Pages up with GitHub Actions as its source, "
            f"then {WHAT_TO_DO}.",
        )
    if status == 0:
        return Verdict(
            False,
            f"Refusing to publish: GitHub could not be asked whether the Pages site is public "
            f"({body}). Run the job again; if it keeps failing, {WHAT_TO_DO}.",
        )
    if status != 200:
        return Verdict(
            False,
            f"Refusing to publish: GitHub answered {status} when asked whether the Pages site "
            f"is public, so it may be. Run the job again; if it keeps failing, {WHAT_TO_DO}.",
        )
    try:
        site = json.loads(body)
    except ValueError:
        site = None
    if not isinstance(site, dict):
        return Verdict(
            False,
            "Refusing to publish: GitHub's answer about the Pages site is not the JSON object "
            "expected, so the site may be public. Run the job again; if it keeps failing, "
            f"{WHAT_TO_DO}.",
        )
    if site.get("public") is False:
        return Verdict(
            True,
            "The Pages site is private (only people who can read the repository see it): "
            "publishing.",
        )
    why = (
        "is public"
        if site.get("public") is True
        else "is public (GitHub reports no visibility, which it does only where Pages "
        "cannot be private)"
    )
    return Verdict(
        False,
        f"Refusing to publish: the GitHub Pages site of this repository {why}, so anyone on "
        f"the internet could read the internal handbook. To publish, {WHAT_TO_DO}.",
    )


def fetch_pages_site(api_url: str, repository: str, token: str) -> tuple[int, str]:
    """GitHub's HTTP status and body for GET /repos/{repository}/pages."""
    request = urllib.request.Request(
        f"{api_url.rstrip('/')}/repos/{repository}/pages",
        headers={
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {token}",
            "X-GitHub-Api-Version": "2022-11-28",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")
    except (urllib.error.URLError, TimeoutError) as error:
        return 0, str(error)


def main(environ: dict[str, str]) -> int:
    public_ok = environ.get(PUBLIC_OK)
    if public_ok == "true":  # no need to ask GitHub anything
        verdict = decide(0, "", public_ok)
    else:
        status, body = fetch_pages_site(
            environ.get("GITHUB_API_URL", "https://api.github.com"),
            environ.get("GITHUB_REPOSITORY", ""),
            environ.get("GITHUB_TOKEN", ""),
        )
        verdict = decide(status, body, public_ok)
    # An error line becomes an annotation on the run, where whoever merged will see it.
    print(verdict.line if verdict.publish else f"::error title=Not published::{verdict.line}")
    return 0 if verdict.publish else 1


if __name__ == "__main__":
    sys.exit(main(dict(os.environ)))
