"""Absolute links in mail and feeds come from SITE_URL, never from the request's Host header."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from forum import mail
from forum.models.notification import EmailPreference
from forum.services import notifications, outbox
from forum.site_urls import external_url_for, site_url

SITE = "https://forum.example.org"
FORGED = "evil.example"
ROOT = Path(__file__).resolve().parent.parent


pytestmark = pytest.mark.usefixtures("sent_mail")


@pytest.fixture
def forged_host_passes(app, monkeypatch):
    """SITE_URL set, and the Host check off: what links are made of if a forged Host got through."""
    monkeypatch.setitem(app.config, "SITE_URL", SITE)
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", None)


def _links() -> list[str]:
    """Every absolute link in every message sent, bodies and headers (List-Unsubscribe)."""
    found: list[str] = []
    for message in mail.sent_messages:
        text = message.get_content() + "\n" + "\n".join(str(value) for value in message.values())
        found += re.findall(r"https?://[^\s<>]+", text)
    assert found, "no link was mailed"
    return found


def _sign_in_at_forged_host(client, user) -> None:
    """The session cookie of a member who reached the forum through the forged host."""
    with client.session_transaction(base_url=f"http://{FORGED}") as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


def _all_from_site(links: list[str]) -> None:
    for link in links:
        assert link.startswith(SITE + "/"), link
        assert FORGED not in link


def test_the_helpers_build_from_site_url(app, monkeypatch):
    monkeypatch.setitem(app.config, "SITE_URL", SITE + "/")
    with app.test_request_context("/", headers={"Host": FORGED}):
        assert site_url("/notifications") == f"{SITE}/notifications"
        assert external_url_for("accounts.reset_password", token="abc") == f"{SITE}/password/reset/abc"
    with app.app_context():  # a background job: no request at all
        assert external_url_for("articles.show", slug="botox") == f"{SITE}/articles/botox"


def test_a_forged_host_is_not_in_the_reset_link(client, member, forged_host_passes):
    response = client.post("/password/forgot", data={"email": member.email}, headers={"Host": FORGED})
    assert response.status_code == 302
    links = _links()
    assert any("/password/reset/" in link for link in links)
    _all_from_site(links)


def test_a_forged_host_is_not_in_the_confirmation_link(client, forged_host_passes):
    data = {"username": "new_nora", "email": "nora@example.org", "password": "a-long-password-1", "confirm": "a-long-password-1"}
    assert client.post("/signup", data=data, headers={"Host": FORGED}).status_code == 302
    links = _links()
    assert any("/confirm-email/" in link for link in links)
    _all_from_site(links)


def test_a_forged_host_is_not_in_the_resent_confirmation_link(client, member, forged_host_passes):
    _sign_in_at_forged_host(client, member)
    response = client.post("/settings/confirm-email", headers={"Host": FORGED})
    assert response.status_code == 302 and response.headers["Location"] == "/settings"
    _all_from_site(_links())


def test_a_forged_host_is_not_in_the_sign_up_attempt_mail(client, member, forged_host_passes):
    data = {"username": "copy_cat", "email": member.email, "password": "a-long-password-1", "confirm": "a-long-password-1"}
    assert client.post("/signup", data=data, headers={"Host": FORGED}).status_code == 302
    _all_from_site(_links())


def test_a_forged_host_is_not_in_notification_mail(client, make_user, make_topic, forged_host_passes):
    watcher = make_user(username="watcher_wes")
    notifications.save_settings(watcher.id, EmailPreference.IMMEDIATE, True)
    topic = make_topic(author=watcher)
    _sign_in_at_forged_host(client, make_user(username="replier_rue"))
    response = client.post(f"/topics/{topic.id}/reply", data={"body": "Thinking of you"}, headers={"Host": FORGED})
    assert response.status_code == 302
    links = _links()
    assert any("/notifications/unsubscribe/" in link for link in links)  # the footer and List-Unsubscribe
    assert any(f"/topics/{topic.id}" in link or "/posts/" in link for link in links)
    _all_from_site(links)


def test_a_forged_host_is_not_in_the_daily_digest(app, make_user, db, forged_host_passes):
    reader = make_user(username="digest_dee")
    notifications.save_settings(reader.id, EmailPreference.DAILY, True)
    db.session.commit()
    notifications.notify([reader.id], "reply", "while you were away", "/topics/1")
    db.session.commit()
    with app.test_request_context("/", headers={"Host": FORGED}):
        assert outbox.digest_job() == 1
    _all_from_site(_links())


# Ways of building an absolute URL from the request; forum/site_urls.py is the one place for them.
REQUEST_BUILT = re.compile(r"_external\s*=|\.host_url\b|\.url_root\b|\.root_url\b|\.base_url\b")


def test_nothing_builds_an_absolute_url_from_the_request():
    offenders = []
    for path in [*(ROOT / "forum").rglob("*.py"), *(ROOT / "templates").rglob("*.*")]:
        if path.suffix not in (".py", ".html", ".xml", ".txt") or path.name == "site_urls.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if REQUEST_BUILT.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []
