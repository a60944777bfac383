"""What the web benchmarks share: a data dir loaded like ``make run``, the real granian server on
a free loopback port, logged-in keep-alive HTTP clients and latency figures.

Used by ``bench.imports`` and ``bench.grid``. Django is set up in the bench process against the
same data dir (``JIXIAO_DATA_DIR``) so a bench can add its own rows before the server starts.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def scale() -> float:
    """``BENCH_SCALE`` (default 1): 0.1 runs every benchmark at a tenth of its size."""
    return float(os.environ.get("BENCH_SCALE", "1"))


def data_dir(name: str) -> Path:
    """A fresh data dir, migrated and loaded with the demo company, and Django set up on it."""
    path = Path(tempfile.mkdtemp(prefix=f"jixiao-bench-{name}-"))
    os.environ["JIXIAO_DATA_DIR"] = str(path)
    os.environ["PYTHONPATH"] = str(ROOT)  # the server and children run this tree's code
    os.environ.pop("JIXIAO_DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "jixiao.settings"
    for command in (["migrate", "--noinput", "-v", "0"], ["demo", "-v", "0"]):
        subprocess.run(
            [sys.executable, "-m", "jixiao.cli", *command], check=True, cwd=ROOT, stdout=subprocess.DEVNULL
        )
    import django

    django.setup()
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(workers: int = 2) -> Iterator[int]:
    """Serve the data dir as ``make run`` does (granian WSGI, blocking threads 1); yield the port."""
    port = _free_port()
    process = subprocess.Popen(
        [
            str(BIN / "granian"),
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--blocking-threads",
            "1",
            "--log-level",
            "error",
            "jixiao.wsgi:application",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                Client(port).get("/accounts/login/")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)


class Client:
    """One keep-alive connection with its own cookies (one browser tab)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict[str, str] | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            headers["HX-Request"] = "true"
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
        except (http.client.HTTPException, ConnectionError):
            self.connection.close()
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
        text = response.read().decode()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text

    def get(self, path: str) -> tuple[int, str]:
        return self.request("GET", path)

    def post(self, path: str, body: dict[str, str]) -> tuple[int, str]:
        return self.request("POST", path, body)

    def login(self, username: str, password: str = "jixiao-demo") -> Client:
        _, page = self.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        form = {
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": token.group(1) if token else "",
        }
        self.request("POST", "/accounts/login/", form)
        if "sessionid" not in self.cookies:
            raise RuntimeError(f"login as {username} failed")
        return self


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of ``values``; 0 when there are none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def latency_line(label: str, seconds: list[float], wall: float, errors: int) -> str:
    ms = [s * 1000 for s in seconds]
    return (
        f"{label:<44} n={len(ms):>6}  p50 {percentile(ms, 50):7.1f} ms  p95 {percentile(ms, 95):7.1f} ms"
        f"  max {max(ms, default=0):7.1f} ms  {len(ms) / wall if wall else 0:7.1f}/s  errors {errors}"
    )
