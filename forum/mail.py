"""Sending mail: to the log (and a list tests read) in development and tests, by SMTP in production."""
from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app

# Messages "sent" by the log backend, newest last; tests read and clear it.
sent_messages: list[EmailMessage] = []


def send_mail(to: str, subject: str, body: str, headers: dict[str, str] | None = None) -> None:
    """Send one plain-text message with the configured backend (extra headers, e.g. List-Unsubscribe)."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    if config["MAIL_BACKEND"] == "smtp":
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            smtp.send_message(message)
        return
    sent_messages.append(message)
    current_app.logger.info("Mail to %s: %s\n%s", to, subject, body)
