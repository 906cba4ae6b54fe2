"""`clausesmith serve`: the deal form and its JSON API, for one user and one deal file.

Safety, in the order a request meets it:
- the server listens on 127.0.0.1 only (`server.py`);
- the Host header must be this server's loopback name and port, so a web page that rebinds
  its own domain name to 127.0.0.1 (DNS rebinding) is refused;
- a request that carries an Origin must come from this server's own origin, so another
  site open in the same browser cannot post to it;
- every request carries this run's token: in the URL printed at start (then exchanged for
  an HttpOnly, SameSite=Strict cookie), in that cookie, or as `Authorization: Bearer`;
- a request body is at most `MAX_BODY_BYTES`, is JSON by its Content-Type (so a form on
  another site cannot post it without the browser asking first), and is refused when it
  nests deeper than a deal can or holds NaN or Infinity; the page's script and style are
  served from the package by fixed names, never a path from the request;
- every answer forbids framing (clickjacking), inline script, loading anything from
  elsewhere, sniffing, referrers and caching (`SECURITY_HEADERS`);
- a deal posted to the API goes through exactly the loader's checks (`checks.py`).
"""

from __future__ import annotations

import hmac
import html
import io
import json
import math
import zipfile
from collections.abc import Awaitable, Callable
from importlib import resources
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clausesmith.deal.json_schema import deal_json_schema
from clausesmith.inputs.yamlio import MAX_DEPTH
from clausesmith.pipeline import Inputs
from clausesmith.serve.checks import check_deal
from clausesmith.serve.dealfile import ChangedOnDisk, DealFile, NotADealPath, NotSavedExactly
from clausesmith.serve.form import Form, pickers
from clausesmith.serve.openapi import OPENAPI

MAX_BODY_BYTES = 1_000_000
STATIC = {"form.js": "text/javascript", "form.css": "text/css"}
DEFAULT_PLAYBOOK = "cross-licence-standard"

Handler = Callable[[Request], Awaitable[Response]]
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
        b" connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    ),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
]


class _Headers:
    """Adds SECURITY_HEADERS to every answer, the refusals and Starlette's own 404s too."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)


def _reject_constant(name: str) -> Any:
    raise Refused(400, f"{name} is not a number JSON allows; write the figure")


def _too_deep(value: Any, limit: int) -> bool:
    """Whether `value` nests more than `limit` lists and objects (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth >= limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


def cookie_name(port: int) -> str:
    """The token cookie's name. A cookie belongs to a host, not to a port, so every server on
    127.0.0.1 shares one jar: the port in the name keeps two `serve` sessions from replacing
    each other's token."""
    return f"clausesmith_token_{port}"


class Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def create_app(deal_file: DealFile, inputs: Inputs, token: str, port: int) -> Starlette:
    """The server's routes, bound to one deal file, one token and the port it listens on."""
    hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
    origins = {f"http://{h}" for h in hosts}
    schema = deal_json_schema()
    cookie = cookie_name(port)

    def guard(request: Request, allow_query: bool = False) -> None:
        if request.headers.get("host", "") not in hosts:
            raise Refused(400, "this server answers only to its own loopback address")
        origin = request.headers.get("origin")
        if origin is not None and origin not in origins:
            raise Refused(403, "requests from other sites are refused")
        offered = [
            request.cookies.get(cookie, ""),
            request.headers.get("authorization", "").removeprefix("Bearer "),
        ]
        if allow_query:
            offered.append(request.query_params.get("token", ""))
        if not any(hmac.compare_digest(o.encode(), token.encode()) for o in offered if o):
            raise Refused(401, "open the address clausesmith serve printed (it holds the token)")

    def guarded(handler: Handler, allow_query: bool = False) -> Handler:
        async def run(request: Request) -> Response:
            try:
                guard(request, allow_query)
                return await handler(request)
            except Refused as exc:
                return JSONResponse({"error": exc.message}, status_code=exc.status)

        return run

    async def body(request: Request) -> dict[str, Any]:
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind != "application/json":
            raise Refused(415, "send the request body as JSON (Content-Type: application/json)")
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY_BYTES):
            raise Refused(413, f"a request body is at most {MAX_BODY_BYTES:,} bytes")
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise Refused(413, f"a request body is at most {MAX_BODY_BYTES:,} bytes")
            chunks.append(chunk)
        try:
            data = json.loads(b"".join(chunks) or b"{}", parse_constant=_reject_constant)
        except (ValueError, RecursionError):
            raise Refused(400, "expected a JSON object") from None
        if not isinstance(data, dict):
            raise Refused(400, "expected a JSON object")
        if _too_deep(data, MAX_DEPTH + 1):  # the deal sits one level down, in "deal"
            raise Refused(400, f"nesting deeper than {MAX_DEPTH} levels is not a deal")
        if any(isinstance(v, float) and not math.isfinite(v) for v in _numbers(data)):
            raise Refused(400, "a number too large for a deal; write the figure")
        return data

    def playbook_defaults(deal: object) -> dict[str, Any]:
        name = DEFAULT_PLAYBOOK
        if isinstance(deal, dict) and isinstance(deal.get("deal"), dict):
            chosen = deal["deal"].get("playbook")
            name = chosen if isinstance(chosen, str) and chosen else DEFAULT_PLAYBOOK
        try:
            return inputs.defaults_for(name)
        except Exception:  # an unknown playbook: the check names it; the form shows none
            return {}

    async def page(request: Request) -> Response:
        data = deal_file.data()
        form = Form(schema, playbook_defaults(data)).render(data)
        where = str(deal_file.path) if deal_file.path else ""
        response = HTMLResponse(_page(form, where))
        if "token" in request.query_params:
            # The printed token becomes a cookie on this very answer, not on a redirect: a
            # browser sends no SameSite=Strict cookie after a redirect that another page (the
            # launch file `serve` opens) started. The page's script then drops the token
            # from the address bar.
            response.set_cookie(cookie, token, httponly=True, samesite="strict")
        return response

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return JSONResponse({"error": "not found"}, status_code=404)
        text = resources.files("clausesmith.serve").joinpath("static", name).read_bytes()
        return Response(text, media_type=STATIC[name])

    async def check(request: Request) -> Response:
        data = await body(request)
        return JSONResponse(check_deal(data.get("deal"), inputs).answer())

    async def save(request: Request) -> Response:
        data = await body(request)
        deal = data.get("deal")
        if not isinstance(deal, dict):
            raise Refused(400, 'expected {"deal": {...}}')
        path = data.get("path")
        try:
            saved = deal_file.save(deal, schema, Path(path) if isinstance(path, str) else None)
        except ChangedOnDisk as exc:
            raise Refused(409, str(exc)) from None
        except NotADealPath as exc:
            raise Refused(400, str(exc)) from None
        except NotSavedExactly as exc:
            raise Refused(422, str(exc)) from None
        except OSError as exc:
            raise Refused(500, f"cannot save: {exc.strerror or exc}") from None
        answer = check_deal(deal, inputs).answer()
        return JSONResponse({"saved": str(saved), **answer})

    async def documents(request: Request) -> Response:
        data = await body(request)
        checked = check_deal(data.get("deal"), inputs)
        if checked.rendered is None:
            return JSONResponse(checked.answer(), status_code=422)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in sorted(checked.rendered.files.items()):
                archive.writestr(name, content)
        deal_id = checked.rendered.plan.deal.deal.id
        return Response(
            buffer.getvalue(),
            media_type="application/zip",
            headers={"Content-Disposition": f'attachment; filename="{deal_id}.zip"'},
        )

    async def openapi(request: Request) -> Response:
        return JSONResponse(OPENAPI)

    app = Starlette(
        routes=[
            Route("/", guarded(page, allow_query=True)),
            Route("/static/{name}", guarded(static)),
            Route("/api/openapi.json", guarded(openapi)),
            Route("/api/check", guarded(check), methods=["POST"]),
            Route("/api/save", guarded(save), methods=["POST"]),
            Route("/api/documents", guarded(documents), methods=["POST"]),
        ]
    )
    app.add_middleware(_Headers)
    return app


def _numbers(value: Any) -> list[Any]:
    """Every scalar in `value` (walked without recursion)."""
    found, stack = [], [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        else:
            found.append(item)
    return found


def _page(form: str, where: str) -> str:
    # a file's name may hold < and > (a hostile file handed to serve): escaped, never markup
    title = f"clausesmith: {html.escape(where)}" if where else "clausesmith: a new deal"
    save_as = (
        ""
        if where
        else "<label for='save-as'>Save as (a file name in this folder, ending .yaml)</label>"
        "<input id='save-as' type='text' value='deal.yaml'>"
    )
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="/static/form.css">
</head>
<body>
<header>
<h1>{title}</h1>
<div class="actions">{save_as}
<button type="button" id="save">Save the deal</button>
<button type="button" id="download">Download Word documents</button>
<span id="status" role="status" aria-live="polite"></span>
</div>
</header>
<main>
<form id="deal" aria-label="The deal" novalidate>
<section id="problems" aria-live="polite"></section>
{form}
</form>
<aside id="preview-pane" aria-label="Preview of the documents">
<section id="findings" aria-live="polite"></section>
<div id="preview"></div>
</aside>
</main>
{pickers()}
<script src="/static/form.js"></script>
</body>
</html>
"""
