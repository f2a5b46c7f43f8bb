"""The review web app: Starlette routes over one report and the store's review ledger.

Why built so: a desk reviews in a browser, but its decisions must be the same records the
CLI writes (``newscheck review``), so every form posts to :class:`checker.review.Ledger` on
the store and every page reads the ledger afresh. Plain HTML forms with a redirect after each
post (no client framework, nothing from a CDN): it works without JavaScript, and the small
script only submits the filters on change. It listens on 127.0.0.1 by default; since any web
page the reviewer visits could post to a local port, each form carries a token made when the
app starts, and requests must name an allowed host (no DNS rebinding).
"""

from __future__ import annotations

import secrets
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from checker.errors import NewscheckError
from checker.review import Ledger, default_reviewer
from checker.serve.view import Filters, counts, options, page, pair_view
from checker.store import Store

HERE = Path(__file__).parent
_FILTER_KEYS = ("verdict", "type", "outlet", "min", "status", "q")


def create_app(
    data: dict, store_path: str | Path, reviewer: str | None = None, allowed_hosts: list[str] | None = None
) -> Starlette:
    """The app for one JSON report whose pairs are in the store's kept audits.

    Args:
        data: the report (as :func:`checker.report.load_report` gives it); pairs should carry
            their new/seen marking (:meth:`checker.review.Ledger.mark`), else all show as new.
        store_path: the store decisions are recorded in (it must exist).
        reviewer: the name the forms fill in. Default: ``$USER``.
        allowed_hosts: host names requests may use. Default: 127.0.0.1 and localhost.
    """
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    token = secrets.token_urlsafe(24)
    pairs_by_id = {p["id"]: p for p in data["pairs"]}
    reviewer = reviewer or default_reviewer()
    store_path = Path(store_path)

    def decisions():
        with Ledger(store_path) as ledger:
            return ledger.decisions()

    def base(request: Request, **extra) -> dict:
        decided = decisions()
        return {
            "data": data,
            "counts": counts(data, decided),
            "decisions": decided,
            "reviewer": reviewer,
            "token": token,
            "store": str(store_path),
            "notice": request.query_params.get("notice"),
            **extra,
        }

    async def index(request: Request) -> Response:
        f = Filters.from_query(request.query_params)
        ctx = base(request, f=f, back=f.query(), options=options(data))
        ctx["page"] = page(data, f, ctx["decisions"])
        return templates.TemplateResponse(request, "index.html", ctx)

    async def pair_detail(request: Request) -> Response:
        pair = pairs_by_id.get(request.path_params["pair_id"])
        if pair is None:
            return PlainTextResponse("no such pair in this report", status_code=404)
        ctx = base(request, back=_back(request.query_params.get("back", "")))
        with Ledger(store_path) as ledger:
            ctx["history"] = ledger.events(pair["id"])
        ctx["view"] = pair_view(pair, ctx["decisions"])
        return templates.TemplateResponse(request, "pair.html", ctx)

    async def review(request: Request) -> Response:
        pair_id = request.path_params["pair_id"]
        form = await request.form()
        if not secrets.compare_digest(str(form.get("token", "")), token):
            return PlainTextResponse("stale or foreign form: reload the page and try again", status_code=403)
        if pair_id not in pairs_by_id:
            return PlainTextResponse("no such pair in this report", status_code=404)
        action, note, by = (str(form.get(k, "")) for k in ("action", "note", "by"))
        back = _back(str(form.get("back", "")))
        target = f"/pairs/{pair_id}?{urlencode({'back': back})}" if form.get("from") == "detail" else f"/?{back}"
        target = target.rstrip("?")
        try:
            with Ledger(store_path) as ledger:
                if action == "dismiss":
                    ledger.dismiss(pair_id, note, by=by)
                elif action == "confirm":
                    ledger.confirm(pair_id, note, by=by)
                elif action == "note":
                    ledger.note(pair_id, note, by=by)
                elif action == "undo":
                    ledger.undo(pair_id, note, by=by)
                else:
                    return PlainTextResponse(f"unknown action {action!r}", status_code=400)
            notice = f"{_DONE[action]} {pair_id}"
        except NewscheckError as exc:
            notice = f"not recorded: {exc}"
        sep = "&" if "?" in target else "?"
        return RedirectResponse(f"{target}{sep}{urlencode({'notice': notice})}#pair-{pair_id}", status_code=303)

    routes = [
        Route("/", index),
        Route("/pairs/{pair_id}", pair_detail),
        Route("/pairs/{pair_id}/review", review, methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    hosts = allowed_hosts or ["127.0.0.1", "localhost"]
    return Starlette(routes=routes, middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=hosts)])


_DONE = {"dismiss": "dismissed", "confirm": "confirmed", "note": "noted on", "undo": "undid the decision on"}


def _back(query: str) -> str:
    """Only the filter parameters of a query string (a redirect never leaves the app)."""
    return urlencode([(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k in _FILTER_KEYS])


def keep_for_review(data: dict, db: Store, source: str) -> bool:
    """Keep the report in the store as an audit when some of its pairs are in no kept audit
    (decisions are recorded only on kept pairs); True when it was kept now."""
    ids = [p["id"] for p in data["pairs"]]
    if len(db.kept_pairs(ids)) == len(set(ids)):
        return False
    return db.save_audit(str(data.get("corpus") or source), data) is not None
