"""The reverse-proxy examples in deploy/proxy/ work as they are written, over HTTPS: nginx
(the site file with its ports, certificate and log paths changed, the snippet verbatim) and
Caddy (the Caddyfile with its address, certificate and log file changed) in front of
`steungroep web` with TRUSTED_PROXIES=1. Through them a login form is accepted (the app sees
HTTPS and the public Host, which its form check compares with the Referer), each client
address has its own login budget, responses are compressed, the proxy's request id reaches
the app, HSTS is sent, and /metrics is not served."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from ..services import HOST, SCRIPT, Browser, free_port

ROOT = Path(__file__).resolve().parents[2]
PROXY = ROOT / "deploy" / "proxy"


def _wait(port: int, process: subprocess.Popen, tls: bool = True) -> None:
    for _ in range(600):
        try:
            response, _ = Browser(port, "127.0.0.1", tls).request("GET", "/livez")
            if response.status == 200:
                return
        except OSError:
            pass
        assert process.poll() is None, process.communicate()[0]
        time.sleep(0.05)
    pytest.fail(f"nothing answers on port {port}")


@pytest.fixture
def app_port(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "PROMETHEUS"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path}/proxy.sqlite", SECRET_KEY="x" * 40,
               GC_FREEZE="0", TRUSTED_PROXIES="1", LOGIN_LIMIT_ADDRESS="3 per 15 minutes")
    for command in (["db", "upgrade"], ["demo"]):
        subprocess.run([str(SCRIPT), *command], env=env, check=True, capture_output=True,
                       timeout=120)
    port = free_port()
    # one worker: the login limits live in its memory (several workers share them in Redis)
    app = subprocess.Popen([str(SCRIPT), "web", "-b", f"127.0.0.1:{port}", "-w", "1"], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    _wait(port, app, tls=False)
    yield port
    app.terminate()
    app.communicate(timeout=30)


def _nginx(tmp_path: Path, port: int, app_port: int) -> list[str]:
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", f"/CN={HOST}", "-keyout", str(tmp_path / "privkey.pem"),
                    "-out", str(tmp_path / "fullchain.pem")], check=True, capture_output=True)
    site = (PROXY / "nginx-site.conf").read_text()
    site = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", site)  # no IPv6 needed here
    for example, here in (("listen 80;", f"listen 127.0.0.1:{free_port()};"),
                          ("listen 443 ", f"listen 127.0.0.1:{port} "),
                          (f"/etc/letsencrypt/live/{HOST}/", f"{tmp_path}/"),
                          ("/var/log/nginx/", f"{tmp_path}/"),
                          ("/etc/nginx/snippets/steungroep.conf",
                           str(PROXY / "nginx-steungroep.conf")),
                          ("127.0.0.1:8000", f"127.0.0.1:{app_port}")):
        assert example in site, example
        site = site.replace(example, here)
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"""
{"user root;" if os.getuid() == 0 else ""}
daemon off;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/nginx-error.log;
events {{}}
http {{
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
{site}
}}""")
    return ["nginx", "-c", str(conf), "-e", str(tmp_path / "nginx-error.log")]


def _caddy(tmp_path: Path, port: int, app_port: int) -> list[str]:
    text = (PROXY / "Caddyfile").read_text()
    text = text.replace(f"{HOST} {{", f"https://{HOST}:{port} {{\n\ttls internal")
    text = text.replace("127.0.0.1:8000", f"127.0.0.1:{app_port}")
    text = text.replace("/var/log/caddy/steungroep.access.log", str(tmp_path / "caddy.log"))
    conf = tmp_path / "Caddyfile"
    conf.write_text("{\n\tadmin off\n\tskip_install_trust\n\tdefault_sni " + HOST
                    + "\n}\n" + text)
    return ["caddy", "run", "--adapter", "caddyfile", "--config", str(conf)]


@pytest.mark.parametrize("name", ["nginx", "caddy"])
def test_the_proxy_example_in_front_of_the_app(name, app_port, tmp_path):
    if not shutil.which(name):
        if os.environ.get("REQUIRE_CONTAINER_TEST") == "1":
            pytest.fail(f"{name} is missing: run `make containers`")
        pytest.skip(f"{name} is missing (make containers)")
    port = free_port()
    command = (_nginx if name == "nginx" else _caddy)(tmp_path, port, app_port)
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path)}
    proxy = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    try:
        _wait(port, proxy)
        teacher = Browser(port, "127.0.0.3")
        # A guessing client uses up its own budget (3 tries, then one per 5 seconds) …
        guesser = Browser(port, "127.0.0.2")
        for attempt in range(4):
            assert guesser.log_in(f"niemand{attempt}@school.example", "fout-wachtwoord!"
                                  ).status == 422  # wrong, told so
        assert guesser.log_in("niemand9@school.example", "fout-wachtwoord!").status == 429
        # … and a teacher elsewhere still logs in, through the proxy's form check.
        answer = teacher.log_in("anne@vlinder.example", "demo-leerkracht")
        assert answer.status == 302, answer.status
        response, _ = teacher.request("GET", "/")
        assert response.status == 200
        assert response.getheader("Strict-Transport-Security")  # the app knows it is HTTPS
        response, body = teacher.request("GET", "/static/css/app.css",
                                         **{"Accept-Encoding": "gzip"})
        assert response.getheader("Content-Encoding") == "gzip"
        assert gzip.decompress(body) == (ROOT / "steungroep/static/css/app.css").read_bytes()
        request_id = response.getheader("X-Request-ID")
        # the app makes 16 hexadecimal digits; nginx's id has 32, Caddy's is a UUID
        assert re.fullmatch(r"[0-9a-f]{32}|[0-9a-f-]{36}", request_id), request_id
        assert Browser(port, "127.0.0.1").request("GET", "/metrics")[0].status == 404
        assert Browser(app_port, "127.0.0.1", tls=False).request("GET", "/metrics")[0].status \
            == 200
    finally:
        proxy.terminate()
        proxy.communicate(timeout=30)
