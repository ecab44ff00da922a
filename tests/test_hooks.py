"""The hook file itself: a fault in the hooks reaches the writer as one line, not a traceback."""

from __future__ import annotations

import logging

import pytest
from mkdocs.structure.files import File

from trees.site import TreeSite


def test_a_fault_in_the_hooks_names_the_page_and_stops_the_build(build_site, monkeypatch):
    def broken(self, markdown, page, line_offset=0, blocks=None):
        raise KeyError("nodes")

    monkeypatch.setattr(TreeSite, "read_page", broken)
    built = build_site({"index.md": "# Home\n"})
    assert not built.ok
    fault = (
        "the handbook's hooks failed while reading docs/index.md: KeyError: 'nodes'. This is a "
        "fault in hooks/, not in your page: run `mkdocs build --verbose` for the details and "
        "report them."
    )
    # MkDocs names the page it was reading, then prints the error itself: no traceback.
    assert built.messages == ["Error reading page 'index.md':", fault]


@pytest.mark.parametrize(
    "event",
    [
        *("on_startup", "on_config", "on_files", "on_page_read_source", "on_page_markdown"),
        "on_page_content",
        *("on_post_page", "on_post_template", "on_env"),
    ],
)
def test_every_event_handler_is_guarded(event):
    import handbook

    assert getattr(handbook, event).__wrapped__ is not None


def test_a_link_mkdocs_cannot_render_stops_the_build_with_its_place(build_site):
    # MkDocs itself raises on such a URL while rendering; the hooks stop first, with a message.
    built = build_site({"index.md": "# Home\n\nA [bad](http://[::1) link.\n"})
    assert not built.ok
    assert built.messages == [
        "Error reading page 'index.md':",
        "docs/index.md:3:9: broken link 'http://[::1': it is not a valid URL; check its "
        "brackets and slashes",
    ]


def test_each_page_file_is_read_once_per_build(build_site, monkeypatch):
    # The hooks read it for its text as written and hand that text to MkDocs.
    reads = []
    read = File.content_string.fget

    def counted(file):
        reads.append(file.src_uri)
        return read(file)

    monkeypatch.setattr(File, "content_string", property(counted, File.content_string.fset))
    built = build_site(
        {
            "index.md": "# Home\n\nSee [A](a.md).\n",
            "a.md": "---\ntitle: A\n---\n\n# A\n\nBack [home](index.md#home).\n",
        }
    )
    assert built.ok and built.messages == []
    assert sorted(reads) == ["a.md", "index.md"]


def test_a_page_that_is_not_utf8_gets_mkdocs_own_message(build_site, caplog):
    # The hooks leave a file they cannot read to MkDocs, which names it in its own words.
    with caplog.at_level(logging.ERROR, logger="mkdocs"), pytest.raises(UnicodeDecodeError):
        build_site({"index.md": "# Home\n", "bad.md": b"# Bad \xff\n"})
    assert "Encoding error reading file: bad.md" in caplog.messages
    assert not any("hooks failed" in message for message in caplog.messages)


def test_the_cycle_collector_is_paused_for_the_site_wide_work_and_runs_again_after():
    import gc

    import handbook

    assert gc.isenabled()
    with handbook._no_cycle_collection():
        assert not gc.isenabled()
        with handbook._cycle_collection():  # MkDocs rendering a page the cache lacks
            assert gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()  # paused by someone else: left so, inside and after
    try:
        with handbook._no_cycle_collection(), handbook._cycle_collection():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
