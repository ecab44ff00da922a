"""Decision trees: fences in pages (fences), YAML to model (parse), graph checks (check),
coordinates (layout) and HTML with an inline SVG flowchart (render)."""
