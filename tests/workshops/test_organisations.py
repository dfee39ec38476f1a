"""Organisations, accounts and who sees which process; the admin page; create-account.

The route-by-route answers of every role (an account of organisation A on B's process, staff
of an organisation the process is shared with, a trainer not on its team) are in
tests/test_route_permissions.py; this file follows a few people through whole stories."""

import io
import re

import sqlalchemy as sa
from PIL import Image

from ponte.extensions import db
from sessions import services as session_services
from sessions.access import viewer_for_account
from workshops import services
from workshops.access import process_role, visible_workshops
from workshops.models import Account, Organisation, ProcessTrainer, Workshop

PASSWORD = "a long password"


def login(client, email, password=PASSWORD):
    return client.post("/login", data={"email": email, "password": password})


def account(email, role="trainer", organisation=None, name=None):
    made = services.create_account(email, name or email.split("@")[0], PASSWORD, role, organisation)
    db.session.commit()
    return made


def titles(page: str) -> list[str]:
    return re.findall(r'<strong>([^<]+)</strong><span class="muted">', page)


def test_a_trainer_sees_the_processes_they_are_on_and_staff_their_organisations(client):
    prato = services.create_organisation("Comune di Prato", "city")
    pistoia = services.create_organisation("Comune di Pistoia", "city")
    tina = account("tina@prato.example", organisation=prato)
    toni = account("toni@prato.example", organisation=prato)
    staff = account("staff@prato.example", "staff", prato)
    other = account("staff@pistoia.example", "staff", pistoia)
    mine = services.create_workshop("Prato ascolta", "Prato", "it", tina)
    theirs = services.create_workshop("Pistoia ascolta", "Pistoia", "it", other)
    db.session.commit()

    assert [w.title for w in db.session.scalars(visible_workshops(tina))] == ["Prato ascolta"]
    assert list(db.session.scalars(visible_workshops(toni))) == []  # not on its team
    assert [w.title for w in db.session.scalars(visible_workshops(staff))] == ["Prato ascolta"]
    assert process_role(staff, mine) == "staff" and process_role(other, mine) is None
    assert process_role(tina, theirs) is None

    # Running a session of the process puts a trainer on its team.
    session_services.create_session(mine, "listening", "Ascolto", trainer_id=toni.id)
    db.session.commit()
    assert process_role(toni, mine) == "trainer"
    login(client, toni.email)
    assert titles(client.get("/workshops").get_data(as_text=True)) == ["Prato ascolta"]
    # Pistoia's process does not exist for them: the same answer as an id nobody has.
    assert client.get(f"/workshops/{theirs.id}").status_code == 404
    assert client.get("/workshops/999999").status_code == 404


def test_a_region_reads_its_districts_process_and_changes_nothing(client):
    region = services.create_organisation("Regione Toscana", "region")
    district = services.create_organisation("Distretto Pratese", "city")
    trainer = account("t@district.example", organisation=district)
    reader = account("staff@region.example", "staff", region)
    workshop = services.create_workshop("Distretto", "Prato", "it", trainer)
    ws = session_services.create_session(workshop, "listening", "Ascolto", trainer_id=trainer.id)
    session_services.open_session(ws)
    db.session.commit()
    assert process_role(reader, workshop) is None

    services.set_shares(workshop, [region.id])
    db.session.commit()
    assert process_role(reader, workshop) == "observer"
    assert viewer_for_account(reader, ws.id).role == "observer"
    login(client, reader.email)
    assert client.get(f"/workshops/{workshop.id}").status_code == 200
    assert client.get(f"/sessions/{ws.id}").status_code == 200
    assert client.post(f"/sessions/{ws.id}/close", data={}).status_code == 403
    assert client.get(f"/workshops/{workshop.id}/people").status_code == 403
    assert client.get(f"/workshops/{workshop.id}/export.xlsx").status_code == 403
    assert client.get(f"/workshops/{workshop.id}/settings").status_code == 403
    # A trainer of the region does not read it: sharing is for the region's staff.
    region_trainer = account("t@region.example", "trainer", region)
    assert process_role(region_trainer, workshop) is None


def test_an_admin_invites_resets_and_deactivates(client, app):
    city = services.create_organisation("Comune di Prato", "city")
    admin = account("admin@prato.example", "admin", city, name="Ufficio")
    client.set_cookie("ponte_lang", "en")
    login(client, admin.email)
    page = client.post(
        "/admin/accounts",
        data={"name": "Sara Rossi", "email": "Sara@Prato.example", "role": "trainer"},
    ).get_data(as_text=True)
    link = re.search(r'value="(http://localhost/password/[^"]+)"', page).group(1)
    sara = db.session.scalar(sa.select(Account).where(Account.email == "sara@prato.example"))
    assert sara.organisation_id == city.id and sara.role == "trainer"
    # Invited: no password opens the account until the link has set one.
    assert login(app.test_client(), sara.email, "!" + sara.password_hash[1:]).status_code == 200
    # The same email twice: said, nothing made.
    again = client.post(
        "/admin/accounts", data={"name": "Sara", "email": "sara@prato.example", "role": "trainer"}
    )
    assert again.status_code == 409
    assert "An account with this email exists" in again.get_data(as_text=True)

    sara_client = app.test_client()
    sara_client.set_cookie("ponte_lang", "en")
    token = link.rsplit("/", 1)[1]
    assert sara_client.get(f"/password/{token}").status_code == 200
    short = sara_client.post(f"/password/{token}", data={"password": "short", "again": "short"})
    assert short.status_code == 200
    assert "at least 10 characters" in short.get_data(as_text=True)
    done = sara_client.post(
        f"/password/{token}", data={"password": "una password lunga", "again": "una password lunga"}
    )
    assert done.status_code == 302
    assert sara_client.get(f"/password/{token}").status_code == 404  # it worked once
    assert login(sara_client, sara.email, "una password lunga").status_code == 302
    assert sara_client.get("/workshops").status_code == 200

    # A reset: the old password stops working at once; the new link sets another.
    page = client.post(f"/admin/accounts/{sara.id}/reset", data={}).get_data(as_text=True)
    reset = re.search(r'value="http://localhost/password/([^"]+)"', page).group(1)
    assert login(app.test_client(), sara.email, "una password lunga").status_code == 200
    app.test_client().post(f"/password/{reset}", data={"password": PASSWORD, "again": PASSWORD})
    assert login(app.test_client(), sara.email).status_code == 302

    # Deactivated: logged out of the open session, and cannot log in again.
    assert client.post(f"/admin/accounts/{sara.id}/active", data={"active": "0"}).status_code == 302
    assert sara_client.get("/workshops").status_code == 302
    assert login(app.test_client(), sara.email).status_code == 200
    assert (
        client.post(f"/admin/accounts/{admin.id}/active", data={"active": "0"}).status_code == 409
    )
    client.post(f"/admin/accounts/{sara.id}/active", data={"active": "1"})
    assert login(app.test_client(), sara.email).status_code == 302


def test_an_admin_manages_only_their_organisations_accounts(client):
    city = services.create_organisation("Comune di Prato", "city")
    region = services.create_organisation("Regione Toscana", "region")
    admin = account("admin@prato.example", "admin", city)
    elsewhere = account("t@region.example", "trainer", region)
    login(client, admin.email)
    assert client.post(f"/admin/accounts/{elsewhere.id}/reset", data={}).status_code == 404
    assert client.post(f"/admin/accounts/{elsewhere.id}/active", data={}).status_code == 404
    page = client.get("/admin").get_data(as_text=True)
    assert "admin@prato.example" in page and "t@region.example" not in page


def test_an_admin_makes_another_organisation_with_its_first_admin(client, app):
    region = services.create_organisation("Regione Toscana", "region")
    admin = account("admin@regione.example", "admin", region)
    login(client, admin.email)
    page = client.post(
        "/admin/organisations",
        data={
            "organisation": "Comune di Prato",
            "kind": "city",
            "name": "Ufficio Partecipazione",
            "email": "admin@prato.example",
        },
    ).get_data(as_text=True)
    token = re.search(r'value="http://localhost/password/([^"]+)"', page).group(1)
    prato = db.session.scalar(sa.select(Organisation).where(Organisation.name == "Comune di Prato"))
    first = db.session.scalar(sa.select(Account).where(Account.email == "admin@prato.example"))
    assert prato.kind == "city" and first.organisation_id == prato.id and first.role == "admin"
    fresh = app.test_client()
    fresh.post(f"/password/{token}", data={"password": PASSWORD, "again": PASSWORD})
    assert login(fresh, first.email).status_code == 302
    assert "admin@regione.example" not in fresh.get("/admin").get_data(as_text=True)


def test_create_account_makes_the_organisation_and_prints_a_link(runner, app):
    result = runner.invoke(
        args=[
            "create-account",
            "--email",
            "admin@prato.example",
            "--name",
            "Ufficio Partecipazione",
            "--organisation",
            "Comune di Prato",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "admin admin@prato.example of Comune di Prato" in result.output
    token = re.search(r"/password/(\S+)", result.output).group(1)
    client = app.test_client()
    client.post(f"/password/{token}", data={"password": PASSWORD, "again": PASSWORD})
    assert login(client, "admin@prato.example").status_code == 302

    # A second account of the same organisation, with its password from standard input.
    result = runner.invoke(
        args=[
            "create-account",
            "--email=t@prato.example",
            "--name=Tina",
            "--organisation=Comune di Prato",
            "--role=trainer",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output and "/password/" not in result.output
    assert db.session.scalar(sa.select(sa.func.count(Organisation.id))) == 1
    assert login(app.test_client(), "t@prato.example").status_code == 302
    taken = runner.invoke(
        args=["create-account", "--email=t@prato.example", "--name=T", "--organisation=X"]
    )
    assert taken.exit_code != 0 and taken.output.startswith("Error: ")
    assert db.session.scalar(sa.select(sa.func.count(Account.id))) == 2  # nothing made


def test_settings_are_saved_and_a_wrong_one_changes_nothing(client, trainer, make_workshop):
    workshop = make_workshop()
    toni = account("toni@test.example")
    staff = account("staff@test.example", "staff")
    region = services.create_organisation("Regione Toscana", "region")
    login(client, staff.email)
    form = {
        "title": "Prato partecipa",
        "city": "Prato",
        "languages": "it, en, ar",
        "partners": "Comune di Prato\n\n  Cooperativa Alice  ",
        "funding_line": "Progetto EMBRACE",
        "eu_funded": "y",
        "eu_statement": "",
        "retention_months": "36",
        "consent_wording": "Il Report è letto dal Comune.",
        "team": [str(trainer.id), str(toni.id)],
        "shares": [str(region.id)],
    }
    assert client.post(f"/workshops/{workshop.id}/settings", data=form).status_code == 302
    db.session.expire_all()
    saved = db.session.get(Workshop, workshop.id)
    assert (saved.title, saved.languages, saved.retention_months) == (
        "Prato partecipa",
        ["it", "en", "ar"],
        36,
    )
    assert saved.partners == "Comune di Prato\nCooperativa Alice"
    assert saved.eu_funded and saved.eu_statement == "Co-funded by the European Union"
    assert {m.account_id for m in db.session.scalars(sa.select(ProcessTrainer))} == {
        trainer.id,
        toni.id,
    }
    assert [o.name for o in services.shared_with(saved)] == ["Regione Toscana"]
    page = client.get(f"/workshops/{workshop.id}/settings").get_data(as_text=True)
    assert "Il Report è letto dal Comune." in page and 'value="36"' in page

    bad = dict(form, languages="it, Italiano!", title="Changed")
    answer = client.post(f"/workshops/{workshop.id}/settings", data=bad)
    assert answer.status_code == 400 and "Italiano!" in answer.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Workshop, workshop.id).title == "Prato partecipa"

    # A trainer of the team saves the rest but cannot change who is on it or who reads it.
    client.post("/logout")
    login(client, toni.email)
    mine = dict(form, title="Prato partecipa 2", team=[str(toni.id)], shares=[])
    assert client.post(f"/workshops/{workshop.id}/settings", data=mine).status_code == 302
    db.session.expire_all()
    assert db.session.get(Workshop, workshop.id).title == "Prato partecipa 2"
    assert len(services.team(saved)) == 2 and len(services.shared_with(saved)) == 1


def test_the_board_says_the_consent_wording(client, make_session, join):
    ws = make_session()
    workshop = db.session.get(Workshop, ws.workshop_id)
    workshop.consent_wording = "Il Report è letto dal Comune."
    db.session.commit()
    joined = join(ws)
    board = client.get(
        f"/api/sessions/{ws.id}/board", headers={"Authorization": f"Bearer {joined['token']}"}
    ).get_json()
    assert board["workshop"]["consent_wording"] == "Il Report è letto dal Comune."


def png_with_alpha() -> bytes:
    image = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
    image.paste((200, 30, 40, 255), (10, 10, 90, 90))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_logos_keep_their_transparency_and_refuse_what_is_not_an_image(
    client, trainer, make_workshop, auth
):
    workshop = make_workshop()
    auth.login()
    bad = client.post(
        f"/workshops/{workshop.id}/logos",
        data={"name": "Comune", "logo": (io.BytesIO(b"<svg onload=alert(1)>"), "x.png")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 400
    unnamed = client.post(
        f"/workshops/{workshop.id}/logos",
        data={"name": " ", "logo": (io.BytesIO(png_with_alpha()), "logo.png")},
        content_type="multipart/form-data",
    )
    assert unnamed.status_code == 400
    for name in ("Comune di Prato", "Cooperativa Alice"):
        kept = client.post(
            f"/workshops/{workshop.id}/logos",
            data={"name": name, "logo": (io.BytesIO(png_with_alpha()), "logo.png")},
            content_type="multipart/form-data",
        )
        assert kept.status_code == 302
    page = client.get(f"/workshops/{workshop.id}/logos").get_data(as_text=True)
    ids = [int(i) for i in re.findall(r"/logos/(\d+)\.png", page)]
    assert len(ids) == 2 and page.index('alt="Comune di Prato"') < page.index('alt="Cooperativa')
    served = client.get(f"/workshops/{workshop.id}/logos/{ids[0]}.png")
    with Image.open(io.BytesIO(served.data)) as image:
        assert image.mode == "RGBA" and image.getpixel((0, 0))[3] == 0  # still transparent
        assert not image.info.get("exif")
    client.post(f"/workshops/{workshop.id}/logos/{ids[0]}/right", data={})
    page = client.get(f"/workshops/{workshop.id}/logos").get_data(as_text=True)
    assert page.index('alt="Cooperativa') < page.index('alt="Comune di Prato"')
    client.post(f"/workshops/{workshop.id}/logos/{ids[0]}/delete", data={})
    assert client.get(f"/workshops/{workshop.id}/logos/{ids[0]}.png").status_code == 404
