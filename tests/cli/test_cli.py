"""The Flask CLI commands: demo, import-pupils. (setup, create-school, create-user and
reset-link: test_setup.py; remove-demo and the demo on a real database:
test_demo.py.)"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from steungroep.admin.importer import ImportError_, parse_pupils
from steungroep.core.extensions import db
from steungroep.models import Case, Pupil, School, SchoolClass, User

from ..pages import count


def test_demo_prints_the_port_it_is_served_on(runner, monkeypatch):
    """make run PORT=5050 serves on 5050, and the demo says so."""
    monkeypatch.setenv("PORT", "5050")
    assert "http://127.0.0.1:5050" in runner.invoke(args=["demo"]).output


def test_demo_is_idempotent(runner):
    """Running `flask demo` twice gives one demo school and prints the logins."""
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "anne@vlinder.example" in first.output and "wachtwoord" in first.output
    assert first.output.count("wachtwoord: ") == 6  # five staff and the board admin
    counts = (count(School), count(Pupil), count(User), count(Case))
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0
    assert (count(School), count(Pupil), count(User), count(Case)) == counts
    assert second.output == first.output
    assert counts[1] > 50 and counts[3] == 4


def test_import_pupils_semicolon_export(runner, world, tmp_path):
    """A ParnasSys-style export (semicolons, Dutch headers) is imported; surnames shrink to
    an initial; a second import matches by leerlingnummer (and a pupil without one by name,
    initial and class) instead of duplicating."""
    path = tmp_path / "leerlingen.csv"
    path.write_text(
        "Voornaam;Achternaam;Groep;Leerlingnummer\n"
        "Mila;de Vries;groep 4;1001\n"
        "Jan;Bakker;groep 4;1002\n"
        "Sara;;groep 5;\n",
        encoding="utf-8-sig",
    )
    args = ["import-pupils", str(path), "--school", "School A", "--year", "2026-2027"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "3 leerlingen toegevoegd" in result.output
    mila = db.session.scalar(select(Pupil).where(Pupil.first_name == "Mila"))
    assert mila.surname_initial == "D" and mila.school_class.name == "groep 4"
    again = runner.invoke(args=args)
    assert "0 leerlingen toegevoegd, 0 bijgewerkt" in again.output
    assert "3 ongewijzigd" in again.output
    assert count(Pupil) == 14 + 8 + 3  # world pupils, plus 3; Sara (no number) not twice
    # School A's own 14 pupils are not in the file: listed, not removed
    assert "Niet (meer) in het bestand: 14 leerlingen" in again.output


def test_import_bad_rows_import_nothing(runner, world, tmp_path):
    """Bad rows are reported by line number and nothing at all is imported."""
    path = tmp_path / "fout.csv"
    path.write_text(
        "voornaam,klas,leerlingnummer\nMila,groep 4,1\n,groep 4,2\nJan,,3\nEva,groep 4,1\n"
    )
    before = (count(Pupil), count(SchoolClass))
    result = runner.invoke(args=["import-pupils", str(path), "--school", "School A",
                                 "--year", "2026-2027"])
    assert result.exit_code != 0
    assert "Regel 3" in result.output and "Regel 4" in result.output and "Regel 5" in result.output
    assert "Niets geïmporteerd" in result.output
    assert (count(Pupil), count(SchoolClass)) == before


def test_import_unknown_school(runner, world, tmp_path):
    """An unknown school name is a clear error."""
    path = tmp_path / "l.csv"
    path.write_text("voornaam;klas\nMila;groep 4\n")
    result = runner.invoke(args=["import-pupils", str(path), "--school", "Nergens",
                                 "--year", "2026-2027"])
    assert result.exit_code != 0 and "bestaat niet" in result.output


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "leeg"),
        ("naam;groep\nMila;4\n", "voornaam"),
        ("voornaam;klas\n", "geen leerlingen"),
        ("voornaam;klas\n" + "x" * 61 + ";groep 4\n", "60 tekens"),
    ],
)
def test_parse_pupils_problems(text, problem):
    """The parser explains what is wrong with a file, in Dutch."""
    with pytest.raises(ImportError_) as info:
        parse_pupils(text)
    assert problem in str(info.value)
