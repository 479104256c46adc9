"""Made-up pupils stay in their practice case: no real melding is made about one, they have
no records of their own, their names are not the school's names (the name checks of texts
read by others), and a practice case is in no real pupil's access copy. One practice case
that cannot be removed does not keep the others."""

from __future__ import annotations

from datetime import timedelta

from steungroep.cases.pupils import case_first_names, school_first_names
from steungroep.core.extensions import db
from steungroep.core.timeutil import utcnow
from steungroep.models import Case, Pupil
from steungroep.practice import use_cases as practice
from steungroep.records.access_copy import access_copy

from ..pages import count, melding_form, visible_text
from .played import practice_case


def test_no_real_melding_about_a_made_up_pupil(client, world, login):
    played = practice_case(world, "groep")
    made_up = played.pupil.school_class.pupils[5]
    login(world.teacher)
    refused = client.post("/meldingen/nieuw", data=melding_form(made_up))
    assert refused.status_code == 422
    assert "Kies de leerling om wie het gaat." in visible_text(refused)
    assert count(Case) == 1


def test_a_made_up_pupil_has_no_records(client, world, login):
    made_up = practice_case(world, "groep").pupil
    login(world.coordinator)
    for path in ("inzage", "inzage.json", "logboek"):
        assert client.get(f"/leerlingen/{made_up.id}/{path}").status_code == 404
        assert client.get(f"/leerlingen/{world.subject.id}/{path}").status_code == 200
    login(world.admin)
    assert client.post(f"/leerlingen/{made_up.id}/wissen").status_code == 404
    assert count(Pupil, Pupil.id == made_up.id) == 1


def test_made_up_names_are_names_only_in_their_practice_case(app, world):
    played = practice_case(world, "groep")
    real = set(school_first_names(world.school.id))
    assert real == {p.first_name for p in world.pupils}
    assert "Zoë" not in real
    assert set(case_first_names(played)) == real | {p.first_name for p in
                                                    played.pupil.school_class.pupils}


def test_no_practice_case_in_a_real_pupils_access_copy(app, world):
    sanne = Pupil(school_id=world.school.id, class_id=world.subject.class_id,
                  first_name="Sanne", surname_initial="Q")
    db.session.add(sanne)
    db.session.commit()
    practice_case(world, "groep")  # its melding names Sanne
    assert access_copy(sanne)["genoemd_in"] == []


def test_one_practice_case_that_fails_does_not_keep_the_others(app, world, monkeypatch):
    stuck, other = practice_case(world), practice_case(world)
    stuck.created_at = other.created_at = utcnow() - timedelta(days=8)
    stuck_id, other_id = stuck.id, other.id
    db.session.commit()
    remove = practice._remove

    def failing(uow, case_id):
        if case_id == stuck_id:
            raise RuntimeError("kapot")
        remove(uow, case_id)

    monkeypatch.setattr(practice, "_remove", failing)
    assert practice.housekeeping(utcnow()) == 1
    db.session.expire_all()
    assert db.session.get(Case, stuck_id) is not None
    assert db.session.get(Case, other_id) is None
