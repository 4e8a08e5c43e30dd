"""The briefings' fixtures: the pack world of tests/briefings/packs.py, and a recording server."""

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest

from tests.briefings.packs import Table, build_table


@pytest.fixture
def table(db: None, media_root: Path) -> Table:
    return build_table()


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        type(self).hits.append(self.path)
        if self.path.startswith("/redirect"):
            self.send_response(302)
            port = cast(http.server.HTTPServer, self.server).server_port
            self.send_header("Location", f"http://127.0.0.1:{port}/landed")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[tuple[str, list[str]]]:
    """A local web server that records every request made to it (and redirects /redirect)."""
    _Recorder.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", _Recorder.hits
    server.shutdown()
    server.server_close()
