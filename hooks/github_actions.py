"""Build messages where GitHub shows them: annotations in a pull request and a job summary.

Under GitHub Actions (``GITHUB_ACTIONS=true``) the hook file attaches a `BuildMessages`
handler to MkDocs' logger for one build. It keeps every warning and error, the handbook's own
and MkDocs', with the file, line and column they name. When the build ends, or stops, it
prints the first ten of each level as workflow commands in page order (GitHub shows no more
than ten of each level per step, so the tenth says how many more there are), and appends every
message, grouped by page and linked to its line on the branch, to ``$GITHUB_STEP_SUMMARY``.
What MkDocs prints itself is left exactly as it is. Nothing here knows about pages or trees:
the hook file hands over `Problem`s and MkDocs' log records.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from problems import Problem

CAP = 10  # annotations of one level that GitHub shows for one step

# "docs/fit/a.md:3:5: what is wrong": how every message of the handbook's hooks begins, also
# when it reaches the log as plain text (the lines of an error that stopped the build).
_PLACE = re.compile(r"(?P<path>[^\s:][^:\n]*):(?P<line>\d+):(?P<col>\d+): (?P<text>.+)", re.S)
# MkDocs names the page, never the line: "Doc file 'a.md' contains a link ...".
_DOC_FILE = re.compile(r"Doc file '(?P<page>[^']+)'")
# MkDocs logs this just before the error that stopped it, which says the rest.
_STOPPED_AT = re.compile(
    r"Error (?:reading|building) page '(?P<page>[^']+)':(?: (?P<text>.+))?", re.S
)


@dataclass(frozen=True)
class Message:
    """One build message: where (empty path, line 0 when it names none), what, and its level."""

    level: str  # "error" (fails the build) or "warning"
    path: str  # "docs/fit/a.md" or "mkdocs.yml", as the writer knows the file
    line: int
    col: int
    text: str  # what is wrong and what to do, without the place
    key: str = ""  # where inside a tree: "nodes.core.answers[1].next"
    origin: str = "MkDocs"  # what found it: the annotation's title when there is no key

    @property
    def title(self) -> str:
        return self.key or self.origin

    @property
    def detail(self) -> str:
        """The message as the terminal shows it after the place: key, then text."""
        return f"{self.key}: {self.text}" if self.key else self.text


def page_order(messages: Iterable[Message]) -> list[Message]:
    """Messages by file, line and column; those that name no file last, in the order said."""
    return sorted(messages, key=lambda m: (not m.path, m.path, m.line, m.col))


def located(text: str, level: str, page: str = "") -> list[Message]:
    """Messages from plain text: one per line when every line names its place, else one.

    Only the handbook's checks name places so; anything else is MkDocs' own. `page` (a path
    under docs/) is where the build stood when it stopped, used when the text names none.
    """
    lines = [line for line in text.splitlines() if line.strip()]
    places = [_PLACE.fullmatch(line) for line in lines]
    if lines and all(places):
        return [
            Message(level, p["path"], int(p["line"]), int(p["col"]), p["text"], origin="Handbook")
            for p in places
            if p is not None
        ]
    doc_file = _DOC_FILE.match(text)
    path = f"docs/{doc_file['page']}" if doc_file else f"docs/{page}" if page else ""
    return [Message(level, path, 0, 0, text.strip())]


# ---------------------------------------------------------------- workflow commands


def escape_data(text: str) -> str:
    """Text after ``::`` in a workflow command, as GitHub's runner unescapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (``file=``, ``title=``): also its ``:`` and ``,`` separators."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(message: Message, text: str | None = None) -> str:
    """``::error file=…,line=…,col=…,title=…::text`` for one message."""
    properties = []
    if message.path:
        properties.append(f"file={escape_property(message.path)}")
        if message.line:
            properties.append(f"line={message.line}")
            if message.col:
                properties.append(f"col={message.col}")
    properties.append(f"title={escape_property(message.title)}")
    body = escape_data(message.text if text is None else text)
    return f"::{message.level} {','.join(properties)}::{body}"


def annotations(messages: Iterable[Message], cap: int = CAP) -> list[str]:
    """The first `cap` messages of each level in page order as workflow commands.

    GitHub drops what comes after the tenth of a level, so the last one shown says how many
    more there are and where they are.
    """
    ordered = list(dict.fromkeys(page_order(messages)))  # a message logged twice shows once
    totals: dict[str, int] = {}
    for message in ordered:
        totals[message.level] = totals.get(message.level, 0) + 1
    shown: dict[str, int] = {}
    lines = []
    for message in ordered:
        count = shown[message.level] = shown.get(message.level, 0) + 1
        if count > cap:
            continue
        text = message.text
        more = totals[message.level] - cap
        if count == cap and more > 0:
            noun = message.level if more == 1 else f"{message.level}s"
            text += f" (and {more} more {noun}: the job summary lists every message)"
        lines.append(workflow_command(message, text))
    return lines


# ---------------------------------------------------------------- the job summary

# Backslash escapes for what Markdown would read as markup; `&` so no entity is decoded.
_MARKDOWN = re.compile(r"([\\`*_\[\]<>|~&])")


def markdown_text(text: str) -> str:
    """Text shown as typed in a Markdown line: markup escaped, line breaks kept as <br>."""
    return "<br>".join(_MARKDOWN.sub(r"\\\1", line) for line in text.splitlines())


def source_links(environ: Mapping[str, str]) -> Callable[[str, int], str] | None:
    """A function giving the URL of a file's line on the branch being built, or None.

    A pull request's branch (``GITHUB_HEAD_REF``, in the fork it comes from when it does),
    else the pushed branch or tag, else the commit.
    """
    server, repository = environ.get("GITHUB_SERVER_URL"), environ.get("GITHUB_REPOSITORY")
    ref = (
        environ.get("GITHUB_HEAD_REF")
        or environ.get("GITHUB_REF_NAME")
        or environ.get("GITHUB_SHA")
    )
    if not (server and repository and ref):
        return None
    if environ.get("GITHUB_HEAD_REF"):
        repository = _head_repository(environ.get("GITHUB_EVENT_PATH", "")) or repository
    base = f"{server.rstrip('/')}/{repository}/blob/{quote(ref, safe='/')}/"

    def link(path: str, line: int = 0) -> str:
        return base + quote(path) + (f"#L{line}" if line else "")

    return link


def _head_repository(event_path: str) -> str | None:
    """The repository a pull request's branch lives in (a fork's), from the event's payload."""
    try:
        event = json.loads(Path(event_path).read_text(encoding="utf-8"))
        return event["pull_request"]["head"]["repo"]["full_name"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def summary(
    messages: Iterable[Message],
    outcome: str,
    link: Callable[[str, int], str] | None = None,
) -> str:
    """The job summary in Markdown: every message grouped by page, each linked to its line.

    `outcome` is "passed", "failed" (the strict build fails on its warnings) or "stopped"
    (the build stopped on an error). A build without a message says so in one line.
    """
    ordered = list(dict.fromkeys(page_order(messages)))
    if not ordered and outcome != "stopped":
        return "**Build messages:** none. The handbook builds cleanly.\n"
    pages = list(dict.fromkeys(message.path for message in ordered))
    named = [page for page in pages if page]
    counted = _count(len(ordered), "message") + (
        f" on {_count(len(named), 'file')}" if named else ""
    )
    if outcome == "stopped":
        verdict = f"**The build stopped** with {counted}: the site was not built."
    elif outcome == "failed":
        verdict = f"**The strict build fails** with {counted}."
    else:
        verdict = f"**The build passed** with {counted}; a strict build would fail."
    how = " (the links open it on this branch)" if link else ""
    lines = ["## Build messages", "", f"{verdict} Fix each one at its place{how}.", ""]
    for page in pages:
        heading = markdown_text(page) if page else "Not in a file"
        if page and link:
            heading = f"[{heading}]({link(page, 0)})"
        lines += [f"### {heading}", ""]
        lines += [_summary_line(m, link) for m in ordered if m.path == page]
        lines.append("")
    return "\n".join(lines)


def _summary_line(message: Message, link: Callable[[str, int], str] | None) -> str:
    where = f"{message.line}:{message.col}" if message.col else f"{message.line}"
    text = markdown_text(message.detail)
    if message.level == "warning":
        text = f"(warning) {text}"
    if not message.line:
        return f"- {text}"
    place = f"[{where}]({link(message.path, message.line)})" if link else where
    return f"- {place}: {text}"


# ---------------------------------------------------------------- one build's handler


class BuildMessages(logging.Handler):
    """Gathers one build's warnings and errors from MkDocs' logger; `finish` reports them.

    `strict` builds fail on warnings, so their warnings are annotated as errors.
    """

    def __init__(self, strict: bool, environ: Mapping[str, str]) -> None:
        super().__init__(level=logging.WARNING)
        self.strict = strict
        self.environ = environ
        self.messages: list[Message] = []
        self.stopped_at = ""  # the page MkDocs named just before the error that stopped it
        self.error_logged = False  # MkDocs logged the error that stopped it, with its page
        self.finished = False

    def _level(self, levelno: int) -> str:
        return "error" if self.strict or levelno >= logging.ERROR else "warning"

    def emit(self, record: logging.LogRecord) -> None:
        level = self._level(record.levelno)
        problem = getattr(record, "problem", None)
        if isinstance(problem, Problem):
            origin = getattr(record, "origin", "MkDocs")
            place = (problem.path, problem.line, problem.col)
            self.messages.append(Message(level, *place, problem.message, problem.key, origin))
            return
        text = record.getMessage()
        stopped = _STOPPED_AT.fullmatch(text)
        if stopped and not stopped["text"]:
            self.stopped_at = stopped["page"]  # the error itself follows: it says the rest
            return
        if stopped:
            self.error_logged = True
            self.messages.extend(located(stopped["text"], level, stopped["page"]))
            return
        self.messages.extend(located(text, level))

    def stop(self, error: BaseException, is_build_error: bool) -> None:
        """The build stopped on `error`, which MkDocs logs only after its plugins heard of it
        (a build error) or with the page it was reading (any other error), if at all."""
        if is_build_error:
            self.messages.extend(located(str(error), "error", self.stopped_at))
        elif not self.error_logged:
            text = f"{type(error).__name__}: {error}"
            self.messages.extend(located(text, "error", self.stopped_at))

    def finish(self, outcome: str) -> None:
        """Print the annotations and append the whole summary to the job summary, once."""
        if self.finished:
            return
        self.finished = True
        for line in annotations(self.messages):
            print(line)
        summary_file = self.environ.get("GITHUB_STEP_SUMMARY")
        if summary_file:
            text = summary(self.messages, outcome, source_links(self.environ))
            try:
                with open(summary_file, "a", encoding="utf-8") as file:
                    file.write(text)
            except OSError as error:  # the step's own setup, not the handbook: say so, go on
                warning = f"cannot write {summary_file}: {error.strerror}"
                print(f"::warning title=Job summary::{escape_data(warning)}")
        sys.stdout.flush()


def wanted(environ: Mapping[str, str]) -> bool:
    """Annotate under GitHub Actions, unless ``HANDBOOK_ANNOTATIONS=off`` says another step
    of the workflow already does."""
    return environ.get("GITHUB_ACTIONS") == "true" and environ.get("HANDBOOK_ANNOTATIONS") != "off"


def attach(strict: bool, environ: Mapping[str, str]) -> BuildMessages | None:
    """A fresh handler on MkDocs' logger for one build, replacing any left by an earlier one."""
    logger = logging.getLogger("mkdocs")
    for handler in list(logger.handlers):
        if isinstance(handler, BuildMessages):
            logger.removeHandler(handler)
    if not wanted(environ):
        return None
    handler = BuildMessages(strict, environ)
    logger.addHandler(handler)
    return handler


def detach(handler: BuildMessages | None) -> None:
    """Take the handler off MkDocs' logger."""
    if handler is not None:
        logging.getLogger("mkdocs").removeHandler(handler)
