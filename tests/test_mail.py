"""Sending mail: the SMTP backend delivers to a real SMTP server (here a local one, aiosmtpd)."""
from __future__ import annotations

from email import message_from_bytes
from email.policy import default as email_policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from forum import mail
from tests import free_port

PASSWORD = "smtp-password-1"


class Mailbox:
    """What an SMTP server received: one envelope per message, and who signed in."""

    def __init__(self) -> None:
        self.envelopes: list = []
        self.logins: list[str] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        ok = auth_data.password == PASSWORD.encode()
        if ok:
            self.logins.append(auth_data.login.decode())
        return AuthResult(success=ok)


@pytest.fixture
def smtp_server(app, monkeypatch):
    """An SMTP server on 127.0.0.1 and a free port, and the app's SMTP backend pointed at it."""
    received = Mailbox()
    controller = Controller(
        received, hostname="127.0.0.1", port=free_port(), authenticator=received.authenticate, auth_require_tls=False
    )
    controller.start()
    for name, value in {"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": controller.port,
                        "MAIL_USE_TLS": False, "MAIL_USERNAME": None, "MAIL_PASSWORD": None}.items():
        monkeypatch.setitem(app.config, name, value)
    yield received
    controller.stop()


def test_smtp_delivers_the_message_with_its_headers(app, smtp_server, mailbox):
    mail.send_mail(
        "nora@example.org", "Someone replied to “Botox near the eye”", "Hello Nora,\n\nbob replied.\n",
        headers={"List-Unsubscribe": "<https://forum.example/unsubscribe/abc>"},
    )
    [envelope] = smtp_server.envelopes
    assert envelope.mail_from == app.config["MAIL_DEFAULT_SENDER"]
    assert envelope.rcpt_tos == ["nora@example.org"]
    message = message_from_bytes(envelope.original_content, policy=email_policy)
    assert message["From"] == app.config["MAIL_DEFAULT_SENDER"]
    assert message["To"] == "nora@example.org"
    assert message["Subject"] == "Someone replied to “Botox near the eye”"
    assert message["List-Unsubscribe"] == "<https://forum.example/unsubscribe/abc>"
    assert message.get_content_type() == "text/plain"
    assert message.get_content().replace("\r\n", "\n") == "Hello Nora,\n\nbob replied.\n"
    assert mailbox == []  # sent by SMTP, not kept by the log backend


def test_smtp_signs_in_when_a_username_is_set(app, smtp_server, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_USERNAME", "forum-mailer")
    monkeypatch.setitem(app.config, "MAIL_PASSWORD", PASSWORD)
    mail.send_mail("nora@example.org", "Hello", "Body")
    assert smtp_server.logins == ["forum-mailer"]
    assert len(smtp_server.envelopes) == 1

