"""Start the form: bind 127.0.0.1, print the address with this run's token, open the browser.

The socket is bound here, before uvicorn starts, so `--port 0` (any free port) still prints
the real address, and nothing but the loopback interface is ever listened on.
"""

from __future__ import annotations

import secrets
import socket
import webbrowser
from collections.abc import Callable
from pathlib import Path

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
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((HOST, port))
    bound = listener.getsockname()[1]
    url = f"http://{HOST}:{bound}/?token={token}"
    inputs.warm()
    app = create_app(deal_file, inputs, token, bound)
    say(f"clausesmith serve: {deal if deal else 'a new deal (from the minimal one)'}")
    say(f"Open {url}")
    say("Only this computer can reach it. Press Ctrl+C to stop.")
    if open_browser:
        webbrowser.open(url)
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    uvicorn.Server(config).run(sockets=[listener])
