"""Shared fixtures. End-to-end tests run the real `sakip` command against one Prefect server started for the
whole test session on 127.0.0.1 (a temporary server per command would cost ~15 s each)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEMO_INBOX = ROOT / "sakip" / "demo" / "inbox"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def prefect_env(tmp_path_factory) -> dict[str, str]:
    """A real Prefect server on 127.0.0.1 with its own PREFECT_HOME; the environment to reach it."""
    home = tmp_path_factory.mktemp("prefect-home")
    port = _free_port()
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_UI_ENABLED": "false", "PREFECT_SERVER_API_HOST": "127.0.0.1"}
    env.pop("PREFECT_API_URL", None)
    log = open(home / "server.log", "w")
    proc = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 180
    while True:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"Prefect server did not start: {(home / 'server.log').read_text()[-2000:]}")
        time.sleep(0.5)
    yield {**env, "PREFECT_API_URL": url}
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()


@pytest.fixture(scope="session")
def sakip(prefect_env):
    """Run the real `sakip` command line; returns the CompletedProcess."""
    def run(*args: str, timeout: float = 300, env: dict | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([str(BIN / "sakip"), *args], env={**prefect_env, **(env or {})},
                              capture_output=True, text=True, timeout=timeout)
    return run


@pytest.fixture(scope="session")
def template(sakip, tmp_path_factory):
    """A warehouse that published the Dumai demo, for tests to copy (never to change)."""
    warehouse = tmp_path_factory.mktemp("template") / "wh"
    result = sakip("demo", "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stdout + result.stderr
    return warehouse


@pytest.fixture(scope="session")
def demo_half_year(tmp_path_factory) -> Path:
    """The demo inbox published month by month, January to June 2025, without Prefect (the reports' trends
    need the months), for tests to read (never to change)."""
    from builders import run

    warehouse = tmp_path_factory.mktemp("half-year") / "wh"
    for bulan in range(1, 7):
        run(DEMO_INBOX, warehouse, 2025, bulan, run_id=f"demo-2025-{bulan:02d}")
    return warehouse


class WebhookReceiver:
    """A webhook endpoint on 127.0.0.1 that records every POST (path, JSON body); answers `status`."""

    def __init__(self):
        import http.server
        import json
        import threading

        self.received: list[tuple[str, dict]] = []
        self.status = 200
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.received.append((self.path, json.loads(body or b"{}")))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def for_path(self, path: str) -> list[dict]:
        return [body for p, body in self.received if p == path]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def webhook():
    receiver = WebhookReceiver()
    yield receiver
    receiver.close()
