"""Sending e-mail over SMTP, configured through the environment (MAIL_*)."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate

from steungroep.domain.i18n import N_, translate


@dataclass(frozen=True)
class MailSettings:
    server: str
    port: int
    use_tls: bool  # STARTTLS after connecting
    use_ssl: bool  # TLS from the start (port 465)
    username: str
    password: str
    sender: str
    timeout: float = 20.0


def disabled_reason(config) -> str | None:
    """Why the app sends no e-mail, in Dutch, or None when it does. Without PUBLIC_URL every
    link in a reminder would point at this machine (127.0.0.1), so nothing is sent."""
    if not config.get("MAIL_SERVER"):
        return translate(N_(
            "Er is geen mailserver ingesteld (MAIL_SERVER). Herinneringen verschijnen alleen "
            "in de app."
        ))
    if not config.get("PUBLIC_URL"):
        return translate(N_(
            "Er is een mailserver ingesteld, maar geen PUBLIC_URL: de links in de e-mails "
            "zouden nergens heen wijzen, dus de app verstuurt niets. Zet PUBLIC_URL op het "
            "adres van de app; tot dan verschijnen herinneringen alleen in de app."
        ))
    return None


def settings_from(config) -> MailSettings | None:
    """The SMTP settings, or None when the app sends no e-mail (no MAIL_SERVER, or no
    PUBLIC_URL to build the links on)."""
    if disabled_reason(config):
        return None
    return MailSettings(
        server=config["MAIL_SERVER"],
        port=int(config.get("MAIL_PORT") or 587),
        use_tls=bool(config.get("MAIL_USE_TLS")),
        use_ssl=bool(config.get("MAIL_USE_SSL")),
        username=config.get("MAIL_USERNAME") or "",
        password=config.get("MAIL_PASSWORD") or "",
        sender=config.get("MAIL_SENDER") or "steungroep@localhost",
        timeout=float(config.get("MAIL_TIMEOUT") or 20),
    )


def build_message(
    settings: MailSettings, to: str, subject: str, body: str, message_id: str
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    # The same id whenever the same reminder is retried: mail systems can drop duplicates.
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    return message


def send(settings: MailSettings, message: EmailMessage) -> None:
    """Deliver one message; raises OSError or smtplib.SMTPException when it fails.

    Once the server has accepted the message, nothing after it (a failing QUIT) counts as a
    failure: that would send the message again."""
    context = ssl.create_default_context()
    if settings.use_ssl:
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.server, settings.port, timeout=settings.timeout, context=context
        )
    else:
        client = smtplib.SMTP(settings.server, settings.port, timeout=settings.timeout)
    try:
        if settings.use_tls and not settings.use_ssl:
            client.starttls(context=context)
        if settings.username:
            client.login(settings.username, settings.password)
        client.send_message(message)
    except BaseException:
        client.close()
        raise
    try:
        client.quit()
    except (OSError, smtplib.SMTPException):
        client.close()
