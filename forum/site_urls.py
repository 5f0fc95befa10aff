"""The forum's absolute addresses, for mail and feeds: always built from SITE_URL.

A link that leaves the page (in mail, in an Atom feed) must never take its host from the request:
with `url_for(..., _external=True)`, `request.host_url` or `request.url_root`, a request sent with
`Host: evil.example` would mail a password-reset token to the victim inside a link to the
attacker's site. Every absolute address in forum/ and templates/ comes from here instead
(tests/test_site_urls.py keeps it so), and forum/security.py also refuses requests for any host
but SITE_URL's (TRUSTED_HOSTS).
"""
from __future__ import annotations

from typing import Any

from flask import current_app


def site_url(path: str = "/") -> str:
    """SITE_URL followed by a path of the forum: site_url("/notifications")."""
    return current_app.config["SITE_URL"].rstrip("/") + "/" + path.lstrip("/")


def external_url_for(endpoint: str, **values: Any) -> str:
    """What url_for(endpoint, **values, _external=True) gives, with the forum at SITE_URL.

    Built from the URL map alone, so it gives the same inside a request (whatever its Host) and in
    a background job (which has no request). SITE_URL holds any path prefix the forum is served under.
    """
    app = current_app._get_current_object()
    values = dict(values)
    app.inject_url_defaults(endpoint, values)
    adapter = app.url_map.bind("site.invalid", script_name="/")
    return site_url(adapter.build(endpoint, values))
