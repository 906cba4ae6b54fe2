"""`clausesmith serve`: the deal form and its JSON API, for one user and one deal file.

Safety, in the order a request meets it:
- the server listens on 127.0.0.1 only (`server.py`);
- the Host header must be this server's loopback name and port, so a web page that rebinds
  its own domain name to 127.0.0.1 (DNS rebinding) is refused;
- a request that carries an Origin must come from this server's own origin, so another
  site open in the same browser cannot post to it;
- every request carries this run's token: in the URL printed at start (then exchanged for
  an HttpOnly, SameSite=Strict cookie), in that cookie, or as `Authorization: Bearer`;
- a request body is at most `MAX_BODY_BYTES`; the page's script and style are served from
  the package by fixed names, never a path from the request;
- a deal posted to the API goes through exactly the loader's checks (`checks.py`).
"""

from __future__ import annotations

import hmac
import io
import json
import zipfile
from collections.abc import Awaitable, Callable
from importlib import resources
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from clausesmith.deal.json_schema import deal_json_schema
from clausesmith.pipeline import Inputs
from clausesmith.serve.checks import check_deal
from clausesmith.serve.dealfile import ChangedOnDisk, DealFile, NotADealPath
from clausesmith.serve.form import Form, pickers
from clausesmith.serve.openapi import OPENAPI

MAX_BODY_BYTES = 1_000_000
COOKIE = "clausesmith_token"
STATIC = {"form.js": "text/javascript", "form.css": "text/css"}
DEFAULT_PLAYBOOK = "cross-licence-standard"

Handler = Callable[[Request], Awaitable[Response]]


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

    def guard(request: Request, allow_query: bool = False) -> None:
        if request.headers.get("host", "") not in hosts:
            raise Refused(400, "this server answers only to its own loopback address")
        origin = request.headers.get("origin")
        if origin is not None and origin not in origins:
            raise Refused(403, "requests from other sites are refused")
        offered = [
            request.cookies.get(COOKIE, ""),
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
            data = json.loads(b"".join(chunks) or b"{}")
        except ValueError:
            raise Refused(400, "expected a JSON object") from None
        if not isinstance(data, dict):
            raise Refused(400, "expected a JSON object")
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
        if "token" in request.query_params:  # exchange the printed token for a cookie
            response: Response = RedirectResponse("/", status_code=303)
            response.set_cookie(COOKIE, token, httponly=True, samesite="strict")
            return response
        data = deal_file.data()
        form = Form(schema, playbook_defaults(data)).render(data)
        where = str(deal_file.path) if deal_file.path else ""
        return HTMLResponse(_page(form, where))

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

    return Starlette(
        routes=[
            Route("/", guarded(page, allow_query=True)),
            Route("/static/{name}", guarded(static)),
            Route("/api/openapi.json", guarded(openapi)),
            Route("/api/check", guarded(check), methods=["POST"]),
            Route("/api/save", guarded(save), methods=["POST"]),
            Route("/api/documents", guarded(documents), methods=["POST"]),
        ]
    )


def _page(form: str, where: str) -> str:
    title = f"clausesmith: {where}" if where else "clausesmith: a new deal"
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
