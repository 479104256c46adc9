"""The admins' upload page for a pupil export: a preview of what will change before anything
is saved, the confirmation saves exactly that preview (or shows the new one when the pupils
changed in between), a second tap does nothing more, and bad files import nothing."""

from __future__ import annotations

import io
import re

from steungroep.core.extensions import db
from steungroep.models import AuditEntry, Pupil, SchoolClass

from .. import factories as f
from ..pages import count, visible_text
from .edexml_files import edexml, school_of_300


def upload(client, world, raw: bytes, name: str = "export.xml", year: str = "2026-2027"):
    return client.post("/beheer/leerlingen/importeren", data={
        "school": str(world.school.id), "school_year": year,
        "bestand": (io.BytesIO(raw), name)}, content_type="multipart/form-data")


def confirm_form(response) -> dict:
    html = response.get_data(as_text=True)
    return {name: re.search(rf'name="{name}" value="([^"]+)"', html).group(1)
            for name in ("token", "fingerprint")}


def test_preview_then_import(client, world, login):
    login(world.admin)
    before = count(Pupil)
    preview = upload(client, world, edexml(school_of_300()))
    assert preview.status_code == 200
    page = visible_text(preview)
    assert "300 nieuw" in page and "Nieuwe klassen: Groep 1a, Groep 1b" in page
    assert "Niet (meer) in het bestand: 14 leerlingen" in page  # School A's own, no number
    assert count(Pupil) == before  # nothing saved by the preview
    done = client.post("/beheer/leerlingen/importeren/bevestigen", data=confirm_form(preview))
    assert done.status_code == 302
    assert count(Pupil) == before + 300
    follow = visible_text(client.get(done.headers["Location"]))
    assert "300 leerlingen toegevoegd, 0 bijgewerkt" in follow
    assert "14 leerlingen staan niet (meer) in het bestand" in follow
    assert count(AuditEntry, AuditEntry.what.like("leerlingen geïmporteerd: 300 nieuw%")) == 1
    # a second tap on "Importeren": nothing more happens, and it says so
    again = client.post("/beheer/leerlingen/importeren/bevestigen", data=confirm_form(preview))
    assert again.status_code == 302 and count(Pupil) == before + 300
    assert "Deze import is al verwerkt." in visible_text(client.get(again.headers["Location"]))


def test_a_change_in_between_shows_the_new_preview(client, world, login):
    login(world.admin)
    pupils = school_of_300()[:5]
    preview = upload(client, world, edexml(pupils))
    # someone else imports part of it meanwhile
    db.session.add(Pupil(school_id=world.school.id, external_id="5000", first_name="Noor",
                         surname_initial="A", school_class=world.school.classes[0]))
    db.session.commit()
    response = client.post("/beheer/leerlingen/importeren/bevestigen",
                           data=confirm_form(preview))
    assert response.status_code == 409
    page = visible_text(response)
    assert "Sinds het voorbeeld zijn de leerlingen van deze school veranderd" in page
    assert "4 nieuw" in page and "1 bijgewerkt" in page
    assert count(Pupil, Pupil.external_id.is_not(None)) == 1
    done = client.post("/beheer/leerlingen/importeren/bevestigen", data=confirm_form(response))
    assert done.status_code == 302 and count(Pupil, Pupil.external_id.is_not(None)) == 5


def test_bad_files_and_forms_say_what_to_do(client, world, login):
    login(world.admin)
    before = (count(Pupil), count(SchoolClass))
    broken = upload(client, world, edexml([{"key": "1", "roepnaam": "Noor", "groep": "G99"}]))
    assert broken.status_code == 422
    assert "Er is niets geïmporteerd" in visible_text(broken)
    assert "Regel 19, &lt;leerling key=&#34;1&#34;&gt;: groep met key" in broken.get_data(
        as_text=True)
    no_file = client.post("/beheer/leerlingen/importeren", data={
        "school": str(world.school.id), "school_year": "2026-2027"})
    assert no_file.status_code == 422 and "Kies het bestand" in visible_text(no_file)
    bad_year = upload(client, world, edexml(school_of_300()[:2]), year="26/27")
    assert bad_year.status_code == 422 and "Schrijf het schooljaar als" in visible_text(bad_year)
    assert 'value="26/27"' in bad_year.get_data(as_text=True)  # what was typed stays
    other = client.post("/beheer/leerlingen/importeren", data={
        "school": str(world.other_school.id), "school_year": "2026-2027",
        "bestand": (io.BytesIO(b"voornaam;klas\nMila;4\n"), "l.csv")},
        content_type="multipart/form-data")
    assert other.status_code == 422 and "Kies de school." in visible_text(other)
    nul = upload(client, world, b"voornaam;klas\nMila;groep 4\n\x00;x\n", name="l.csv")
    assert nul.status_code == 422 and "UTF-16 zonder kenmerk" in visible_text(nul)
    too_big = upload(client, world, b"x" * (3 * 1024 * 1024))
    assert too_big.status_code == 413
    forged = client.post("/beheer/leerlingen/importeren/bevestigen",
                         data={"token": "nep", "fingerprint": "nep"})
    assert forged.status_code == 302
    assert "Dit voorbeeld is verlopen" in visible_text(client.get(forged.headers["Location"]))
    assert (count(Pupil), count(SchoolClass)) == before


def test_a_csv_export_previews_the_same_way(client, world, login):
    login(world.admin)
    preview = upload(client, world, b"voornaam;achternaam;klas;leerlingnummer\n"
                     b"Mila;de Vries;groep 4;1001\n", name="leerlingen.csv")
    assert preview.status_code == 200 and "1 nieuw" in visible_text(preview)


def test_a_preview_belongs_to_the_admin_who_made_it(client, world, login):
    other_admin = f.make_user("Beheer A2", "beheer2@a.example", "admin", world.school)
    db.session.commit()
    login(world.admin)
    preview = upload(client, world, edexml(school_of_300()[:3]))
    login(other_admin)
    response = client.post("/beheer/leerlingen/importeren/bevestigen",
                           data=confirm_form(preview))
    assert response.status_code == 302 and count(Pupil, Pupil.external_id.is_not(None)) == 0


def test_only_admins_import(client, world, login):
    for user in (world.teacher, world.coordinator):
        login(user)
        assert client.get("/beheer/leerlingen/importeren").status_code == 404
        assert upload(client, world, edexml(school_of_300()[:1])).status_code == 404
