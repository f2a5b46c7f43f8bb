"""Views of a JSON report: :mod:`checker.views.terminal` (rich tables for the CLI) and
:mod:`checker.views.html` (one self-contained review page). Both read the report's JSON,
never the in-memory :class:`~checker.types.Report`, so a saved report shows what the audit did.
"""
