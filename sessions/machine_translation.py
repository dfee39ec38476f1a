"""Machine translation providers: a draft for a mediator to check, never the last word.

Off by default. ``PONTE_LIBRETRANSLATE_URL`` (and ``PONTE_LIBRETRANSLATE_KEY`` when the
server wants one) turns on the one real client here, for a self-hosted LibreTranslate server
(https://libretranslate.com, ``POST /translate``): notes of vulnerable people are not sent to
a third party. Another provider is a class with a ``name`` and a ``translate`` method,
returned by ``provider()``.
"""

from typing import Protocol

import requests
from flask import current_app
from flask_babel import gettext as _

from ponte.errors import PonteError

TIMEOUT_SECONDS = 10


class Provider(Protocol):
    name: str

    def translate(self, text: str, source: str, target: str) -> str:
        """Return ``text`` (in language ``source``) translated into ``target``."""


class LibreTranslate:
    """A client for a LibreTranslate server's ``/translate`` endpoint."""

    name = "LibreTranslate"

    def __init__(self, url: str, api_key: str | None = None, timeout: float = TIMEOUT_SECONDS):
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout

    def translate(self, text: str, source: str, target: str) -> str:
        body = {"q": text, "source": source, "target": target, "format": "text"}
        if self.api_key:
            body["api_key"] = self.api_key
        try:
            response = requests.post(f"{self.url}/translate", json=body, timeout=self.timeout)
            answer = response.json()
        except (requests.RequestException, ValueError):
            current_app.logger.warning("LibreTranslate at %s did not answer", self.url)
            raise PonteError(
                "translation_failed", _("The machine translation service did not answer."), 502
            ) from None
        if response.status_code != 200 or not isinstance(answer, dict):
            current_app.logger.warning(
                "LibreTranslate refused %s->%s: %s %s", source, target, response.status_code, answer
            )
            raise PonteError(
                "translation_failed",
                _("The machine translation service could not translate this note."),
                502,
            )
        translated = answer.get("translatedText")
        if not isinstance(translated, str) or not translated.strip():
            raise PonteError(
                "translation_failed",
                _("The machine translation service could not translate this note."),
                502,
            )
        return translated


def provider() -> Provider | None:
    """The configured provider, or None when machine translation is off."""
    url = current_app.config.get("PONTE_LIBRETRANSLATE_URL")
    if not url:
        return None
    return LibreTranslate(url, current_app.config.get("PONTE_LIBRETRANSLATE_KEY"))
