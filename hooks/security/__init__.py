"""Keeping the handbook internal: raw HTML in pages that would run code or call another host
(unsafe), and what every built page carries, its Content-Security-Policy and robots rules
(policy)."""
