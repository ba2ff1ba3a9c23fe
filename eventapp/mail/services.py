"""Write mails to the outbox inside the caller's transaction; deliver them after commit."""
import smtplib
import ssl
import threading
from datetime import timedelta
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import formatdate, make_msgid, parseaddr

from flask import current_app, has_request_context, render_template, request, url_for
from flask_babel import force_locale
from flask_mail import Connection
from sqlalchemy import or_, update

from .. import clock
from ..extensions import db, mail
from .attachments import build_attachment
from .models import FAILED, QUEUED, SENDING, SENT, OutboxMessage

# A claim older than this is taken to be from a worker that died mid-send; the mail is tried again.
STALE_CLAIM = timedelta(minutes=15)
# After this many attempts a mail is marked failed (organisers see it) instead of retried forever.
MAX_ATTEMPTS = 10
# Each delivery after a commit also retries this many older queued mails, so that nothing waits for cron.
RETRY_BATCH = 20


def absolute_url(endpoint: str, **values) -> str:
    """An absolute link for a mail or file, also outside a request (CLI, background delivery).

    PUBLIC_BASE_URL wins (production requires it: the Host header is the visitor's to choose); else
    the current request's address; else the address `make run` serves on.
    """
    base = current_app.config["PUBLIC_BASE_URL"] or (request.host_url if has_request_context() else "http://127.0.0.1:5000")
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **values)


def queue_mail(kind: str, recipient: str, language: str, subject, context: dict,
               attachments: list[dict] | None = None, registration_id: int | None = None) -> OutboxMessage:
    """Render `mail/<kind>.txt` and `.html` in the recipient's language and add them to the outbox (no commit)."""
    with force_locale(language):
        message = OutboxMessage(
            kind=kind,
            recipient=recipient,
            language=language,
            subject=str(subject),
            text=render_template(f"mail/{kind}.txt", **context),
            html=render_template(f"mail/{kind}.html", **context),
            attachments=attachments or [],
            registration_id=registration_id,
            status=QUEUED,
            created_at=clock.now(),
        )
    db.session.add(message)
    db.session.flush()
    return message


def deliver_after_commit(message_ids: list[int]) -> None:
    """Hand freshly committed mails to the mail server, in the background unless configured otherwise."""
    if not message_ids or not current_app.config.get("MAIL_SERVER"):
        return  # no mail server: the outbox holds them, readable by organisers
    message_ids = message_ids + [i for i in due_message_ids(limit=RETRY_BATCH) if i not in message_ids]
    if current_app.config["MAIL_DELIVER_IN_BACKGROUND"]:
        app = current_app._get_current_object()
        threading.Thread(target=_deliver_in_app_context, args=(app, message_ids), daemon=True).start()
    else:
        deliver(message_ids)


def _deliver_in_app_context(app, message_ids):
    with app.app_context():
        deliver(message_ids)
        db.session.remove()


class _TimedConnection(Connection):
    """Flask-Mail's connection, with a timeout (a hanging server cannot hang a worker) and checked certificates."""

    def configure_host(self):
        # Read the live config (not the copy Flask-Mail took at start-up), so settings can change.
        config = current_app.config
        # smtplib's own TLS default accepts any certificate: the mails and the login would go to an impostor.
        tls = ssl.create_default_context()
        server, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_TIMEOUT"]
        if config["MAIL_USE_SSL"]:
            host = smtplib.SMTP_SSL(server, port, timeout=timeout, context=tls)
        else:
            host = smtplib.SMTP(server, port, timeout=timeout)
        if config["MAIL_USE_TLS"]:
            host.starttls(context=tls)
        if config["MAIL_USERNAME"] and config["MAIL_PASSWORD"]:
            host.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        return host


def _due():
    """Queued, or claimed by a sender that has not finished within STALE_CLAIM (it died mid-send)."""
    stale = clock.now() - STALE_CLAIM
    return or_(OutboxMessage.status == QUEUED, (OutboxMessage.status == SENDING) & (OutboxMessage.claimed_at < stale))


def due_message_ids(limit: int | None = None) -> list[int]:
    """The mails waiting to be sent, oldest first."""
    return list(db.session.scalars(db.select(OutboxMessage.id).where(_due()).order_by(OutboxMessage.id).limit(limit)))


def _claim(message_id: int) -> OutboxMessage | None:
    """Take one mail for sending; of two senders racing for it, exactly one wins."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, _due())
        .values(status=SENDING, claimed_at=clock.now(), attempts=OutboxMessage.attempts + 1)
    )
    db.session.commit()
    return db.session.get(OutboxMessage, message_id) if result.rowcount == 1 else None


def _finish(message_id: int, error: str | None, final: bool = False) -> None:
    """Mark a claimed mail sent, or back in the queue with its error (FAILED when retrying cannot help)."""
    if error:
        values = {"status": FAILED if final else QUEUED, "last_error": error[:2000]}
    else:
        values = {"status": SENT, "sent_at": clock.now(), "last_error": None}
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id).values(**values))
    db.session.commit()


def to_mime(message: OutboxMessage) -> EmailMessage:
    """Turn an outbox row into a MIME mail, building its attachments now.

    Inline images go into a multipart/related part beside the HTML (the structure mail clients expect
    for `cid:` images); the PDF and calendar file are ordinary attachments.
    """
    mime = EmailMessage()
    mime["Subject"] = message.subject
    mime["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    mime["To"] = message.recipient
    mime["Date"] = formatdate(localtime=False)
    mime["Message-ID"] = make_msgid(domain="eventapp")
    mime.set_content(message.text)
    mime.add_alternative(message.html, subtype="html")
    html_part = mime.get_payload()[1]
    for recipe in message.attachments:
        attachment = build_attachment(recipe)
        maintype, subtype = attachment.content_type.split("/")
        if attachment.disposition == "inline":
            html_part.add_related(attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename,
                                  cid=attachment.headers["Content-ID"], disposition="inline")
        else:
            mime.add_attachment(attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename)
    return mime


def _send(connection, mime: EmailMessage) -> None:
    sender = parseaddr(mime["From"])[1]
    connection.host.sendmail(sender, [mime["To"]], mime.as_bytes(policy=SMTP_POLICY))


def deliver(message_ids: list[int] | None = None) -> dict:
    """Send the given mails (default: every due one). Failures stay queued with the error; returns counts."""
    counts = {"sent": 0, "failed": 0}
    if not current_app.config.get("MAIL_SERVER"):
        return counts
    ids = due_message_ids() if message_ids is None else message_ids
    connection = None
    try:
        for message_id in ids:
            message = _claim(message_id)
            if message is None:
                continue  # sent already, or another sender has it
            try:
                if connection is None:
                    connection = _TimedConnection(mail).__enter__()
                _send(connection, to_mime(message))
            except Exception as exc:  # noqa: BLE001 - any failure must leave the mail queued (or failed, if final)
                current_app.logger.warning("Mail %s not delivered: %s", message_id, exc)
                final = is_permanent(exc) or message.attempts >= MAX_ATTEMPTS
                _finish(message_id, f"{type(exc).__name__}: {exc}", final=final)
                counts["failed"] += 1
                if is_connection_failure(exc):
                    break  # the server is away: the rest stay queued, untouched, for the next run
                if isinstance(exc, smtplib.SMTPException):
                    connection = _close(connection)
                continue
            _finish(message_id, None)
            counts["sent"] += 1
    finally:
        _close(connection)
    return counts


def is_permanent(exc: Exception) -> bool:
    """A 5xx answer (no such mailbox, refused sender or content): trying again cannot help."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, (smtplib.SMTPSenderRefused, smtplib.SMTPDataError)):
        return exc.smtp_code >= 500
    return isinstance(exc, UnicodeEncodeError)  # an address the server cannot be given at all


def is_connection_failure(exc: Exception) -> bool:
    return isinstance(exc, (OSError, smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError,
                            smtplib.SMTPHeloError, smtplib.SMTPAuthenticationError))


def _close(connection):
    if connection is not None and connection.host is not None:
        try:
            connection.host.quit()
        except Exception:  # noqa: BLE001 - the server may already be gone
            pass
    return None


def outbox_page(status: str | None, page: int, per_page: int = 50):
    """One page of the outbox, newest first, optionally only mails with `status`."""
    query = db.select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if status:
        query = query.where(OutboxMessage.status == status)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def outbox_message(message_id: int) -> OutboxMessage | None:
    return db.session.get(OutboxMessage, message_id)


def outbox_summary() -> dict:
    rows = db.session.execute(db.select(OutboxMessage.status, db.func.count()).group_by(OutboxMessage.status))
    return {status: count for status, count in rows}
