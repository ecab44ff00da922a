"""The hook file itself: a fault in the hooks reaches the writer as one line, not a traceback."""

from __future__ import annotations

import pytest

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
        *("on_startup", "on_config", "on_files", "on_page_markdown", "on_page_content"),
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
