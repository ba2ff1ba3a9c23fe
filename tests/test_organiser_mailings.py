"""Mailings to a filtered set (preview in both languages, one outbox row each, progress) and announcing a change."""
from datetime import date, time

from sqlalchemy import select

from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.organiser import mailings, settings
from eventapp.organiser.models import AuditEntry, Mailing
from test_organiser import login_as, token_of

TEXT = {"subject_nl": "Praktische informatie", "body_nl": "Beste allen,\n\nNeem <script>alert(1)</script> mee & kom op tijd.",
        "subject_en": "Practical information", "body_en": "Dear all,\n\nBring your ID."}


def test_preview_shows_both_languages_and_the_count(client, make_event, make_registration, frozen_clock):
    make_event()
    make_registration(participation="press")
    make_registration()
    login_as(client)
    url = "/organiser/mailings/new?lang=en"
    response = client.post(url, data={"csrf_token": token_of(client, url), **TEXT, "participation": "press", "do": "preview"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "This mailing goes to 1 registrant." in page
    assert 'data-preview="nl"' in page and 'data-preview="en"' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "Bring your ID." in page
    assert db.session.scalar(select(db.func.count()).select_from(OutboxMessage).where(OutboxMessage.mailing_id.is_not(None))) == 0


def test_send_writes_one_mail_per_recipient_in_their_language(client, make_event, make_registration, frozen_clock):
    make_event(capacity=2)
    dutch = make_registration(language="nl")
    english = make_registration(language="en")
    waiting = make_registration()
    user = login_as(client)
    url = "/organiser/mailings/new"
    response = client.post(url, data={"csrf_token": token_of(client, url), **TEXT, "status": "confirmed", "do": "send"})
    mailing = db.session.execute(select(Mailing)).scalar_one()
    assert response.location.endswith(f"/organiser/mailings/{mailing.id}")
    sent = {m.recipient: m for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.mailing_id == mailing.id))}
    assert set(sent) == {dutch.email, english.email} and waiting.email not in sent
    assert sent[dutch.email].subject == "Praktische informatie" and "kom op tijd" in sent[dutch.email].text
    assert sent[english.email].subject == "Practical information" and "Bring your ID." in sent[english.email].html
    assert "&lt;script&gt;" in sent[dutch.email].html and "<script>" not in sent[dutch.email].html
    assert mailing.recipient_count == 2
    entry = db.session.execute(select(AuditEntry).where(AuditEntry.action == "mailing.send")).scalar_one()
    assert entry.actor == user.email and entry.detail["recipients"] == 2
    progress = client.get(f"/organiser/mailings/{mailing.id}/progress.json").get_json()
    assert progress == {"queued": 2, "sending": 0, "sent": 0, "failed": 0, "total": 2}
    assert client.get(f"/organiser/mailings/{mailing.id}").status_code == 200


def test_without_cancelled_unless_asked(app, make_event, make_registration, frozen_clock):
    from eventapp.registration.services import cancel

    make_event()
    gone = make_registration()
    cancel(gone)
    stays = make_registration()
    assert [r.id for r in mailings.recipients({})] == [stays.id]
    assert [r.id for r in mailings.recipients({"status": "cancelled"})] == [gone.id]


def test_no_recipients_is_refused(client, make_event, frozen_clock):
    make_event()
    login_as(client)
    url = "/organiser/mailings/new?lang=en"
    page = client.post(url, data={"csrf_token": token_of(client, url), **TEXT, "do": "send"}).get_data(as_text=True)
    assert "No registrant matches these filters." in page
    assert db.session.scalar(select(db.func.count()).select_from(Mailing)) == 0


def event_form(event, **changes):
    values = settings.form_values(event)
    values.update(announcement_nl="", announcement_en="")
    values.update(changes)
    return values


def test_settings_change_is_audited_and_announced_with_calendar_files(app, make_event, make_registration, frozen_clock):
    event = make_event(capacity=1)
    seated = make_registration(language="en")
    waiting = make_registration()
    new = event_form(event, start_time=time(10, 0), end_time=time(13, 0), venue_name="Nieuwspoort",
                     announcement_nl="Let op: andere zaal.", registration_mode="invitation")
    outcome = settings.update_event(new, "org@example.org", announce=True)
    assert set(outcome["changed"]) == {"starts_at", "ends_at", "venue_name", "registration_mode"}
    assert outcome["announced"] == 2
    assert event.registration_mode == "invitation" and event.starts_at.hour == 9  # 10:00 CET is 09:00 UTC
    mails = {m.recipient: m for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "announcement"))}
    assert [a["builder"] for a in mails[seated.email].attachments] == ["ticket_ics"]
    assert mails[waiting.email].attachments == [] and "Let op: andere zaal." in mails[waiting.email].text
    assert "Nieuwspoort" in mails[seated.email].text
    entry = db.session.execute(select(AuditEntry).where(AuditEntry.action == "event.update")).scalar_one()
    assert entry.detail["venue_name"] == ["", "Nieuwspoort"]


def test_raising_capacity_seats_the_waitlist(app, make_event, make_registration, frozen_clock):
    event = make_event(capacity=1)
    make_registration()
    waiting = make_registration()
    settings.update_event(event_form(event, capacity=2), "org@example.org")
    assert waiting.status == "confirmed"
    assert settings.update_event(event_form(event, capacity=2), "org@example.org") == {"changed": [], "announced": 0}


def test_settings_page_round_trip(client, make_event, frozen_clock):
    event = make_event()
    login_as(client)
    page = client.get("/organiser/settings").get_data(as_text=True)
    assert 'value="09:30"' in page and 'name="registration_mode"' in page
    form = {"title": event.title, "date": "2027-03-26", "start_time": "09:30", "end_time": "12:30", "capacity": "300",
            "registration_mode": "open", "walk_ins_beyond_capacity": "y", "contact_email": "tessa@example.org",
            "csrf_token": token_of(client, "/organiser/settings")}
    assert client.post("/organiser/settings", data=form).status_code == 302
    assert event.capacity == 300
    bad = client.post("/organiser/settings?lang=en", data={**form, "end_time": "08:00"})
    assert bad.status_code == 422 and "The end time must be after the start time." in bad.get_data(as_text=True)
    assert date(2027, 3, 26) == settings.form_values(event)["date"]


def test_announcing_through_the_settings_page(client, make_event, make_registration, frozen_clock):
    event = make_event()
    make_registration()
    login_as(client)
    form = {"title": event.title, "date": "2027-03-26", "start_time": "10:00", "end_time": "12:30", "capacity": "250",
            "registration_mode": "open", "walk_ins_beyond_capacity": "y", "contact_email": "tessa@example.org",
            "venue_name": "Nieuwspoort", "announce": "y", "csrf_token": token_of(client, "/organiser/settings")}
    response = client.post("/organiser/settings?lang=en", data=form, follow_redirects=True)
    assert "The change has been announced to 1 registrant." in response.get_data(as_text=True)
    assert db.session.execute(select(Mailing)).scalar_one().kind == "announcement"


def test_a_mailing_is_all_or_nothing(app, make_event, make_registration, frozen_clock, monkeypatch):
    """A failure while writing the second mail leaves neither the mailing nor the first mail behind."""
    import pytest

    from eventapp.mail import services as mail_services

    make_event()
    make_registration(send_mail=False)
    make_registration(send_mail=False)
    real_queue, written = mail_services.queue_mail, []

    def failing_queue(*args, **kwargs):
        if written:
            raise RuntimeError("disk full")
        written.append(real_queue(*args, **kwargs))
        return written[-1]

    monkeypatch.setattr(mailings, "queue_mail", failing_queue)
    with pytest.raises(RuntimeError):
        mailings.send(TEXT, {}, "org@example.org")
    db.session.rollback()
    assert db.session.scalar(select(db.func.count()).select_from(Mailing)) == 0
    assert db.session.scalar(select(db.func.count()).select_from(OutboxMessage)) == 0
    assert db.session.scalar(select(db.func.count()).select_from(AuditEntry)) == 0
