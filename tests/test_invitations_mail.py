"""Invitation mails through a real SMTP server: one personal mail each, delivered after commit, progress counted."""
from test_invitations import invite
from test_mail import smtp, smtp_down, text_of  # noqa: F401 - fixtures

from eventapp.invitations import services


def test_invitations_reach_the_server_each_with_its_own_links(app, make_event, frozen_clock, smtp):  # noqa: F811
    make_event()
    people = invite(("Anouk <b>de Vries</b>", "anouk@example.org"), ("Bram", "bram@example.org"))
    batch, count = services.send_invitations()
    assert count == 2
    for invitation in people:
        (message,) = smtp.to(invitation.email)
        text = text_of(message)
        assert f"/i/{invitation.secret}" in text and f"/i/{invitation.secret}/decline" in text
        html = message.get_body(preferencelist=("html",)).get_content()
        assert "<b>de Vries</b>" not in html  # what an organiser imported is escaped in the mail
    assert services.progress(batch) == {"total": 2, "queued": 0, "sending": 0, "sent": 2, "failed": 0}


def test_server_down_keeps_the_invitations_queued(app, make_event, frozen_clock, smtp_down):  # noqa: F811
    make_event()
    invite(("Anouk", "anouk@example.org"))
    batch, _count = services.send_invitations()
    progress = services.progress(batch)
    assert progress["total"] == 1 and progress["sent"] == 0 and progress["queued"] == 1
