"""Moved to :mod:`checker.views.html`; kept so ``from checker.html import ...`` still works."""

from checker.views.html import render_html, script_json, write_html

__all__ = ["render_html", "script_json", "write_html"]
