"""The real handbook builds strictly, and tiny sites build with the handbook's config."""

from __future__ import annotations


def test_handbook_builds_strictly(handbook_site):
    assert handbook_site.messages == []
    assert handbook_site.ok
    assert (handbook_site.site_dir / "index.html").is_file()


def test_tiny_site_builds_with_the_handbook_config(build_site):
    built = build_site({"index.md": "# Hello\n\nA tiny page.\n"})
    assert built.messages == []
    assert built.ok
    assert "A tiny page." in built.html()
