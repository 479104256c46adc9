"""Services a test starts for itself (never the machine's own, which other tests and CI
use): a PostgreSQL server in a temporary folder, on its own port and socket."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

BIN = Path("/usr/lib/postgresql/15/bin")
SCRIPT = Path(sys.executable).parent / "steungroep"  # the console script of this venv
HOST = "steungroep.school.example"  # the public name a proxy in front passes on


def free_port() -> int:
    """A port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    """The status and text of a GET (an error status too, with its page)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def _as_postgres(command: list[str]) -> list[str]:
    """Run as the postgres account when we are root (initdb refuses root)."""
    if os.getuid() == 0:
        return ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(map(_quote, command))]
    return command


def _quote(part: str) -> str:
    return "'" + part.replace("'", "'\\''") + "'"


class OwnPostgres:
    """A PostgreSQL server of the test's own, trusting every local user, that can be stopped
    and started again (``pg_ctl``). Its folder is outside pytest's (which the postgres
    account may not enter). ``libpq``: PGHOST (its socket folder) and PGPORT."""

    def __init__(self) -> None:
        if not (BIN / "initdb").exists():
            pytest.skip("PostgreSQL 15's server programs are not installed")
        self.folder = Path(tempfile.mkdtemp(prefix="steungroep-pg-"))
        self.folder.chmod(0o755)
        self.data = self.folder / "pgdata"
        self.data.mkdir()
        if os.getuid() == 0:
            shutil.chown(self.data, "postgres", "postgres")
        self.port = str(free_port())
        self.libpq = {"PGHOST": str(self.data), "PGPORT": self.port}
        subprocess.run(_as_postgres([str(BIN / "initdb"), "-D", str(self.data), "-U",
                                     "postgres", "-A", "trust"]),
                       check=True, capture_output=True, timeout=120)

    def url(self, database: str = "postgres") -> str:
        """A SQLAlchemy URL for a database of this server (over TCP on loopback)."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        subprocess.run(_as_postgres([str(BIN / "pg_ctl"), "-D", str(self.data), "-o",
                                     f"-p {self.port} -k {self.data} "
                                     "-c listen_addresses=127.0.0.1",
                                     "-l", str(self.data / "log"), "-w", "start"]),
                       check=True, capture_output=True, timeout=120)

    def stop(self) -> None:
        subprocess.run(_as_postgres([str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast",
                                     "-w", "stop"]), capture_output=True, timeout=120)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


@contextmanager
def own_postgres() -> Iterator[dict[str, str]]:
    """A running OwnPostgres for the length of the block; yields its libpq settings."""
    server = OwnPostgres()
    server.start()
    try:
        yield server.libpq
    finally:
        server.remove()


class OwnRedis:
    """Debian's redis-server on a port of the test's own, keeping nothing on disk; it can be
    stopped and started again on the same port."""

    def __init__(self) -> None:
        if not shutil.which("redis-server"):
            pytest.skip("redis-server is not installed")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.02)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None


@contextmanager
def own_redis() -> Iterator[OwnRedis]:
    server = OwnRedis()
    server.start()
    try:
        yield server
    finally:
        server.stop()


class Browser:
    """One client from one loopback address (127.0.0.x), with its own cookie."""

    def __init__(self, port: int, source: str, tls: bool = True) -> None:
        self.port, self.source, self.tls, self.cookies = port, source, tls, {}

    def request(self, method: str, path: str, form: dict | None = None, **headers):
        if self.tls:
            unverified = ssl._create_unverified_context()  # the test's own certificate
            connection = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=10,
                                                     source_address=(self.source, 0),
                                                     context=unverified)
        else:  # the app itself, behind the proxy
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10,
                                                    source_address=(self.source, 0))
        headers = {"Host": HOST, **headers}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://{HOST}{path}"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        for cookie in response.headers.get_all("Set-Cookie") or ():
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name] = value
        connection.close()
        return response, data

    def log_in(self, email: str, password: str):
        _, page = self.request("GET", "/inloggen")
        token = re.search(rb'name="csrf_token" value="([^"]+)"', page).group(1).decode()
        return self.request("POST", "/inloggen", {"csrf_token": token, "email": email,
                                                  "password": password})[0]
