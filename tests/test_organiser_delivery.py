"""Mailings and announcements through a real SMTP server: delivered after commit, progress counts them, the
announcement carries the updated calendar file."""
from datetime import time

from eventapp.organiser import mailings, settings
from test_mail import attachment, smtp, smtp_down, subject_of, text_of  # noqa: F401  (fixtures)
from test_organiser_mailings import TEXT, event_form


def test_a_mailing_is_delivered_and_progress_counts_it(app, make_event, make_registration, frozen_clock, smtp):
    make_event()
    dutch, english = make_registration(language="nl", send_mail=False), make_registration(language="en", send_mail=False)
    mailing = mailings.send(TEXT, {}, "org@example.org")
    assert mailings.progress(mailing.id) == {"queued": 0, "sending": 0, "sent": 2, "failed": 0, "total": 2}
    assert subject_of(smtp.to(dutch.email)[0]) == "Praktische informatie"
    assert "Bring your ID." in text_of(smtp.to(english.email)[0])


def test_the_announcement_carries_the_new_time_in_its_calendar_file(app, make_event, make_registration, frozen_clock, smtp):
    event = make_event()
    seated = make_registration(send_mail=False)
    settings.update_event(event_form(event, start_time=time(14, 0), end_time=time(16, 0)), "org@example.org", announce=True)
    message = smtp.to(seated.email)[0]
    calendar = attachment(message, "event.ics").decode()
    assert "DTSTART;TZID=Europe/Amsterdam:20270326T140000" in calendar
    assert "14:00" in text_of(message)


def test_mail_server_down_keeps_the_mailing_queued(app, make_event, make_registration, frozen_clock, smtp_down):
    make_event()
    make_registration(send_mail=False)
    mailing = mailings.send(TEXT, {}, "org@example.org")
    assert mailings.progress(mailing.id)["queued"] == 1
