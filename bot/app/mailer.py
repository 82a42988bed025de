"""The Mailer port over smtplib: SMTP_URL is smtp://user:pass@host:587 (STARTTLS when the server
offers it) or smtps://user:pass@host:465 (TLS from the start)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from bot.candidate_links.ports import MailError, OutgoingMail

TIMEOUT_SECONDS = 20


class SmtpMailer:
    def __init__(self, smtp_url: str, mail_from: str, *, tls: ssl.SSLContext | None = None) -> None:
        parts = urlsplit(smtp_url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("SMTP_URL must look like smtp://user:pass@host:587 or smtps://…")
        self._implicit_tls = parts.scheme == "smtps"
        self._host = parts.hostname
        self._port = parts.port or (465 if self._implicit_tls else 587)
        self._user = unquote(parts.username) if parts.username else None
        self._password = unquote(parts.password) if parts.password else ""
        self._from = mail_from
        self._tls = tls or ssl.create_default_context()

    def send(self, mail: OutgoingMail) -> None:
        try:
            with self._connect() as smtp:
                if self._user:
                    smtp.login(self._user, self._password)
                smtp.send_message(_message(mail, self._from))
        except (smtplib.SMTPException, OSError) as error:
            # The class and the server's words, never the URL (it holds the password).
            raise MailError(f"{type(error).__name__}: {error}") from error

    def _connect(self) -> smtplib.SMTP:
        if self._implicit_tls:
            return smtplib.SMTP_SSL(
                self._host, self._port, timeout=TIMEOUT_SECONDS, context=self._tls
            )
        smtp = smtplib.SMTP(self._host, self._port, timeout=TIMEOUT_SECONDS)
        smtp.ehlo()
        if smtp.has_extn("starttls"):
            smtp.starttls(context=self._tls)
            smtp.ehlo()
        return smtp


def _message(mail: OutgoingMail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message.set_content(mail.text)
    for attachment in mail.attachments:
        main, _, rest = attachment.content_type.partition("/")
        subtype, *params = (p.strip() for p in rest.split(";"))
        extra = dict(p.split("=", 1) for p in params if "=" in p)
        message.add_attachment(
            attachment.data,
            maintype=main,
            subtype=subtype,
            filename=attachment.filename,
            params=extra,
        )
    # After the content: set_content and add_attachment move Content-* headers into the parts.
    message["Content-Language"] = mail.language
    return message


def make_mailer(smtp_url: str | None, mail_from: str | None) -> SmtpMailer | None:
    """The mailer when both SMTP_URL and MAIL_FROM are set, else None (no email is sent)."""
    if not smtp_url or not mail_from:
        return None
    return SmtpMailer(smtp_url, mail_from)
