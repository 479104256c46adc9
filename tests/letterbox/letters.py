"""What the letterbox tests share: the school's letterbox address, a filled-in form with its
own fresh form value, and the code on the thank-you page."""

from __future__ import annotations

import re

FORBIDDEN = re.compile(r"pest|dader|slachtoffer|aanvoerder|meeloper|omstander", re.I)


def box(world) -> str:
    return f"/brievenbus/{world.school.letterbox_token}"


def nonce_of(client, url: str) -> str:
    return re.search(r'name="nonce" value="([^"]+)"', client.get(url).get_data(as_text=True)
                     ).group(1)


def letter_form(client, url: str, **changes) -> dict:
    return {"nonce": nonce_of(client, url), "what": "Ze lachen me uit als ik iets zeg.",
            "where": "In de klas", "about": "", "writer": "zelf", "wants_talk": "ja",
            "name": "", "class_name": "", **changes}


def code_in(response) -> str:
    return re.search(r"data-code>([A-Z0-9-]{11})<", response.get_data(as_text=True)).group(1)
