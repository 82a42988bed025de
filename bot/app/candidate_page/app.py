"""The candidate's self-scheduling page: the free times of the link's request grouped by day in
the candidate's time zone and language, a booking, its confirmation and `.ics`, a cancellation.

Every form carries a CSRF token (Flask-WTF, kept in a signed session cookie); requests are
limited per token and per client address (Flask-Limiter, in memory: one process); every answer
forbids caching, framing, referrers and any script or style not served by the app itself.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from flask import Flask, Response, g, redirect, render_template, request, url_for
from flask_babel import Babel, get_locale  # type: ignore[import-untyped]
from flask_limiter import Limiter, RouteLimit
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFError, CSRFProtect  # type: ignore[import-untyped]
from werkzeug.exceptions import NotFound, TooManyRequests
from werkzeug.wrappers import Response as BaseResponse

from bot.app.candidate_page.view import (
    choice_of,
    page_values,
    zone_of,
)
from bot.candidate_links.rules import LANGUAGES
from bot.candidate_links.tokens import LinkRefused, LinkTokens
from bot.container import Container
from bot.scheduling.service import AlreadyBooked, Booked, SchedulingError

HERE = Path(__file__).parent
TOKEN_LIMIT = "30 per minute"
ADDRESS_LIMIT = "60 per minute"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}
# Expired or used up: gone for good (410); altered or unknown: there is nothing there (404).
REFUSAL_STATUS = {"expired": 410, "used_up": 410, "altered": 404, "unknown": 404}


def create_app(
    container: Container, *, token_limit: str = TOKEN_LIMIT, address_limit: str = ADDRESS_LIMIT
) -> Flask:
    """The page for `container`, whose settings have a link key (PUBLIC_URL set)."""
    key = container.settings.link_key
    assert key is not None, "candidate links are not set up"
    app = Flask(__name__, static_url_path="/schedule/static", static_folder=str(HERE / "static"))
    app.config.update(
        # Its own key, derived from the link key: a session cookie cannot be used as a link.
        SECRET_KEY=hashlib.sha256(b"candidate-page-session:" + key).hexdigest(),
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        WTF_CSRF_TIME_LIMIT=None,
        BABEL_TRANSLATION_DIRECTORIES=str(HERE / "translations"),
        MAX_CONTENT_LENGTH=64 * 1024,
    )
    CSRFProtect(app)
    Babel(app, locale_selector=_locale)
    limiter = Limiter(
        get_remote_address, app=app, default_limits=[address_limit], storage_uri="memory://"
    )
    per_token = limiter.limit(token_limit, key_func=_token_key, override_defaults=False)
    app.before_request(lambda: _remember_language(container))
    _routes(app, container, per_token)
    _handlers(app)
    return app


def _routes(app: Flask, container: Container, per_token: RouteLimit) -> None:
    links = container.candidate_links

    @app.get("/schedule/<token>")
    @per_token
    def page(token: str) -> str:
        times = links.times(token)
        events = links.booked_sessions(token) if times.booked else ()
        return render_template("page.html", **page_values(token, times, events, _zone()))

    @app.post("/schedule/<token>/book")
    @per_token
    def book(token: str) -> BaseResponse | tuple[str, int]:
        starts = choice_of(request.form.get("option", ""))
        if starts is None:
            return _refusal("altered")
        try:
            outcome = links.book(token, starts).outcome
        except SchedulingError:
            outcome = None
        if isinstance(outcome, Booked | AlreadyBooked):
            return redirect(_back(token, booked="1"), code=303)
        return render_template("taken.html", back=_back(token)), 409

    @app.post("/schedule/<token>/cancel")
    @per_token
    def cancel(token: str) -> str:
        links.cancel(token)
        return render_template("cancelled.html")

    @app.get("/schedule/<token>/invite.ics")
    @per_token
    def invite(token: str) -> Response:
        body = links.invitation_file(token)
        if body is None:
            raise LinkRefused("unknown")
        headers = {"Content-Disposition": 'attachment; filename="interview.ics"'}
        return Response(body, mimetype="text/calendar", headers=headers)


def _handlers(app: Flask) -> None:
    @app.errorhandler(LinkRefused)
    def refused(error: LinkRefused) -> tuple[str, int]:
        return _refusal(error.reason)

    @app.errorhandler(CSRFError)
    def no_csrf(error: CSRFError) -> tuple[str, int]:
        return render_template("error.html", title_key="csrf"), 400

    @app.errorhandler(TooManyRequests)
    def too_many(error: TooManyRequests) -> tuple[str, int]:
        return render_template("error.html", title_key="too_many"), 429

    @app.errorhandler(NotFound)
    def not_found(error: NotFound) -> tuple[str, int]:
        return _refusal("unknown")

    @app.context_processor
    def language() -> dict[str, object]:
        return {"get_locale": get_locale}

    @app.after_request
    def secure(response: Response) -> Response:
        response.headers.update(SECURITY_HEADERS)
        return response


def _remember_language(container: Container) -> None:
    """The link's language, when its token is valid, for every page of the link."""
    key = container.settings.link_key
    token = _token_key()
    if key is None or not token:
        return
    try:
        g.link_language = LinkTokens(key, container.clock).read(token).language
    except LinkRefused:
        return


def _refusal(reason: str) -> tuple[str, int]:
    return render_template("refused.html", reason=reason), REFUSAL_STATUS.get(reason, 404)


def _token_key() -> str:
    return str((request.view_args or {}).get("token", ""))


def _lang_param() -> str | None:
    lang = request.values.get("lang")
    return lang if lang in LANGUAGES else None


def _locale() -> str | None:
    """`?lang=`, else the link's language, else the browser's."""
    return (
        _lang_param()
        or g.get("link_language")
        or request.accept_languages.best_match(list(LANGUAGES), default="en")
    )


def _zone() -> str:
    return zone_of(request.values.get("tz"))


def _back(token: str, **extra: str) -> str:
    values: dict[str, Any] = {"tz": _zone(), **extra}
    if lang := _lang_param():
        values["lang"] = lang
    return url_for("page", token=token, **values)
