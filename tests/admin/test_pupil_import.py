"""The pupil import as real exports arrive: every encoding Excel and the pupil administrations
write, duplicates, characters that break e-mails, and files far too big. A bad file imports
nothing and says per line what is wrong."""

from __future__ import annotations

import codecs

import pytest
from sqlalchemy import select

from steungroep.admin.importer import MAX_ROWS, ImportError_, decode, parse_pupils
from steungroep.core.extensions import db
from steungroep.models import Pupil, SchoolClass

from ..pages import count

CSV = "Voornaam;Achternaam;Groep;Leerlingnummer\nZoë;Özdemir;groep 4;1001\nAndré;Bakker;groep 4;\n"


def run_import(runner, tmp_path, raw: bytes):
    path = tmp_path / "leerlingen.csv"
    path.write_bytes(raw)
    return runner.invoke(args=["import-pupils", str(path), "--school", "School A",
                               "--year", "2026-2027"])


@pytest.mark.parametrize(
    "raw",
    [
        CSV.encode("utf-8"),
        codecs.BOM_UTF8 + CSV.encode("utf-8"),
        CSV.encode("utf-16"),  # with its BOM, as Excel's "Unicode text" writes it
        codecs.BOM_UTF16_BE + CSV.encode("utf-16-be"),
        CSV.encode("cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "cp1252"],
)
def test_every_encoding_of_an_export_reads_the_same_names(runner, world, tmp_path, raw):
    result = run_import(runner, tmp_path, raw)
    assert result.exit_code == 0, result.output
    names = {p.first_name: p.surname_initial for p in db.session.scalars(
        select(Pupil).where(Pupil.first_name.in_(["Zoë", "André"])))}
    assert names == {"Zoë": "Ö", "André": "B"}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (CSV.encode("utf-16-le"), "UTF-16 zonder kenmerk"),
        (b"voornaam;klas\nMila;groep 4\n" + b"Ja\x81n;groep 4\n", "Regel 3"),
        (b"x" * (2 * 1024 * 1024 + 1), "hooguit 2 MB"),
    ],
    ids=["utf-16-without-bom", "undefined-byte", "too-big"],
)
def test_unreadable_files_are_refused_with_what_to_do(runner, world, tmp_path, raw, message):
    before = (count(Pupil), count(SchoolClass))
    result = run_import(runner, tmp_path, raw)
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert message in result.output and "Niets geïmporteerd" in result.output
    assert (count(Pupil), count(SchoolClass)) == before


def test_a_ten_megabyte_file_is_refused_before_it_is_read(runner, world, tmp_path):
    rows = "".join(f"Kind{n};groep 4;{n}\n" for n in range(420_000))
    result = run_import(runner, tmp_path, ("voornaam;klas;leerlingnummer\n" + rows).encode())
    assert result.exit_code != 0 and "MB" in result.output
    assert count(Pupil) == 22


def test_too_many_rows_are_refused():
    text = "voornaam;klas\n" + "".join(f"Kind{n};groep 4\n" for n in range(MAX_ROWS + 1))
    with pytest.raises(ImportError_) as info:
        parse_pupils(text)
    assert f"meer dan {MAX_ROWS} leerlingen" in str(info.value)


def test_a_pupil_twice_is_reported_by_both_lines():
    text = "voornaam;achternaam;klas\nMila;de Vries;groep 4\nJan;;groep 4\nmila;Dekker;groep 4\n"
    with pytest.raises(ImportError_) as info:
        parse_pupils(text)
    assert info.value.problems == [
        "Regel 4: mila D (groep 4) staat ook op regel 2. Zet een leerlingnummer erbij als het "
        "twee leerlingen zijn, of haal de dubbele regel weg."
    ]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('voornaam;klas\n"Mi\nla";groep 4\nJan;groep 4\n', 2),
        ('voornaam;klas\nJan;groep 4\n"Mila";"groep\n4"\n', 3),
        ("voornaam;klas\nJan;groep 4\nMi\tla;groep 4\n", 3),
        ("voornaam;klas\nJan;groep 4\nJan;groep 4\u200b5\n", 3),
    ],
    ids=["newline-in-name", "newline-in-class", "tab", "zero-width-space"],
)
def test_line_breaks_and_invisible_characters_are_refused_by_line(text, line):
    with pytest.raises(ImportError_) as info:
        parse_pupils(text)
    assert len(info.value.problems) == 1
    assert info.value.problems[0].startswith(f"Regel {line}: ")
    assert "regeleinde, tab of onzichtbaar teken" in info.value.problems[0]


def test_line_numbers_count_lines_of_the_file_after_a_quoted_line_break():
    text = 'voornaam;klas\n"Mi\nla";groep 4\n;groep 4\n'
    with pytest.raises(ImportError_) as info:
        parse_pupils(text)
    assert any(p.startswith("Regel 4: de voornaam ontbreekt") for p in info.value.problems)


def test_decode_prefers_utf8_and_falls_back_to_windows_1252():
    assert decode("Zoë".encode()) == "Zoë"
    assert decode("Zoë €".encode("cp1252")) == "Zoë €"
