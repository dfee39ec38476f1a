"""The HTTP side of Ponte's security promises: CSRF on every form, cookies, generic errors,
login rate limits, a strict Content-Security-Policy on every page, and Socket.IO's Origin check.

Routes come from ``app.url_map`` and requests from the permission matrix
(tests/test_route_permissions.py), so a route added later is covered here too.
"""

import functools
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import requests
import socketio
from werkzeug.security import generate_password_hash

from ponte.extensions import csrf, db
from tests.conftest import TRAINER_EMAIL, TRAINER_PASSWORD
from tests.test_route_permissions import (
    MATRIX,
    PASSWORD,
    Call,
    build_world,
    expected,
    outcome,
    send,
    upload_voice,
)
from workshops import services as workshop_services

REPO = Path(__file__).resolve().parent.parent
# The token-authenticated API: a participant's token in a header, never a cookie.
CSRF_EXEMPT = {("POST", "/api/join"), ("POST", "/api/sessions/<int:session_id>/voice")}


def _discover():
    """(method, rule) of every route of a fresh app except static files, and the exempt ones."""
    from app import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    routes, exempt = set(), set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            routes.add((method, rule.rule))
            if f"{view.__module__}.{view.__name__}" in csrf._exempt_views:
                exempt.add((method, rule.rule))
    return sorted(routes), exempt


ROUTES, EXEMPT = _discover()
CSRF_ROUTES = [route for route in ROUTES if route[0] == "POST" and route not in EXEMPT]


def first_row(method: str, rule: str):
    """The first matrix row of a route (its plain variant), as (key, Call)."""
    key = next(key for key in MATRIX if key[:2] == (method, rule))
    return key, MATRIX[key][0]


@pytest.fixture(autouse=True)
def quick_passwords(monkeypatch):
    cheap = functools.partial(generate_password_hash, method="pbkdf2:sha256:1")
    monkeypatch.setattr("workshops.models.generate_password_hash", cheap)


@pytest.fixture
def app(make_app):
    """The app with CSRF protection on, as in production."""
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def world(client, make_session, trainer, join, tmp_path):
    return build_world(client, make_session, trainer, join, tmp_path)


CSRF_INPUT = re.compile(r"<input\b[^>]*\bname=\"csrf_token\"[^>]*>")


def csrf_token_of(page: str) -> str:
    tag = CSRF_INPUT.search(page)
    assert tag, "no csrf_token field on the page"
    return re.search(r'\bvalue="([^"]+)"', tag.group(0)).group(1)


def login(client, email=TRAINER_EMAIL, password=TRAINER_PASSWORD):
    """Log in through the form, with the CSRF token the login page hands out."""
    token = csrf_token_of(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return token


def snapshot() -> dict:
    """Every row of every table, to compare before and after a request."""
    db.session.rollback()  # a fresh read: the request committed on its own connection
    return {
        table.name: sorted(repr(tuple(row)) for row in db.session.execute(table.select()))
        for table in db.metadata.sorted_tables
    }


# --- CSRF --------------------------------------------------------------------------------


def test_only_the_token_authenticated_api_is_exempt_from_csrf():
    assert EXEMPT == CSRF_EXEMPT
    assert not csrf._exempt_blueprints


@pytest.mark.parametrize("route", CSRF_ROUTES, ids=" ".join)
@pytest.mark.parametrize("forged", [None, "forged-token"], ids=["no token", "wrong token"])
def test_every_form_refuses_a_post_without_its_csrf_token(route, forged, client, world):
    token = login(client)
    key, call = first_row(*route)
    body = world.fill(call.data or {})
    before = snapshot()
    sent = {**body, "csrf_token": forged} if forged else body
    response = client.post(world.fill(call.path), data=sent)
    assert response.status_code == 400, (route, response.status_code)
    assert snapshot() == before, route
    assert client.get("/workshops").status_code == 200  # still logged in: nothing changed
    # The same request with the page's token is answered as the matrix says.
    answer = client.post(world.fill(call.path), data={**body, "csrf_token": token})
    assert outcome(answer) == expected(key)["trainer"], (route, answer.status_code)


def test_the_exempt_api_needs_no_csrf_token(client, world):
    joined = client.post(
        "/api/join",
        json={"code": world.join_code, "name": "Li", "role": "migrant", "language": "zh"},
    )
    assert joined.status_code == 200
    assert upload_voice(client, world.session_id, joined.get_json()["token"])["kind"] == "voice"


# --- cookies -----------------------------------------------------------------------------


def cookie_attributes(response, name: str) -> dict[str, str]:
    """The attributes of the Set-Cookie header for ``name``: {"secure": "", "samesite": "Lax"}."""
    for header in response.headers.getlist("Set-Cookie"):
        first, *attributes = [part.strip() for part in header.split(";")]
        if first.split("=", 1)[0] == name:
            return {
                part.split("=", 1)[0].lower(): (part.split("=", 1) + [""])[1] for part in attributes
            }
    raise AssertionError(f"no {name} cookie in {response.headers.getlist('Set-Cookie')}")


@pytest.mark.parametrize("secure", [True, False])
def test_the_session_and_language_cookies_are_http_only_and_same_site(
    secure, make_app, monkeypatch
):
    if secure:
        monkeypatch.setenv("PONTE_SECURE_COOKIES", "1")
    else:
        monkeypatch.delenv("PONTE_SECURE_COOKIES", raising=False)
    app = make_app()
    with app.app_context():
        workshop_services.create_account(TRAINER_EMAIL, "Tina", TRAINER_PASSWORD)
        db.session.commit()
    client = app.test_client()
    logged_in = client.post("/login", data={"email": TRAINER_EMAIL, "password": TRAINER_PASSWORD})
    assert logged_in.status_code == 302
    language = client.get("/login?lang=en")
    for response, name in ((logged_in, "session"), (language, "ponte_lang")):
        attributes = cookie_attributes(response, name)
        assert "httponly" in attributes, name
        assert attributes.get("samesite", "").lower() == "lax", name
        assert ("secure" in attributes) is secure, name


# --- errors ------------------------------------------------------------------------------

SECRET = "secret detail /work/main"


def assert_generic(response) -> None:
    body = response.get_data(as_text=True)
    for leak in ("Traceback", "RuntimeError", "secret detail", str(REPO), "/work/main", '.py"'):
        assert leak not in body, leak
    assert "site-packages" not in body and "werkzeug" not in body.lower()
    assert "Content-Security-Policy" in response.headers


@pytest.fixture
def failing_app(make_app):
    """An app with two routes that fail unexpectedly: a page and an API endpoint."""
    app = make_app()

    def boom():
        raise RuntimeError(SECRET)

    app.add_url_rule("/test-boom", "test_boom", boom)
    app.add_url_rule("/api/test-boom", "test_api_boom", boom)
    return app


def test_an_unexpected_error_in_a_page_is_a_generic_500(failing_app):
    response = failing_app.test_client().get("/test-boom")
    assert response.status_code == 500
    assert response.mimetype == "text/html"
    assert_generic(response)


def test_an_unexpected_error_in_the_api_is_a_generic_json_500(failing_app):
    response = failing_app.test_client().get("/api/test-boom")
    assert response.status_code == 500
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == "internal"
    assert_generic(response)


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/no-such-page/../etc/passwd", 404, None),
        ("GET", "/api/no-such-thing", 404, "not_found"),
        ("GET", "/logout", 405, None),
        ("GET", "/api/join", 405, "method_not_allowed"),
        ("DELETE", "/workshops", 405, None),
    ],
)
def test_not_found_and_method_not_allowed_are_generic(client, method, path, status, code):
    response = client.open(path, method=method)
    assert response.status_code == status
    assert_generic(response)
    if code is None:
        assert response.mimetype == "text/html"
    else:
        assert response.get_json()["error"]["code"] == code


# --- rate limits -------------------------------------------------------------------------


def test_login_is_refused_with_429_after_the_limit_from_one_address(make_app):
    app = make_app(PONTE_LOGIN_LIMIT="3 per minute")
    with app.app_context():
        workshop_services.create_account(TRAINER_EMAIL, "Tina", TRAINER_PASSWORD)
        db.session.commit()
    client = app.test_client()
    wrong = {"email": TRAINER_EMAIL, "password": "guess"}
    right = {"email": TRAINER_EMAIL, "password": TRAINER_PASSWORD}
    for _ in range(3):
        assert client.post("/login", data=wrong).status_code == 200  # the form, again
    assert client.post("/login", data=wrong).status_code == 429
    # Now even the right password is refused, and no session is opened.
    refused = client.post("/login", data=right)
    assert refused.status_code == 429
    assert "session" not in {h.split("=", 1)[0] for h in refused.headers.getlist("Set-Cookie")}
    assert client.get("/workshops").status_code == 302
    # A forged X-Forwarded-For does not buy a fresh allowance (no proxy is trusted by default).
    spoofed = client.post("/login", data=right, headers={"X-Forwarded-For": "203.0.113.9"})
    assert spoofed.status_code == 429
    assert client.get("/login").status_code == 200  # only attempts are counted
    # Another address (another laptop on the Wi-Fi) still logs in.
    other = app.test_client()
    answer = other.post("/login", data=right, environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert answer.status_code == 302


# --- Content-Security-Policy -------------------------------------------------------------


class PageScripts(HTMLParser):
    """Collect what a strict CSP would block: inline scripts, event handlers, javascript: URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.posting_forms = 0
        self.forms_with_token = 0
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            source = attributes.get("src")
            if source is None and attributes.get("type") != "application/json":
                self.problems.append(f"inline <script {attrs}>")
            if source is not None and not source.startswith("/"):
                self.problems.append(f"foreign script {source}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower(
            ).startswith("javascript:"):  # fmt: skip
                self.problems.append(f"<{tag} {name}={value}>")
        if tag == "form" and (attributes.get("method") or "get").lower() == "post":
            self.posting_forms += 1
            self._form = {"token": False}
        if tag == "input" and self._form is not None and attributes.get("name") == "csrf_token":
            if attributes.get("value"):
                self._form["token"] = True

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms_with_token += self._form["token"]
            self._form = None


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def assert_strict_csp(response) -> None:
    header = response.headers.get("Content-Security-Policy", "")
    directives = csp_directives(header)
    assert directives.get("script-src") == ["'self'"], header
    assert directives.get("object-src") == ["'none'"], header
    assert directives.get("frame-ancestors") == ["'none'"], header
    assert "'unsafe-inline'" not in header and "'unsafe-eval'" not in header, header


GET_ROWS = [key for key in MATRIX if key[0] == "GET"]


def viewer_for_row(key) -> str:
    """The trainer, or the first role the row lets in (staff for the report, the projector)."""
    cells = expected(key)
    for role in ("trainer", "staff", "projector", "anonymous"):
        if cells[role] == "ok":
            return role
    return "trainer"  # nobody gets in: check the error page the trainer sees


def assert_page_runs_only_our_scripts(response, key) -> None:
    page = PageScripts()
    page.feed(response.get_data(as_text=True))
    page.close()
    assert page.problems == [], (key, page.problems)
    assert page.forms_with_token == page.posting_forms, key  # every form can be submitted


@pytest.mark.parametrize("key", GET_ROWS, ids=lambda key: " ".join(filter(None, key[1:])))
def test_every_page_has_a_strict_csp_and_no_inline_script(key, client, world):
    """As the trainer (or whoever the row lets in), and as someone not logged in."""
    role = viewer_for_row(key)
    if role in ("trainer", "staff"):
        login(client, world.emails[role], TRAINER_PASSWORD if role == "trainer" else PASSWORD)
    stranger = client.application.test_client()
    call: Call = MATRIX[key][0]
    for who, browser in ((role, client), ("anonymous", stranger)):
        headers = {"X-Projector-Key": world.projector_key} if who == "projector" else {}
        response = send(browser, world, who, call, headers)
        assert_strict_csp(response)  # every answer carries it, pages or not
        if response.mimetype == "text/html":
            assert_page_runs_only_our_scripts(response, (key, who))


# --- Socket.IO: only this server's own pages may open a connection -----------------------


def socket_client(transport: str, origin: str) -> tuple[socketio.Client, dict]:
    """A client that sends exactly ``origin`` (websocket-client adds its own unless told not to)."""
    client = socketio.Client(reconnection=False, websocket_extra_options={"suppress_origin": True})
    return client, {"headers": {"Origin": origin}, "transports": [transport], "wait_timeout": 5}


@pytest.mark.parametrize("transport", ["polling", "websocket"])
def test_socket_io_refuses_another_origin_and_accepts_its_own(live_server, transport):
    code = live_server.demo["sessions"][0]["join_code"]
    body = {"code": code, "name": "Amina", "role": "migrant", "language": "ar"}
    joined = requests.post(live_server.url + "/api/join", json=body, timeout=5)
    joined.raise_for_status()
    auth = {"token": joined.json()["token"]}

    evil, options = socket_client(transport, "http://evil.example")
    with pytest.raises(socketio.exceptions.ConnectionError):
        evil.connect(live_server.url, auth=auth, **options)
    assert not evil.connected
    assert "http://evil.example is not an accepted origin" in live_server.log()

    own, options = socket_client(transport, live_server.url)
    own.connect(live_server.url, auth=auth, **options)
    try:
        assert own.connected
        assert own.call("sync", {"since": 0}, timeout=5)["ok"] is True
    finally:
        own.disconnect()
