"""``newscheck serve``: a local review web app over a report and the store's review ledger.

The web packages are an extra (``pip install 'newscheck[serve]'``): importing this package
needs none of them; :func:`require_web_stack` says which is missing, and :func:`create_app`
(:mod:`checker.serve.app`) loads them.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from checker.errors import InputError

#: import name -> distribution of the ``serve`` extra
WEB_STACK = {"starlette": "starlette", "uvicorn": "uvicorn", "jinja2": "jinja2", "multipart": "python-multipart"}


def require_web_stack() -> None:
    """Raises InputError naming the missing packages when the ``serve`` extra is not installed."""
    missing = [dist for mod, dist in WEB_STACK.items() if importlib.util.find_spec(mod) is None]
    if missing:
        raise InputError(
            f"newscheck serve needs {', '.join(missing)}: install newscheck[serve] (pip install 'newscheck[serve]')"
        )


def create_app(*args: Any, **kwargs: Any):
    """The review app (:func:`checker.serve.app.create_app`)."""
    require_web_stack()
    from checker.serve.app import create_app as _create_app

    return _create_app(*args, **kwargs)
