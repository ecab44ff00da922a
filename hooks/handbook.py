"""The handbook's MkDocs hooks: thin event handlers over the trees and links packages.

MkDocs puts this file's folder on sys.path only while it loads the hook, so sibling
packages are imported here at the top, never lazily inside a handler.
"""

from __future__ import annotations

import logging

log = logging.getLogger("mkdocs.hooks.handbook")
