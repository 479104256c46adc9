"""The local OpenID Provider for the tests (tests/oidc_provider.mjs, the npm package
oidc-provider) and a person who logs in at it without a browser."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).resolve().parent / "oidc_provider.mjs"
SECRET = "een-geheim-van-de-testclient-dat-lang-genoeg-is"
CALLBACK = "/inloggen/school/terug"
BACK = "http://localhost" + CALLBACK

# Who the provider knows: teachers of School A and B (tests/factories.py), someone the app
# does not know, and someone whose address the provider does not vouch for.
USERS = [
    {"sub": "anne", "email": "Anne@A.example", "name": "Anne"},
    {"sub": "karim", "email": "karim@a.example", "email_verified": False},
    {"sub": "beheer", "email": "beheer@a.example"},
    {"sub": "sanne", "email": "sanne@a.example"},
    {"sub": "petra", "email": "petra@b.example"},
    {"sub": "nobody", "email": "nobody@a.example"},
]


def client(client_id: str, *bases: str) -> dict:
    return {
        "client_id": client_id, "client_secret": SECRET,
        "redirect_uris": [base + CALLBACK for base in bases],
        "grant_types": ["authorization_code"], "response_types": ["code"],
        "token_endpoint_auth_method": "client_secret_basic",
    }


class Provider:
    """oidc-provider on a loopback port: ``issuer`` once it is ready."""

    def __init__(self, clients: list[dict], users: list[dict] = USERS) -> None:
        env = {**os.environ, "OIDC_CLIENTS": json.dumps(clients),
               "OIDC_USERS": json.dumps(users)}
        self.process = subprocess.Popen(
            ["node", str(SCRIPT)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True)
        line = self.process.stdout.readline()  # blocks until it listens (or exits)
        if not line.startswith("READY "):
            self.process.kill()
            raise RuntimeError(f"the test OpenID provider did not start: {line!r} "
                               "(run `make deps` for node_modules)")
        self.issuer = line.split()[1]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.process.stdout.close()


def sign_in_at_provider(authorize_url: str, login: str, session: requests.Session,
                        redirect_prefix: str) -> str:
    """Follow the provider's pages as a browser would, type ``login`` on its form, and
    return the address it sends the browser back to (ours, with code and state)."""
    url = authorize_url
    for _ in range(10):
        if url.startswith(redirect_prefix):
            return url
        response = session.get(url, allow_redirects=False, timeout=10)
        if response.is_redirect:
            url = urljoin(url, response.headers["Location"])
            continue
        assert response.status_code == 200, (response.status_code, response.text[:300])
        assert 'name="login"' in response.text, response.text[:300]
        posted = session.post(url, data={"prompt": "login", "login": login},
                              allow_redirects=False, timeout=10)
        assert posted.is_redirect, (posted.status_code, posted.text[:300])
        url = urljoin(url, posted.headers["Location"])
    raise AssertionError(f"no way back from the provider: {url}")


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def path_and_query(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + "?" + parts.query


def start(client_, school_id: int):
    response = client_.get(f"/inloggen/school/{school_id}")
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def sso_login(client_, school_id: int, login: str):
    """Log in through the school's provider as ``login``: (the app's answer, the callback)."""
    back = sign_in_at_provider(start(client_, school_id), login, requests.Session(), BACK)
    return client_.get(path_and_query(back)), back


def refusal(client_, response) -> str:
    assert response.status_code == 302 and response.headers["Location"].endswith("/inloggen")
    return client_.get("/inloggen").get_data(as_text=True)
