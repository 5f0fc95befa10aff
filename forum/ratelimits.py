"""Rate limits: one named limit per kind of action, applied with @rate_limit("name").

    from forum.ratelimits import rate_limit

    @bp.route("/posts/<int:post_id>/report", methods=["GET", "POST"])
    @rate_limit("reporting")
    @login_required
    def report_post(post_id): ...

Limits are counted in memory by default and in Redis when REDIS_URL is set, so that every worker
shares them. An over-limit request gets the 429 page, which says when to try again (Retry-After).
The limit strings live in config (RATE_LIMITS) so that an admin can tune them without a release.

Failed sign-ins are counted apart from these limits and slow further attempts down (sign_in_wait /
record_sign_in_failure); wrong two-factor codes count with wrong passwords. Each failure is counted
three times, against an "account key" (the member's id once the name or email typed resolves, so
both share one count; the normalised text typed otherwise, so unknown names behave the same):

- per address (every account): one address guessing at many accounts is slowed down;
- per account and address: one address guessing at one account is slowed down, and only that
  address is: another address with the right password is not held up by these failures;
- per account from every address, with a higher cap: guessing at one account from many addresses
  is slowed down too. This cap must not let strangers lock the real member out, so it is not
  applied to a browser where that member signed in before: a successful sign-in leaves a signed
  "known device" cookie naming the account (OWASP's "device cookies"), which lifts the account's
  cap, never the per-address ones. A member under attack can still sign in where they usually do;
  from a new device they wait for the window to pass (or reset the password by mail).

Addresses are the client's as the app sees it: behind a reverse proxy, set PROXY_FIX_X_FOR to the
number of proxies in front of the app (forum/security.py applies ProxyFix), or every member shares
the proxy's address. Without it X-Forwarded-For is ignored (anyone can write that header).
"""
from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

from flask import Flask, after_this_request, current_app, g, has_app_context, request, session
from flask_limiter import Limiter
from limits import parse_many

@dataclass(frozen=True)
class LimitSpec:
    """A named limit: its default string, the methods it counts, and whom it counts.

    whom: "address" counts per client address; "member" per signed-in member (address when anonymous),
    whether they come through a page (session) or the API (token), so both share one count;
    "token" per API token (address when the API is called without one).
    """

    default: str
    methods: tuple[str, ...]
    whom: str


LIMITS: dict[str, LimitSpec] = {
    "sign_in": LimitSpec("10 per minute;100 per day", ("POST",), "address"),
    "sign_up": LimitSpec("5 per hour;20 per day", ("POST",), "address"),
    "password_reset": LimitSpec("5 per hour;20 per day", ("POST",), "address"),
    "email": LimitSpec("3 per hour;10 per day", ("POST",), "member"),
    # PATCH: editing a post through the API shares the count with the pages' forms.
    "posting": LimitSpec("8 per minute;60 per hour", ("POST", "PATCH"), "member"),
    # Private messages: counted apart from posts, and more tightly (a spammer's first tool).
    "messaging": LimitSpec("6 per minute;60 per hour", ("POST",), "member"),
    "reporting": LimitSpec("10 per hour;30 per day", ("POST",), "member"),
    "searching": LimitSpec("30 per minute;600 per hour", ("GET", "POST"), "member"),
    "account": LimitSpec("10 per hour", ("POST",), "member"),
    # Drafts are saved by hand and every 30 seconds while a form is open: counted apart from
    # posting, so that autosaving never uses up the member's posts.
    "drafts": LimitSpec("10 per minute;300 per hour", ("POST",), "member"),
    # Images for posts: each one is decoded and re-encoded, so they are counted apart and more tightly.
    "uploads": LimitSpec("5 per minute;40 per hour", ("POST",), "member"),
    # Every API request, whatever it does (writes count against "posting" or "reporting" too).
    "api": LimitSpec("300 per minute;5000 per hour", ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"), "token"),
}

# Failed sign-ins: the first few are free, then each further attempt waits for the window to pass.
# Config SIGN_IN_FAILURE_LIMITS overrides any of them.
SIGN_IN_FAILURE_LIMITS = {
    # One account from one address.
    "account_address": "5 per 15 minutes;20 per day",
    # One account from every address, except browsers where its member signed in before.
    "account": "20 per 15 minutes;100 per day",
    # One address, whatever the accounts tried.
    "address": "20 per 15 minutes;100 per day",
}


def client_address() -> str:
    """The client's address (behind a proxy, ProxyFix makes this the real client)."""
    return request.remote_addr or "unknown"


def _member_or_address() -> str:
    api_user = g.get("api_user")
    if api_user is not None:
        # An API request: the member is the token's owner (the API never reads the session).
        return "member:" + str(api_user.id) if api_user.is_authenticated else _address()
    user_id = session.get("_user_id")
    if user_id:
        return "member:" + str(user_id).partition(":")[0]
    return "address:" + client_address()


def _address() -> str:
    return "address:" + client_address()


def _token_or_address() -> str:
    token = g.get("api_token")
    return "token:" + str(token.id) if token is not None else _address()


_KEY_FUNCS = {"address": _address, "member": _member_or_address, "token": _token_or_address}


class ForumLimiter(Limiter):
    """Flask-Limiter with its storage kept per app, and switched on or off by each app's config.

    RATELIMIT_ENABLED is read on every request, so a test can switch limits on for one app.
    """

    def __init__(self, *args, **kwargs) -> None:
        self._fallback: dict = {}
        super().__init__(*args, **kwargs)

    def _slot(self, name: str, value=None, set_: bool = False):
        if has_app_context() and "forum_ratelimit" in current_app.extensions:
            store = current_app.extensions["forum_ratelimit"]
        else:
            store = self._fallback
        if set_:
            store[name] = value
        return store.get(name)

    # Flask-Limiter keeps its storage and strategy in these two attributes.
    @property
    def _storage(self):  # type: ignore[override]
        return self._slot("storage")

    @_storage.setter
    def _storage(self, value) -> None:
        self._slot("storage", value, set_=True)

    @property
    def _limiter(self):  # type: ignore[override]
        return self._slot("limiter")

    @_limiter.setter
    def _limiter(self, value) -> None:
        self._slot("limiter", value, set_=True)

    def init_app(self, app: Flask) -> None:
        wanted = app.config.get("RATELIMIT_ENABLED", True)
        app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
        app.config.setdefault("RATELIMIT_KEY_PREFIX", "forum")
        app.extensions["forum_ratelimit"] = {}
        app.config["RATELIMIT_ENABLED"] = True  # build the storage even when limits start switched off
        try:
            with app.app_context():
                super().init_app(app)
        finally:
            app.config["RATELIMIT_ENABLED"] = wanted


limiter = ForumLimiter(key_func=_address, strategy="fixed-window")


@limiter.request_filter
def _limits_switched_off() -> bool:
    return not current_app.config.get("RATELIMIT_ENABLED", True)


def limit_string(name: str) -> str:
    """The configured limit for `name` (config RATE_LIMITS overrides the defaults)."""
    configured = current_app.config.get("RATE_LIMITS") or {}
    return configured.get(name) or LIMITS[name].default


def rate_limit(name: str):
    """Decorate a view with the named limit. Views sharing a name share one count per client."""
    if name not in LIMITS:
        raise KeyError(f"Unknown rate limit {name!r}; add it to forum.ratelimits.LIMITS")
    spec = LIMITS[name]
    return limiter.shared_limit(
        lambda: limit_string(name),
        scope=name,
        key_func=_KEY_FUNCS[spec.whom],
        methods=list(spec.methods),
        override_defaults=False,
    )


# Flask-Limiter's settings for limits on every request; while none is set, its before-request check has nothing to do.
_LIMITS_ON_EVERY_REQUEST = ("RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION", "RATELIMIT_META")


def init_app(app: Flask) -> None:
    limiter.init_app(app)
    if not any(app.config.get(name) for name in _LIMITS_ON_EVERY_REQUEST):
        # Every forum limit is a view's own (@rate_limit), checked by its decorator when that view
        # runs. Flask-Limiter's before-request check enforces only default, application and meta
        # limits, yet resolves the endpoint's limits on every request to find that out: a fifth of
        # the CPU of a page served from the cache. Without such limits it is not installed.
        app.before_request_funcs[None] = [
            check for check in app.before_request_funcs.get(None, []) if check != limiter._check_request_limit
        ]


# --- Failed sign-ins ------------------------------------------------------------------------------

KNOWN_DEVICE_COOKIE = "forum_device"
KNOWN_DEVICE_DAYS = 365
_KNOWN_DEVICE_MAX = 5  # accounts remembered per browser (a shared computer), newest first


def _failure_keys(account: str, *, known_device: bool) -> list[tuple[str, str]]:
    configured = {**SIGN_IN_FAILURE_LIMITS, **(current_app.config.get("SIGN_IN_FAILURE_LIMITS") or {})}
    keys = [
        (configured["address"], _address()),
        (configured["account_address"], f"account:{account}|{_address()}"),
    ]
    if not known_device:
        keys.append((configured["account"], f"account:{account}"))
    return keys


def sign_in_wait(account: str) -> int:
    """Seconds to wait before another sign-in attempt on this account key from here (0: go ahead)."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return 0
    strategy = limiter.limiter
    wait = 0
    for limits, key in _failure_keys(account, known_device=_known_device(account)):
        for item in parse_many(limits):
            if not strategy.test(item, "sign_in_failures", key):
                reset_at, _ = strategy.get_window_stats(item, "sign_in_failures", key)
                wait = max(wait, int(reset_at - time.time()) + 1)
    return wait


def record_sign_in_failure(account: str) -> None:
    """Count one failed sign-in (a wrong password or code) on this account key, from this address."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    strategy = limiter.limiter
    for limits, key in _failure_keys(account, known_device=False):
        for item in parse_many(limits):
            strategy.hit(item, "sign_in_failures", key)


def _device_mark(account: str) -> str:
    """The cookie's mark for one account: it names the account without showing which it is."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, f"known-device:{account}".encode(), hashlib.sha256).hexdigest()[:24]


def _device_marks() -> list[str]:
    value = request.cookies.get(KNOWN_DEVICE_COOKIE, "")
    return [mark for mark in value.split(".") if mark][:_KNOWN_DEVICE_MAX]


def _known_device(account: str) -> bool:
    mark = _device_mark(account)
    return any(hmac.compare_digest(mark, seen) for seen in _device_marks())


def remember_device(account: str) -> None:
    """After a successful sign-in: mark this browser as one where this account signs in."""
    mark = _device_mark(account)
    marks = [mark, *(seen for seen in _device_marks() if seen != mark)][:_KNOWN_DEVICE_MAX]
    config = current_app.config

    @after_this_request
    def _set_cookie(response):
        response.set_cookie(
            KNOWN_DEVICE_COOKIE, ".".join(marks), max_age=KNOWN_DEVICE_DAYS * 86400, httponly=True,
            secure=bool(config.get("SESSION_COOKIE_SECURE")), samesite=config.get("SESSION_COOKIE_SAMESITE") or "Lax",
        )
        return response


def draft_headers() -> dict[str, str]:
    """The IETF draft RateLimit headers for the limits this request was counted against.

    `RateLimit` names the limit closest to refusing (fewest requests left, then the soonest reset),
    `RateLimit-Policy` every quota that applied, e.g. `RateLimit: limit=300, remaining=299, reset=60`
    and `RateLimit-Policy: 300;w=60, 5000;w=3600`. Nothing when no limit applied (limits off).
    """
    counted = limiter.current_limits
    if not counted:
        return {}
    now = time.time()
    states = [(max(0, c.remaining), max(0, int(c.reset_at - now)), c.limit) for c in counted]
    remaining, reset, item = min(states, key=lambda s: (s[0], s[1]))
    policies = ", ".join(dict.fromkeys(f"{s[2].amount};w={s[2].get_expiry()}" for s in states))
    return {
        "RateLimit": f"limit={item.amount}, remaining={remaining}, reset={reset}",
        "RateLimit-Policy": policies,
    }


def retry_after_seconds() -> int:
    """Seconds until the limit that refused this request lets requests through again."""
    current = limiter.current_limit
    if current is None:
        return 60
    return max(1, int(current.reset_at - time.time()))
