"""Security headers on every response (the authorization matrix also checks them on every route)."""
from __future__ import annotations

from forum.security import content_security_policy


def csp_directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_security_headers(response, https: bool = False) -> None:
    headers = response.headers
    directives = csp_directives(response)
    script_sources = directives.get("script-src", directives.get("default-src"))
    assert script_sources, "CSP must restrict scripts"
    assert "'unsafe-inline'" not in script_sources and "'unsafe-eval'" not in script_sources
    assert "*" not in script_sources and "data:" not in script_sources
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] in ("same-origin", "no-referrer", "strict-origin-when-cross-origin")
    assert "camera=()" in headers["Permissions-Policy"] and "microphone=()" in headers["Permissions-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    if https:
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    else:
        assert "Strict-Transport-Security" not in headers


def test_headers_on_pages_errors_and_static_files(client):
    for url in ("/", "/signin", "/no-such-page", "/static/css/forum.css", "/boards/nope"):
        response = client.get(url)
        assert_security_headers(response)


def test_headers_on_refused_post(client, csrf_enabled):
    response = client.post("/signin", data={"login": "x", "password": "y"})
    assert response.status_code == 400
    assert_security_headers(response)


def test_hsts_only_over_https(client):
    assert_security_headers(client.get("/", base_url="https://localhost"), https=True)
    assert_security_headers(client.get("/"), https=False)
    assert "upgrade-insecure-requests" in client.get("/", base_url="https://localhost").headers["Content-Security-Policy"]


def test_configured_policy_cannot_allow_inline_scripts(app):
    app.config["CONTENT_SECURITY_POLICY"] = {"script-src": "'self' 'unsafe-inline' 'unsafe-eval'", "img-src": "'self' https:"}
    try:
        with app.test_request_context():
            policy = content_security_policy(secure=False)
    finally:
        app.config.pop("CONTENT_SECURITY_POLICY")
    assert "script-src 'self';" in policy
    assert "unsafe" not in policy
    assert "img-src 'self' https:" in policy


def test_signed_in_pages_are_not_cached(client, login, member):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    login(member)
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_templates_have_no_inline_script_or_style():
    """The CSP would block them; keep every template free of inline code."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "templates"
    offenders = []
    for path in root.rglob("*.html"):
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text, re.I):
            offenders.append(f"{path}: inline <script>")
        if re.search(r"<style\b|\sstyle=|\son[a-z]+\s*=", text, re.I):
            offenders.append(f"{path}: inline style or event handler")
    assert not offenders, offenders


def test_session_cookies_follow_the_secret_key_and_its_fallbacks(app, client, login, member):
    """The signing serializer is kept between requests, but a new key set gets its own."""
    login(member)
    assert client.get("/").headers.get("Cache-Control") == "no-store"  # signed in
    old_key = app.secret_key
    try:
        app.secret_key = "a-new-secret-key-for-this-test"
        app.config["SECRET_KEY_FALLBACKS"] = [old_key]
        assert client.get("/").headers.get("Cache-Control") == "no-store"  # the old key still verifies
        app.config["SECRET_KEY_FALLBACKS"] = []
        assert client.get("/").headers.get("Cache-Control") != "no-store"  # signed out: cookie refused
    finally:
        app.secret_key = old_key
        app.config["SECRET_KEY_FALLBACKS"] = []
