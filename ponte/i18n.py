"""Interface languages: which one a page speaks, and the strings its scripts need.

A language is offered when ``translations/<code>/LC_MESSAGES/messages.po`` exists: adding a
language is adding a catalog (``scripts/translations.sh init ur``), nothing else. English is
the language the strings are written in. A page picks its language from, in order:
``?lang=`` (remembered in a cookie), the cookie, the browser's ``Accept-Language``, Italian.

Participants' notes keep their own language (``Post.language``); this module is only about
the words of the interface.
"""

import datetime as dt
import functools
from pathlib import Path

import flask_babel
from babel import Locale, UnknownLocaleError
from babel.messages.pofile import read_po
from flask import Flask, has_request_context, request
from flask_babel import Babel, get_locale

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
SOURCE_LANGUAGE = "en"
DEFAULT_LANGUAGE = "it"
COOKIE = "ponte_lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
SCRIPTS = "static/js/"

babel = Babel()


@functools.cache
def interface_languages() -> tuple[str, ...]:
    """The languages the interface speaks: English plus every catalog, Italian first."""
    found = {SOURCE_LANGUAGE}
    if TRANSLATIONS.is_dir():
        found |= {p.parent.parent.name for p in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")}
    return tuple(sorted(found, key=lambda code: (code != DEFAULT_LANGUAGE, code)))


def offered(code: object) -> str | None:
    """Return ``code`` (or its base language, 'zh' for 'zh-CN') when the interface speaks it."""
    if not isinstance(code, str):
        return None
    code = code.strip().replace("_", "-").split("-")[0].lower()
    return code if code in interface_languages() else None


def select_language() -> str:
    if not has_request_context():
        return SOURCE_LANGUAGE  # a command or a test calling services: English
    chosen = offered(request.args.get("lang")) or offered(request.cookies.get(COOKIE))
    if chosen:
        return chosen
    return request.accept_languages.best_match(interface_languages()) or DEFAULT_LANGUAGE


def current_language() -> str:
    return str(get_locale() or DEFAULT_LANGUAGE)


@functools.cache
def is_right_to_left(code: str) -> bool:
    try:
        return Locale.parse(code).character_order == "right-to-left"
    except (ValueError, UnknownLocaleError):
        return False


@functools.cache
def language_name(code: str) -> str:
    """The language's name in itself: 'Italiano', '中文', 'العربية'; the code if unknown."""
    try:
        name = Locale.parse(code).get_display_name(code) or code
    except (ValueError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:]


@functools.cache
def script_messages(code: str) -> dict[str, str]:
    """The translated strings that ``static/js`` uses (``t("...")``), for one language."""
    catalog_path = TRANSLATIONS / code / "LC_MESSAGES" / "messages.po"
    if code == SOURCE_LANGUAGE or not catalog_path.is_file():
        return {}
    with catalog_path.open("rb") as handle:
        catalog = read_po(handle, locale=code)
    return {
        message.id: message.string
        for message in catalog
        if message.id
        and isinstance(message.id, str)
        and message.string
        and not message.fuzzy
        and any(path.startswith(SCRIPTS) for path, _line in message.locations)
    }


def long_date(value) -> str:
    """A day as the page's (or the forced) locale writes it: "17 gennaio 2026", "2026年1月17日"."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        value = value.date()
    return flask_babel.format_date(value, format="long")


def number(value) -> str:
    """A number as the locale writes it (1,5 in Italian, 1.5 in English)."""
    return flask_babel.format_decimal(value)


def page_language() -> dict:
    """What a template needs to speak the page's language (see templates/base.html)."""
    code = current_language()
    return {
        "code": code,
        "dir": "rtl" if is_right_to_left(code) else "ltr",
        "choices": [(c, language_name(c)) for c in interface_languages()],
    }


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    babel.init_app(app, locale_selector=select_language)
    app.add_template_filter(long_date, "long_date")
    app.add_template_filter(number, "number")

    @app.context_processor
    def _language():
        language = page_language()
        return {
            "page_language": language,
            "language_name": language_name,
            "script_i18n": {
                "language": language["code"],
                "dir": language["dir"],
                "messages": script_messages(language["code"]),
            },
        }

    @app.after_request
    def _remember(response):
        chosen = offered(request.args.get("lang"))
        if chosen and request.cookies.get(COOKIE) != chosen:
            response.set_cookie(
                COOKIE,
                chosen,
                max_age=COOKIE_MAX_AGE,
                samesite="Lax",
                secure=app.config.get("SESSION_COOKIE_SECURE", False),
                httponly=True,
            )
        return response
