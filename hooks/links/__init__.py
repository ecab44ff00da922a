"""Cross-link checking: collect links with their places (collect), index every page's
anchors from its rendered HTML (index), and check one against the other (check)."""
