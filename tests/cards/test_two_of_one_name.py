"""Two girls called Julia in one group: every pupil-facing screen and paper tells them apart
by what is on record (the initial, else the class) and adds nothing more: the Kaarten
buttons, the QR screen, the printed cards, meeting mode and the invitation slips."""

from __future__ import annotations

import re

from steungroep.core.extensions import db

from .. import factories as f
from ..pages import visible_text


def _two_julias(world):
    for pupil, initial in zip(world.pupils[1:3], ("B", "K"), strict=True):
        pupil.first_name, pupil.surname_initial = "Julia", initial
    db.session.commit()


def test_every_pupil_facing_page_tells_the_two_apart(client, world, login):
    _two_julias(world)
    case = f.case_at(world, "bijeenkomst")
    login(world.teacher)
    slips = visible_text(client.get(f"/zaken/{case.id}/uitnodigingen"))
    assert "Beste Julia B.," in slips and "Beste Julia K.," in slips
    meeting = client.get(f"/zaken/{case.id}/bijeenkomst").get_data(as_text=True)
    labels = re.findall(r'class="action-name"[^>]*>([^<]+)<', meeting)
    assert "Julia B." in labels and "Julia K." in labels and "Julia" not in labels
    f.with_meeting(world, case)
    buttons = re.findall(r'class="btn btn-name"[^>]*>([^<]+)<',
                         client.get(f"/zaken/{case.id}/kaarten").get_data(as_text=True))
    assert sorted(b for b in buttons if b.startswith("Julia")) == ["Julia B.", "Julia K."]
    assert len(buttons) == len(set(buttons)) == 7
    julias = [m for m in case.group.members if m.pupil.first_name == "Julia"]
    headings = {re.search(r'class="qr-name">([^<]+)<', client.get(
        f"/zaken/{case.id}/kaarten/{m.id}").get_data(as_text=True)).group(1) for m in julias}
    assert headings == {"Julia B.", "Julia K."}
    printed = re.findall(r'class="paper-name">([^<]+)<', client.get(
        f"/zaken/{case.id}/kaarten/afdrukken").get_data(as_text=True))
    assert sorted(n for n in printed if n.startswith("Julia")) == ["Julia B.", "Julia K."]
    one = client.get(f"/zaken/{case.id}/kaarten/{julias[1].id}/afdrukken").get_data(
        as_text=True)
    assert re.findall(r'class="paper-name">([^<]+)<', one) == ["Julia K."]
    # a name of its own stays just the first name; no class or initial is added
    assert "Yara" in buttons
    assert not [b for b in buttons if not b.startswith("Julia") and ("." in b or "(" in b)]
