"""One access-log line per request with a request id; the id on the error pages and in the
X-Request-ID header; tokens and searches never in the log."""

from __future__ import annotations

import logging
import re

from steungroep.cases import state

from .. import factories as f


def _lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "steungroep.access"]


def test_a_line_per_request_with_its_id(client, world, login, caplog):
    caplog.set_level(logging.INFO, logger="steungroep.access")
    login(world.teacher)
    response = client.get("/?zoek=Daan")
    request_id = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{16}", request_id)
    [line] = [line for line in _lines(caplog) if f"id={request_id}" in line]
    assert line.startswith("GET / 200 ") and f"user={world.teacher.id}" in line
    assert "Daan" not in "\n".join(_lines(caplog))  # the query string is never logged


def test_an_id_from_the_proxy_is_kept_and_a_strange_one_replaced(client):
    assert client.get("/livez", headers={"X-Request-ID": "lb-7f3a9c21"}).headers[
        "X-Request-ID"] == "lb-7f3a9c21"
    odd = client.get("/livez", headers={"X-Request-ID": "x <script> Set-Cookie: a=1"})
    assert re.fullmatch(r"[0-9a-f]{16}", odd.headers["X-Request-ID"])


def test_tokens_never_reach_the_log(client, world, caplog):
    caplog.set_level(logging.INFO, logger="steungroep.access")
    case = f.case_at(world, "evaluatie_leerling")
    token = state.current_members(case.group)[0].card_token
    assert client.get(f"/k/{token}").status_code == 200
    client.get("/k/" + "A" * 32)  # a wrong card
    client.get("/welkom/" + "B" * 43)  # a wrong password link
    client.get("/bestaat/" + "C" * 30)  # no route at all
    logged = "\n".join(_lines(caplog))
    assert "GET /k/… 200" in logged and "GET /welkom/… 410" in logged
    for secret in (token, "A" * 32, "B" * 43, "C" * 30):
        assert secret not in logged


def test_the_error_pages_show_the_id(client, world, login):
    login(world.teacher)
    wrong = client.put("/")
    assert wrong.status_code == 405
    assert f"Foutcode voor de beheerder: {wrong.headers['X-Request-ID']}" in \
        wrong.get_data(as_text=True)
