"""Build messages under GitHub Actions: annotations on their lines and the job summary.

Whole-site tests build tiny sites strictly with `GITHUB_ACTIONS=true` and read what the build
printed (the workflow commands) and appended to `$GITHUB_STEP_SUMMARY`; the units pin the
escaping, the cap of ten annotations per level and the links to the branch.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import tiny_config

import github_actions
from github_actions import (
    BuildMessages,
    Message,
    annotations,
    escape_data,
    escape_property,
    located,
    markdown_text,
    source_links,
    summary,
    workflow_command,
)
from trees.site import TreeSite

BLOB = "https://github.com/acme/handbook/blob/fix/trees"
MORE = "the job summary lists every message"

# A page with two broken links and a tree whose last outcome has a verdict that does not exist.
TREE = (Path(__file__).parent / "data" / "first-call-tree.md").read_text(encoding="utf-8")
LINKS = "See [the guide](guide.md) and [the rules](other.md#rules).\n"
TREE_PAGE = f"# Home\n\n{LINKS}\n{TREE.replace('verdict: caution', 'verdict: goo')}"
OTHER_PAGE = "# Other\n\nBack to [the start](index.md).\n"
TREE_PAGE_ANNOTATIONS = [
    "::error file=docs/index.md,line=3,col=17,title=Link::broken link 'guide.md': no page "
    "'guide.md' (did you mean 'index.md'?)",
    "::error file=docs/index.md,line=3,col=43,title=Link::broken link 'other.md#rules': no "
    "anchor '#rules' on 'other.md'",
    "::error file=docs/index.md,line=23,col=14,title=nodes.ask.verdict::expected one of: "
    "go, caution, decline but received: 'goo' (did you mean 'go'?)",
]


@pytest.fixture
def github(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """GitHub Actions' variables for a pull request from branch fix/trees; the summary file."""
    summary_file = tmp_path / "step-summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary_file))
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/handbook")
    monkeypatch.setenv("GITHUB_HEAD_REF", "fix/trees")
    monkeypatch.setenv("GITHUB_REF_NAME", "7/merge")
    monkeypatch.setenv("GITHUB_SHA", "0123abc")
    monkeypatch.delenv("GITHUB_EVENT_PATH", raising=False)
    monkeypatch.delenv("HANDBOOK_ANNOTATIONS", raising=False)
    return summary_file


def our_handlers() -> list[logging.Handler]:
    return [h for h in logging.getLogger("mkdocs").handlers if isinstance(h, BuildMessages)]


# ---------------------------------------------------------------- whole builds


def test_a_strict_build_annotates_each_mistake_and_summarises_them(build_site, github, capsys):
    built = build_site({"index.md": TREE_PAGE, "other.md": OTHER_PAGE})
    assert not built.ok
    # The terminal says what it always said.
    assert built.messages == [
        "docs/index.md:23:14: nodes.ask.verdict: expected one of: go, caution, decline but "
        "received: 'goo' (did you mean 'go'?)",
        "docs/index.md:3:17: broken link 'guide.md': no page 'guide.md' (did you mean 'index.md'?)",
        "docs/index.md:3:43: broken link 'other.md#rules': no anchor '#rules' on 'other.md'",
    ]
    assert capsys.readouterr().out.splitlines() == TREE_PAGE_ANNOTATIONS
    assert github.read_text(encoding="utf-8") == (
        "## Build messages\n"
        "\n"
        "**The strict build fails** with 3 messages on 1 file. Fix each one at its place (the "
        "links open it on this branch).\n"
        "\n"
        f"### [docs/index.md]({BLOB}/docs/index.md)\n"
        "\n"
        f"- [3:17]({BLOB}/docs/index.md#L3): broken link 'guide.md': no page 'guide.md' (did "
        "you mean 'index.md'?)\n"
        f"- [3:43]({BLOB}/docs/index.md#L3): broken link 'other.md#rules': no anchor '#rules' "
        "on 'other.md'\n"
        f"- [23:14]({BLOB}/docs/index.md#L23): nodes.ask.verdict: expected one of: go, "
        "caution, decline but received: 'goo' (did you mean 'go'?)\n"
    )
    assert our_handlers() == []  # the next build starts afresh


def test_the_command_line_build_prints_annotations_beside_its_own_output(tmp_path, github):
    # As CI runs it: MkDocs' own lines go to stderr as always, the workflow commands to stdout,
    # and the summary is written although the strict build aborts after the last event.
    docs = tmp_path / "docs"
    (docs / "includes").mkdir(parents=True)
    (docs / "includes" / "glossary-terms.md").write_text("", encoding="utf-8")
    (docs / "index.md").write_text(TREE_PAGE, encoding="utf-8")
    (docs / "other.md").write_text(OTHER_PAGE, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(tiny_config(docs), encoding="utf-8")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        *TREE_PAGE_ANNOTATIONS,
        "",
        "Aborted with 3 warnings in strict mode!",
    ]
    assert [line for line in result.stderr.splitlines() if line.startswith("WARNING")] == [
        "WARNING -  docs/index.md:23:14: nodes.ask.verdict: expected one of: go, caution, "
        "decline but received: 'goo' (did you mean 'go'?)",
        "WARNING -  docs/index.md:3:17: broken link 'guide.md': no page 'guide.md' (did you "
        "mean 'index.md'?)",
        "WARNING -  docs/index.md:3:43: broken link 'other.md#rules': no anchor '#rules' on "
        "'other.md'",
    ]
    assert "::" not in result.stderr
    assert github.read_text(encoding="utf-8").startswith(
        "## Build messages\n\n**The strict build fails** with 3 messages on 1 file."
    )


def test_a_clean_build_says_so_in_one_line(build_site, github, capsys):
    built = build_site({"index.md": "# Home\n\nNothing to fix.\n"})
    assert built.ok
    assert capsys.readouterr().out == ""
    assert github.read_text(encoding="utf-8") == (
        "**Build messages:** none. The handbook builds cleanly.\n"
    )


def test_without_github_actions_nothing_changes(build_site, github, monkeypatch, capsys):
    monkeypatch.delenv("GITHUB_ACTIONS")
    built = build_site({"index.md": TREE_PAGE, "other.md": OTHER_PAGE})
    assert not built.ok
    assert len(built.messages) == 3
    assert capsys.readouterr().out == ""
    assert not github.exists()
    assert our_handlers() == []


def test_a_step_that_says_annotations_are_off_gets_none(build_site, github, monkeypatch, capsys):
    # The full test job builds again after the quick check annotated: once is enough.
    monkeypatch.setenv("HANDBOOK_ANNOTATIONS", "off")
    build_site({"index.md": TREE_PAGE, "other.md": OTHER_PAGE})
    assert capsys.readouterr().out == ""
    assert not github.exists()


def test_ten_annotations_at_most_and_the_tenth_says_how_many_more(build_site, github, capsys):
    links = "\n\n".join(f"[Page {n}](missing-{n:02}.md)" for n in range(1, 13))
    build_site({"index.md": f"# Home\n\n{links}\n"})
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 10
    assert lines[0] == (
        "::error file=docs/index.md,line=3,col=10,title=Link::broken link 'missing-01.md': no "
        "page 'missing-01.md'"
    )
    assert lines[9] == (
        "::error file=docs/index.md,line=21,col=11,title=Link::broken link 'missing-10.md': no "
        f"page 'missing-10.md' (and 2 more errors: {MORE})"
    )
    # The summary keeps every one of them.
    written = github.read_text(encoding="utf-8")
    assert "**The strict build fails** with 12 messages on 1 file." in written
    assert written.count("\n- [") == 12
    assert f"- [25:11]({BLOB}/docs/index.md#L25): broken link 'missing-12.md'" in written


def test_a_build_that_stops_still_writes_its_summary(build_site, github, capsys):
    built = build_site({"index.md": "# Home\n\nA [bad](http://[::1) link.\n"})
    assert not built.ok
    assert capsys.readouterr().out.splitlines() == [
        "::error file=docs/index.md,line=3,col=9,title=Handbook::broken link 'http://[::1': "
        "it is not a valid URL; check its brackets and slashes"
    ]
    assert github.read_text(encoding="utf-8") == (
        "## Build messages\n"
        "\n"
        "**The build stopped** with 1 message on 1 file: the site was not built. Fix each one "
        "at its place (the links open it on this branch).\n"
        "\n"
        f"### [docs/index.md]({BLOB}/docs/index.md)\n"
        "\n"
        f"- [3:9]({BLOB}/docs/index.md#L3): broken link 'http://\\[::1': it is not a valid "
        "URL; check its brackets and slashes\n"
    )
    assert our_handlers() == []


def test_a_fault_in_the_hooks_is_summarised_on_its_page(build_site, github, monkeypatch, capsys):
    def broken(self, *args, **kwargs):
        raise KeyError("nodes")

    monkeypatch.setattr(TreeSite, "read_page", broken)
    build_site({"index.md": "# Home\n"})
    fault = (
        "the handbook's hooks failed while reading docs/index.md: KeyError: 'nodes'. This is a "
        "fault in hooks/, not in your page: run `mkdocs build --verbose` for the details and "
        "report them."
    )
    assert capsys.readouterr().out.splitlines() == [
        f"::error file=docs/index.md,title=MkDocs::{fault}"
    ]
    assert github.read_text(encoding="utf-8").endswith(
        f"### [docs/index.md]({BLOB}/docs/index.md)\n\n- {markdown_text(fault)}\n"
    )


def test_mkdocs_own_warnings_are_annotated_too(build_site, github, capsys):
    built = build_site({"index.md": "# Home\n", "README.md": "# Read me\n"})
    warning = "Excluding 'README.md' from the site because it conflicts with 'index.md'."
    assert built.messages == [warning]
    assert capsys.readouterr().out.splitlines() == [f"::error title=MkDocs::{warning}"]
    assert github.read_text(encoding="utf-8") == (
        "## Build messages\n"
        "\n"
        "**The strict build fails** with 1 message. Fix each one at its place (the links open "
        "it on this branch).\n"
        "\n"
        "### Not in a file\n"
        "\n"
        f"- {warning}\n"
    )


# ---------------------------------------------------------------- workflow commands


@pytest.mark.parametrize(
    ("text", "data", "property_"),
    [
        ("100% sure", "100%25 sure", "100%25 sure"),
        ("line one\nline two", "line one%0Aline two", "line one%0Aline two"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("docs/a,b.md", "docs/a,b.md", "docs/a%2Cb.md"),
        ("key: value", "key: value", "key%3A value"),
        ("%0A is not a line break", "%250A is not a line break", "%250A is not a line break"),
        ("::error::nested", "::error::nested", "%3A%3Aerror%3A%3Anested"),
    ],
)
def test_workflow_command_escaping(text, data, property_):
    assert escape_data(text) == data
    assert escape_property(text) == property_


def test_a_message_with_every_awkward_character_makes_one_command():
    message = Message("error", "docs/a, b:c%.md", 4, 2, "50% done:\nnext, then", "k:v,w")
    assert workflow_command(message) == (
        "::error file=docs/a%2C b%3Ac%25.md,line=4,col=2,title=k%3Av%2Cw::50%25 done:%0Anext, then"
    )


def test_a_message_without_a_place_names_no_file():
    message = Message("warning", "", 0, 0, "Something odd", origin="MkDocs")
    assert workflow_command(message) == "::warning title=MkDocs::Something odd"


def _errors(count: int, level: str = "error", path: str = "docs/a.md") -> list[Message]:
    return [Message(level, path, line, 1, f"mistake {line}") for line in range(1, count + 1)]


TENTH = "::error file=docs/a.md,line=10,col=1,title=MkDocs::mistake 10"


@pytest.mark.parametrize(
    ("count", "tenth"),
    [
        (10, TENTH),
        (
            11,
            f"{TENTH} (and 1 more error: {MORE})",
        ),
        (
            25,
            f"{TENTH} (and 15 more errors: {MORE})",
        ),
    ],
)
def test_ten_annotations_per_level(count, tenth):
    lines = annotations(_errors(count))
    assert len(lines) == 10
    assert lines[9] == tenth


def test_each_level_has_its_own_ten_in_page_order():
    warnings = _errors(12, "warning", "docs/b.md")
    lines = annotations([*warnings, *_errors(3, path="docs/c.md")])
    assert [line.split(",")[0] for line in lines] == [
        *["::warning file=docs/b.md"] * 10,
        *["::error file=docs/c.md"] * 3,
    ]
    assert lines[9].endswith(f"mistake 10 (and 2 more warnings: {MORE})")


def test_a_message_logged_twice_is_annotated_and_summarised_once():
    message = Message("error", "docs/a.md", 3, 1, "twice")
    assert annotations([message, message]) == [
        "::error file=docs/a.md,line=3,col=1,title=MkDocs::twice"
    ]
    assert summary([message, message], "failed").count("twice") == 1


def test_page_order_is_by_file_line_and_column_and_placeless_last():
    messages = [
        Message("error", "", 0, 0, "no place"),
        Message("error", "docs/b.md", 1, 1, "b"),
        Message("error", "docs/a.md", 9, 2, "a9"),
        Message("error", "docs/a.md", 10, 1, "a10"),
        Message("error", "mkdocs.yml", 3, 5, "nav"),
    ]
    assert [m.text for m in github_actions.page_order(messages)] == [
        "a9",
        "a10",
        "b",
        "nav",
        "no place",
    ]


# ---------------------------------------------------------------- reading MkDocs' messages


@pytest.mark.parametrize(
    ("text", "page", "expected"),
    [
        (
            "docs/a.md:3:9: broken link 'x'",
            "",
            [Message("error", "docs/a.md", 3, 9, "broken link 'x'", origin="Handbook")],
        ),
        (
            "docs/a.md:3:9: one\nmkdocs.yml:40:5: two",
            "a.md",
            [
                Message("error", "docs/a.md", 3, 9, "one", origin="Handbook"),
                Message("error", "mkdocs.yml", 40, 5, "two", origin="Handbook"),
            ],
        ),
        (
            "Doc file 'fit/a.md' contains a link 'b.md', but the target is not found.",
            "",
            [
                Message(
                    "error",
                    "docs/fit/a.md",
                    0,
                    0,
                    "Doc file 'fit/a.md' contains a link 'b.md', but the target is not found.",
                )
            ],
        ),
        ("Template error", "fit/a.md", [Message("error", "docs/fit/a.md", 0, 0, "Template error")]),
        ("Snippet missing", "", [Message("error", "", 0, 0, "Snippet missing")]),
    ],
)
def test_messages_from_plain_text_keep_the_place_they_name(text, page, expected):
    assert located(text, "error", page) == expected


def test_mkdocs_naming_the_page_it_stopped_on_is_not_a_message_of_its_own():
    handler = BuildMessages(strict=True, environ={})
    logger = logging.getLogger("mkdocs.test-github-actions")
    logger.addHandler(handler)
    try:
        logger.error("Error reading page 'fit/a.md':")
        logger.error("Error building page 'fit/b.md': 'x' is undefined")
        logger.info("Building documentation")
    finally:
        logger.removeHandler(handler)
    handler.stop(RuntimeError("the template broke"), is_build_error=True)
    assert handler.messages == [
        Message("error", "docs/fit/b.md", 0, 0, "'x' is undefined"),
        Message("error", "docs/fit/a.md", 0, 0, "the template broke"),
    ]


def test_an_error_mkdocs_never_logged_is_still_reported():
    handler = BuildMessages(strict=True, environ={})
    handler.stop(RuntimeError("a plugin broke"), is_build_error=False)
    assert handler.messages == [Message("error", "", 0, 0, "RuntimeError: a plugin broke")]


def test_an_error_mkdocs_logged_with_its_page_is_reported_once():
    handler = BuildMessages(strict=True, environ={})
    record = {"levelno": logging.ERROR, "msg": "Error reading page 'a.md': boom"}
    handler.handle(logging.makeLogRecord(record))
    handler.stop(RuntimeError("boom"), is_build_error=False)
    assert handler.messages == [Message("error", "docs/a.md", 0, 0, "boom")]


def test_a_summary_that_cannot_be_written_is_a_warning_not_a_failure(tmp_path, capsys):
    handler = BuildMessages(strict=True, environ={"GITHUB_STEP_SUMMARY": str(tmp_path)})
    handler.finish("passed")
    assert capsys.readouterr().out == (
        f"::warning title=Job summary::cannot write {tmp_path}: Is a directory\n"
    )


def test_warnings_of_a_build_that_is_not_strict_stay_warnings():
    handler = BuildMessages(strict=False, environ={})
    handler.handle(logging.makeLogRecord({"levelno": logging.WARNING, "msg": "odd"}))
    handler.handle(logging.makeLogRecord({"levelno": logging.ERROR, "msg": "bad"}))
    assert [m.level for m in handler.messages] == ["warning", "error"]


# ---------------------------------------------------------------- the summary


def test_the_summary_shows_markup_in_messages_as_typed():
    assert markdown_text("a <script> *b* _c_ [d](e) `f` | g & h ~i~ \\j") == (
        "a \\<script\\> \\*b\\* \\_c\\_ \\[d\\](e) \\`f\\` \\| g \\& h \\~i\\~ \\\\j"
    )
    assert markdown_text("one\ntwo") == "one<br>two"


def test_a_passed_build_with_warnings_says_a_strict_build_would_fail():
    messages = [Message("warning", "docs/a.md", 2, 0, "odd")]
    assert summary(messages, "passed") == (
        "## Build messages\n"
        "\n"
        "**The build passed** with 1 message on 1 file; a strict build would fail. Fix each "
        "one at its place.\n"
        "\n"
        "### docs/a.md\n"
        "\n"
        "- 2: (warning) odd\n"
    )


@pytest.mark.parametrize(
    ("environ", "url"),
    [
        (
            {"GITHUB_HEAD_REF": "fix/trees", "GITHUB_REF_NAME": "7/merge"},
            "https://github.com/acme/handbook/blob/fix/trees/docs/a%20b.md#L4",
        ),
        (
            {"GITHUB_HEAD_REF": "", "GITHUB_REF_NAME": "main", "GITHUB_SHA": "0123abc"},
            "https://github.com/acme/handbook/blob/main/docs/a%20b.md#L4",
        ),
        (
            {"GITHUB_SHA": "0123abc"},
            "https://github.com/acme/handbook/blob/0123abc/docs/a%20b.md#L4",
        ),
    ],
)
def test_links_go_to_the_branch_being_built(environ, url):
    link = source_links(
        {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/handbook"} | environ
    )
    assert link is not None
    assert link("docs/a b.md", 4) == url


def test_links_of_a_pull_request_from_a_fork_go_to_the_fork(tmp_path):
    event = tmp_path / "event.json"
    event.write_text(
        json.dumps({"pull_request": {"head": {"repo": {"full_name": "writer/handbook"}}}}),
        encoding="utf-8",
    )
    link = source_links(
        {
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_REPOSITORY": "acme/handbook",
            "GITHUB_HEAD_REF": "patch-1",
            "GITHUB_EVENT_PATH": str(event),
        }
    )
    assert link is not None
    assert link("docs/a.md", 0) == "https://github.com/writer/handbook/blob/patch-1/docs/a.md"


def test_no_links_without_the_repository():
    assert source_links({"GITHUB_SHA": "0123abc"}) is None
