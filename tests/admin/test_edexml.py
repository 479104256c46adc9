"""Pupil lists in EdexML, as ParnasSys and Esis export them: 300 pupils in 12 groups import,
a re-import with changes updates by key and lists the leavers, bad files import nothing and
say per line and element what is wrong, and what is not the app's (birth dates, addresses)
is never stored."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from steungroep.admin import pupil_import
from steungroep.admin.edexml import looks_like_edexml, parse_edexml
from steungroep.admin.importer import ImportError_
from steungroep.core.extensions import db
from steungroep.models import Pupil, SchoolClass

from ..pages import count
from .edexml_files import edexml, school_of_300


def run(runner, tmp_path, raw: bytes, *more: str):
    path = tmp_path / "export.xml"
    path.write_bytes(raw)
    return runner.invoke(args=["import-pupils", str(path), "--school", "School A",
                               "--year", "2026-2027", *more])


def test_an_export_of_300_pupils_in_12_groups(runner, world, tmp_path):
    school = world.school.id
    result = run(runner, tmp_path, edexml(school_of_300()))
    assert result.exit_code == 0, result.output
    assert "300 leerlingen toegevoegd" in result.output
    assert count(Pupil, Pupil.school_id == school, Pupil.external_id.is_not(None)) == 300
    assert count(SchoolClass, SchoolClass.school_id == school,
                 SchoolClass.school_year == "2026-2027") == 12 + 1  # plus world's groep 6
    first = db.session.scalar(select(Pupil).where(Pupil.external_id == "5000"))
    assert (first.first_name, first.surname_initial, first.school_class.name) == (
        "Noor", "A", "Groep 1a")
    # what is not the app's is nowhere in the database: no birth date, no given names
    stored = " ".join(str(row) for table in db.metadata.sorted_tables
                      for row in db.session.execute(table.select()))
    assert "Noor A" in stored or "'Noor'" in stored
    assert "2016-05-04" not in stored and "Maria" not in stored


def test_a_re_import_updates_by_key_and_lists_the_leavers(runner, world, tmp_path):
    pupils = school_of_300()
    run(runner, tmp_path, edexml(pupils))
    pupils[0]["groep"] = "G11"  # moved to another group
    pupils[1]["roepnaam"] = "Daantje"  # goes by another name now
    gone = pupils.pop(2), pupils.pop(2)  # left the school
    pupils.append({"key": "9999", "roepnaam": "Nieuw", "achternaam": "Kind", "groep": "G3"})
    preview = run(runner, tmp_path, edexml(pupils), "--dry-run")
    assert "Proef: er is niets opgeslagen" in preview.output
    assert count(Pupil, Pupil.external_id == "9999") == 0
    result = run(runner, tmp_path, edexml(pupils))
    assert result.exit_code == 0, result.output
    assert "1 leerlingen toegevoegd, 2 bijgewerkt" in result.output
    assert "296 ongewijzigd" in result.output
    # the leavers: the two who left and School A's 14 pupils entered without a number
    assert "Niet (meer) in het bestand: 16 leerlingen" in result.output
    for p in gone:
        assert f"  {p['roepnaam']} A. (Groep" in result.output
    moved = db.session.scalar(select(Pupil).where(Pupil.external_id == "5000"))
    assert moved.school_class.name == "Groep 6b"
    assert db.session.scalar(select(Pupil.first_name).where(Pupil.external_id == "5001")) \
        == "Daantje"
    assert count(Pupil, Pupil.external_id.in_([p["key"] for p in gone])) == 2  # not removed


def test_pupils_entered_without_a_number_are_linked_not_doubled(world):
    """A school that moves from a CSV without numbers to EdexML keeps its pupils (and their
    cases): the same first name, initial and class get the key."""
    noor = next(p for p in world.pupils if p.first_name == "Noor")
    rows = parse_edexml(edexml(
        [{"key": "77", "roepnaam": "Noor", "achternaam": "", "groep": "G0"},
         {"key": "78", "roepnaam": "Bas", "achternaam": "", "groep": "G0"}],
        groups=[("G0", "groep 6")]))
    plan = pupil_import.plan(world.school, rows, "2026-2027")
    assert sorted(c.pupil_id for c in plan.linked) == sorted(
        p.id for p in world.pupils if p.first_name in ("Noor", "Bas"))
    assert plan.added == [] and len(plan.leavers) == 12
    pupil_import.apply(world.school, plan)
    db.session.commit()
    assert db.session.get(Pupil, noor.id).external_id == "77"
    again = pupil_import.plan(world.school, rows, "2026-2027")
    assert (again.linked, again.changed, again.unchanged) == ([], [], 2)


@pytest.mark.parametrize(("raw", "messages"), [
    (edexml([{"key": "1", "roepnaam": "Noor", "groep": "G99"}]),
     ["Regel 19, <leerling key=\"1\">: groep met key 'G99' staat niet bij <groepen>."]),
    (edexml([{"key": "1", "roepnaam": "", "voornamen": None, "groep": "G0"},
             {"key": "1", "roepnaam": "Sem", "groep": "G0"},
             {"key": "", "roepnaam": "Bo", "groep": "G0"},
             {"key": "4", "roepnaam": "Liv", "groep": None}]),
     ["Regel 19, <leerling key=\"1\">: de roepnaam ontbreekt.",
      "Regel 25, <leerling key=\"1\">: deze key staat ook op regel 19.",
      "Regel 31, <leerling>: de leerling heeft geen key (het leerlingnummer).",
      "Regel 37, <leerling key=\"4\">: de leerling heeft geen <groep>."]),
    (edexml([], groups=[("G0", ""), ("G0", "6a"), ("", "6b")]),
     ["Regel 5, <groep key=\"G0\">: de groep heeft geen <naam>.",
      "Regel 6, <groep key=\"G0\">: deze key staat ook op regel 5.",
      "Regel 7, <groep>: de groep heeft geen key."]),
    (edexml([]), ["Het bestand bevat geen leerlingen"]),
    (b'<?xml version="1.0"?>\n<EDEX>\n  <groepen>\n    <groep key="G0">\n</EDEX>\n',
     ["Regel 5: het bestand is geen geldige XML"]),
    (b'<?xml version="1.0"?>\n<leerlingen/>\n', ["Regel 1: dit is geen EdexML-bestand"]),
    (b'<?xml version="1.0"?>\n<!DOCTYPE EDEX [<!ENTITY a "aaaaaaaaaa">]>\n'
     b'<EDEX><groepen/><leerlingen/></EDEX>', ["bevat een DTD of entiteiten"]),
    (b'<?xml version="1.0"?>\n<!DOCTYPE EDEX SYSTEM "http://example.invalid/x.dtd">\n'
     b'<EDEX/>', ["bevat een DTD of entiteiten"]),
    (edexml([{"key": "1", "roepnaam": "No\u200bor", "groep": "G0"}]),
     ["Regel 19, <leerling key=\"1\">: de roepnaam is langer dan 60 tekens of bevat een "
      "onzichtbaar teken."]),
], ids=["unknown-group", "pupil-problems", "group-problems", "empty", "broken-xml",
        "other-root", "entities", "external-dtd", "invisible-character"])
def test_bad_files_say_where_and_import_nothing(runner, world, tmp_path, raw, messages):
    with pytest.raises(ImportError_) as refused:
        parse_edexml(raw)
    problems = "\n".join(refused.value.problems)
    for message in messages:
        assert message in problems, problems
    before = (count(Pupil), count(SchoolClass))
    result = run(runner, tmp_path, raw)
    assert result.exit_code != 0 and "Niets geïmporteerd" in result.output
    assert "Traceback" not in result.output
    assert (count(Pupil), count(SchoolClass)) == before


def test_an_export_is_told_apart_from_a_csv():
    assert looks_like_edexml(edexml([]))
    assert looks_like_edexml(b"\xef\xbb\xbf  <EDEX/>")
    assert looks_like_edexml('<?xml version="1.0" encoding="UTF-16"?><EDEX/>'.encode("utf-16"))
    assert not looks_like_edexml(b"voornaam;klas\nNoor;6a\n")
    assert not looks_like_edexml("voornaam;klas\n".encode("utf-16"))


def test_a_utf16_export_and_the_first_of_the_given_names(world):
    raw = edexml([{"key": "1", "roepnaam": None, "voornamen": "Zoë Anne", "achternaam": "Öz",
                   "groep": "G0"}]).decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    [row] = parse_edexml(raw.encode("utf-16"))
    assert (row.first_name, row.surname_initial, row.class_name, row.external_id) == (
        "Zoë", "Ö", "Groep 1a", "1")


def test_the_school_year_is_checked_before_anything_is_read(runner, world, tmp_path):
    """A year as classes carry it ('2026-2027'); a longer one did not fit the column."""
    path = tmp_path / "export.xml"
    path.write_bytes(edexml(school_of_300()[:2]))
    before = count(Pupil)
    for year in ("2026", "2026-2028", "2026-2027-2028", "２０２６-２０２７"):
        result = runner.invoke(args=["import-pupils", str(path), "--school", "School A",
                                     "--year", year])
        assert result.exit_code != 0 and "Schrijf het schooljaar als 2026-2027" in result.output
    assert count(Pupil) == before
