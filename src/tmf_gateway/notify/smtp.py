"""ports.Notifier over SMTP (the standard library's smtplib): one plain-text email per notice.

Errors: a refused recipient -> SouthboundRejected; a server that cannot be reached, times out
or fails the conversation -> SouthboundUnavailable (both SouthboundError)."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from ..errors import SouthboundRejected, SouthboundUnavailable


class SmtpNotifier:
    """Sends each notice as its own SMTP session (notices are few; no connection to keep)."""

    def __init__(self, host: str, port: int = 25, sender: str = "tmf-gateway@localhost",
                 timeout: float = 10.0) -> None:
        self.host, self.port, self.sender, self.timeout = host, port, sender, timeout

    def send(self, to: str, subject: str, text: str) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, to, subject
        message.set_content(text)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            raise SouthboundRejected(f"SMTP server refused {to}: {exc.recipients}") from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise SouthboundUnavailable(
                f"SMTP {self.host}:{self.port} could not take a notice: {exc}") from exc
