"""Logging in, and creating processes."""

import pytest
import sqlalchemy as sa

from ponte.extensions import db
from tests.conftest import TRAINER_PASSWORD
from workshops.models import Account, Workshop


def test_passwords_are_stored_hashed(trainer):
    stored = db.session.scalar(sa.select(Account.password_hash))
    assert TRAINER_PASSWORD not in stored and trainer.check_password(TRAINER_PASSWORD)


def test_login_and_logout(client, auth):
    assert auth.login(password="wrong").status_code == 200
    assert client.get("/workshops").status_code == 302
    assert auth.login().headers["Location"] == "/workshops"
    assert client.get("/workshops").status_code == 200
    auth.logout()
    assert client.get("/workshops").status_code == 302


def test_wrong_password_says_so(client, auth):
    client.set_cookie("ponte_lang", "en")  # the page is checked for its English words
    page = auth.login(password="nope").data.decode()
    assert "Wrong email or password" in page


@pytest.mark.parametrize(
    "path", ["/workshops", "/workshops/1", "/sessions/1", "/sessions/1/qr.svg"]
)
def test_staff_pages_need_a_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_trainer_creates_a_process(client, auth):
    auth.login()
    response = client.post(
        "/workshops", data={"title": "Ascolto Prato", "city": "Prato", "languages": "it, en zh;ar"}
    )
    workshop = db.session.scalar(sa.select(Workshop))
    assert response.headers["Location"] == f"/workshops/{workshop.id}"
    assert workshop.languages == ["it", "en", "zh", "ar"]
    assert "Ascolto Prato" in client.get("/workshops").data.decode()


def test_a_bad_language_list_is_explained(client, auth):
    client.set_cookie("ponte_lang", "en")  # the page is checked for its English words
    auth.login()
    page = client.post(
        "/workshops", data={"title": "T", "city": "C", "languages": "italiano!"}
    ).data.decode()
    assert "is not a language code" in page
    assert db.session.scalar(sa.select(sa.func.count(Workshop.id))) == 0


def test_forms_need_a_csrf_token(client, auth, app):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/login", data={"email": "a@b.c", "password": "x"})
    assert response.status_code == 400
