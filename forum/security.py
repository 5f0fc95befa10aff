"""Security headers on every response, the signed session cookie, which proxies are trusted, and
the hosts requests may name.

The Content-Security-Policy allows scripts, styles and fonts from the forum's own origin only:
no inline script or style, no eval, no framing by other sites. Pages that need more (an image
host, say) extend CONTENT_SECURITY_POLICY in config rather than loosening script-src.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request, session
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.exceptions import SecurityError

DEFAULT_CSP: dict[str, str] = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "media-src": "'self'",
    "object-src": "'none'",
    "frame-src": "'none'",
    "worker-src": "'self'",
    "manifest-src": "'self'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=(), interest-cohort=()"
)

HSTS = "max-age=31536000; includeSubDomains"


def content_security_policy(secure: bool) -> str:
    directives = dict(DEFAULT_CSP)
    directives.update(current_app.config.get("CONTENT_SECURITY_POLICY") or {})
    # Whatever config adds, scripts never run inline or from strings.
    for name in ("script-src", "default-src"):
        sources = directives.get(name, "").split()
        directives[name] = " ".join(s for s in sources if s not in ("'unsafe-inline'", "'unsafe-eval'")) or "'self'"
    parts = [f"{name} {value}".strip() for name, value in directives.items()]
    if secure:
        parts.append("upgrade-insecure-requests")
    return "; ".join(parts)


def _defaults(secure: bool) -> list[tuple[str, str]]:
    """The headers every response gets unless the view set its own, built once per policy."""
    extra = current_app.config.get("CONTENT_SECURITY_POLICY") or {}
    key = (secure, tuple(sorted(extra.items())))
    headers = _DEFAULTS.get(key)
    if headers is None:
        headers = [
            ("Content-Security-Policy", content_security_policy(secure)),
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "same-origin"),
            ("Permissions-Policy", PERMISSIONS_POLICY),
            ("Cross-Origin-Opener-Policy", "same-origin"),
            ("Cross-Origin-Resource-Policy", "same-origin"),
        ]
        if secure:
            headers.append(("Strict-Transport-Security", HSTS))
        if len(_DEFAULTS) < 16:  # policies come from config: a handful at most
            _DEFAULTS[key] = headers
    return headers


_DEFAULTS: dict[tuple, list[tuple[str, str]]] = {}


def member_cookie_sent() -> bool:
    """Whether the request may come from a signed-in member: Flask-Login keeps the member in the
    session, and the remember-me cookie signs them in again. Cheaper than loading current_user."""
    remember = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    return "_user_id" in session or bool(request.cookies.get(remember))


def _set_headers(response):
    headers = response.headers
    present = {name.lower() for name in headers.keys()}
    for name, value in _defaults(request.is_secure):
        if name.lower() not in present:
            headers.add(name, value)
    # Pages seen while signed in hold private health conversations: keep them out of shared caches
    # and of the browser's back/forward history on a shared computer.
    if session.get("_user_id") and "cache-control" not in present and request.endpoint != "static":
        headers["Cache-Control"] = "no-store"
    return response


class SignedCookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signing serializer made once per set of keys.

    Flask makes one for every request, and again when the cookie is written; making one (it tries
    its serializer out) costs more than checking a cookie. A new SECRET_KEY or fallback list gets
    its own, so rotating keys works as in Flask.
    """

    def __init__(self) -> None:
        self._made: dict = {}

    def get_signing_serializer(self, app: Flask):
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        made = self._made.get(keys)
        if made is None:
            if len(self._made) >= 8:
                self._made.clear()
            made = self._made[keys] = super().get_signing_serializer(app)
        return made


def trust_proxies(app: Flask) -> None:
    """Take the client's address from X-Forwarded-For, written by the PROXY_FIX_X_FOR proxies in front.

    Only as many entries as there are proxies are read, from the right (the ones our own proxies
    wrote): a client can put anything in the header. With 0 (no proxy) the header is ignored.
    Wraps the whole app, page cache included, so everything sees the real address.
    """
    hops = int(app.config.get("PROXY_FIX_X_FOR") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=0, x_host=0, x_port=0, x_prefix=0)  # type: ignore[method-assign]
LOCAL_HOSTS = ("localhost", "127.0.0.1")
UNTRUSTED_HOST = "Bad request: this forum does not answer to that host name.\n"


def trusted_hosts(config: Mapping[str, Any]) -> list[str]:
    """The host names requests may be made to: SITE_URL's, the extra ones, and the local ones in
    development and tests (werkzeug ignores the port, so any port of these works)."""
    hosts = [urlsplit(config.get("SITE_URL") or "").hostname or ""]
    hosts += list(config.get("EXTRA_TRUSTED_HOSTS") or ())
    if config.get("TRUST_LOCAL_HOSTS"):
        hosts += LOCAL_HOSTS
    return list(dict.fromkeys(host.strip().lower() for host in hosts if host and host.strip()))


def _refuse_untrusted_host():
    """A request for a host not in TRUSTED_HOSTS gets a plain 400 before any other hook runs:
    Flask can build no URL in it, so not even the error page could be made."""
    if isinstance(request.routing_exception, SecurityError):
        return Response(UNTRUSTED_HOST, status=400, mimetype="text/plain")
    return None


def init_app(app: Flask) -> None:
    app.session_interface = SignedCookieSessions()
    app.after_request(_set_headers)
    trust_proxies(app)
    # Flask 3.1 refuses a request whose Host is not one of these (unless config gave its own list).
    if app.config.get("TRUSTED_HOSTS") is None:
        app.config["TRUSTED_HOSTS"] = trusted_hosts(app.config)
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_untrusted_host)
    app.register_error_handler(SecurityError, lambda error: Response(UNTRUSTED_HOST, status=400, mimetype="text/plain"))
