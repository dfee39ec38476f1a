"""One error type for refusals, and how it reaches HTTP clients (JSON for the API)."""

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from ponte.extensions import db

log = logging.getLogger("ponte")


class PonteError(Exception):
    """A refusal with a stable machine code, a human message and an HTTP status."""

    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message}


def error_body(code: str, message: str) -> dict:
    """Return the JSON body every refusal uses: ``{"error": {"code", "message"}}``."""
    return {"error": {"code": code, "message": message}}


HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    429: "too_many_requests",
}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def register_error_handlers(app: Flask) -> None:
    """Answer API errors as JSON and page errors as a plain page, never with a stack trace."""

    @app.errorhandler(PonteError)
    def _ponte_error(error: PonteError):
        db.session.rollback()  # release the write lock before the response goes out
        log.info("refused %s %s: %s", request.method, request.path, error.code)
        if _wants_json():
            return jsonify(error_body(error.code, error.message)), error.status
        return render_template("error.html", message=error.message), error.status

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        db.session.rollback()
        status = error.code or 500
        code = HTTP_CODES.get(status, "error")
        if _wants_json():
            message = error.description if status != 429 else _("Too many tries. Wait a minute.")
            return jsonify(error_body(code, message)), status
        return render_template("error.html", message=error.description), status

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        db.session.rollback()
        log.exception("unexpected error on %s %s", request.method, request.path)
        message = _("Something went wrong on the server.")
        if _wants_json():
            return jsonify(error_body("internal", message)), 500
        return render_template("error.html", message=message), 500
