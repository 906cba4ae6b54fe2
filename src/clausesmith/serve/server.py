"""Start the form: bind 127.0.0.1, print the address with this run's token, open the browser.

The socket is bound here, before uvicorn starts, so `--port 0` (any free port) still prints
the real address, and nothing but the loopback interface is ever listened on.

The browser is not handed the address itself: a browser started with a URL keeps it on its
command line, which every user of the machine can list (`ps`), and the token is the only
guard against them. It is handed a launch file instead, readable by this user only, that
sends the browser on to the address.
"""

from __future__ import annotations

import atexit
import contextlib
import html
import os
import secrets
import socket
import tempfile
import webbrowser
from collections.abc import Callable
from pathlib import Path

from clausesmith import portable
from clausesmith.pipeline import Inputs
from clausesmith.serve.dealfile import DealFile

HOST = "127.0.0.1"


def serve(
    deal: Path | None,
    inputs: Inputs,
    port: int,
    open_browser: bool,
    say: Callable[[str], None],
) -> None:
    import uvicorn

    from clausesmith.serve.app import create_app

    deal_file = DealFile(deal)
    token = secrets.token_urlsafe(24)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    portable.claim_port(listener)
    listener.bind((HOST, port))
    bound = listener.getsockname()[1]
    url = f"http://{HOST}:{bound}/?token={token}"
    inputs.warm()
    app = create_app(deal_file, inputs, token, bound)
    say(f"clausesmith serve: {deal if deal else 'a new deal (from the minimal one)'}")
    say(f"Open {url}")
    say("Only this computer can reach it. Press Ctrl+C to stop.")
    if open_browser:
        webbrowser.open(launch_file(url).as_uri())
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    with listener:
        uvicorn.Server(config).run(sockets=[listener])


def launch_file(url: str) -> Path:
    """A page that sends the browser to `url`, in a file only this user can read (mkstemp
    creates it so on every system), removed when serve stops."""
    fd, name = tempfile.mkstemp(prefix="clausesmith-serve-", suffix=".html")
    address = html.escape(url, quote=True)
    page = (
        "<!doctype html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<meta http-equiv='refresh' content='0;url={address}'><title>clausesmith</title>"
        f"</head><body><p><a href='{address}'>Open the deal form</a></p></body></html>\n"
    )
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
        f.write(page)
    path = Path(name)
    atexit.register(lambda: _remove(path))
    return path


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
