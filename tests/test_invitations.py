"""Invitations: import with preview (nothing saved before confirming), sending with progress, the personal link."""
import io

import pytest
from flask_babel import force_locale, gettext
from openpyxl import Workbook
from sqlalchemy import func, select

from conftest import csrf_token_from, registration_data
from eventapp.auth.services import create_user
from eventapp.errors import DomainError
from eventapp.extensions import db
from eventapp.invitations import services
from eventapp.invitations.models import Invitation, InvitationImport
from eventapp.mail.models import OutboxMessage
from eventapp.registration.services import register

from test_security import login, page_token

GOOD_AND_BAD_CSV = (
    "naam;e-mail;organisatie;type\n"
    "Anouk de Vries;anouk@example.org;Gemeente Den Haag;gemeente\n"
    "Bram Jansen;bram@example;Stichting Leergeld;stichting\n"            # 3: invalid e-mail
    "Anouk Dubbel;ANOUK@example.org;Gemeente Den Haag;gemeente\n"        # 4: duplicate of line 2
    ";cees@example.org;GGD Haaglanden;zorg\n"                            # 5: name missing
    "=HYPERLINK(\"http://evil.example\");dirk@example.org;Evil BV;bedrijf\n"  # 6: formula
).encode() + "Eva Ç;eva@example.org;Café Kansrijk;bedrijf\n".encode("latin-1") + (  # 7: not UTF-8
    "Fleur Bakker;fleur@example.org;Hogeschool Leiden;onderwijs\n").encode()


@pytest.fixture
def organiser(client):
    create_user("organiser@example.org", "organiser", "correct horse battery", name="Olga Organisator")
    assert login(client, "organiser@example.org").status_code == 302
    return client


def upload(client, data: bytes, filename: str):
    token = page_token(client, "/organiser/invitations/import")
    return client.post("/organiser/invitations/import", data={"csrf_token": token, "file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_preview_names_each_of_five_bad_rows_and_saves_nothing_until_confirmed(app, organiser, make_event):
    make_event()
    response = upload(organiser, GOOD_AND_BAD_CSV, "genodigden.csv")
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    page = organiser.get(preview_url + "?lang=en").get_data(as_text=True)
    assert count(Invitation) == 0  # a preview saves no invitation
    for line, problem in [(3, "email_invalid"), (4, "duplicate_in_file"), (5, "name_missing"), (6, "formula"), (7, "not_utf8")]:
        row = page.split(f'id="line-{line}"')[1].split("</tr>")[0]
        assert f'data-problem="{problem}"' in row, (line, row)
    for line in (2, 8):
        assert 'data-problem' not in page.split(f'id="line-{line}"')[1].split("</tr>")[0]
    assert "2 rows can be imported, 5 rows have problems" in page and "Nothing has been saved yet." in page
    confirm = organiser.post(preview_url, data={"csrf_token": csrf_token_from(page)})
    assert confirm.status_code == 302
    invited = db.session.scalars(select(Invitation.email).order_by(Invitation.email)).all()
    assert invited == ["anouk@example.org", "fleur@example.org"]
    assert count(OutboxMessage) == 0  # imported, not yet sent
    again = organiser.post(preview_url, data={"csrf_token": csrf_token_from(page)})
    assert again.status_code == 302 and count(Invitation) == 2  # a second confirm adds nothing


def test_xlsx_import_flags_formulas_and_already_registered(app, organiser, make_event, make_registration):
    make_event()
    make_registration(email="al@example.org")
    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "Email", "Organisation", "Type"])
    sheet.append(["Al Aangemeld", "al@example.org", "Gemeente Delft", "municipality"])
    sheet.append(["Formule", "f@example.org", "=1+1", "company"])
    sheet.append(["Goed", "goed@example.org", "Bedrijf BV", "raar type"])
    buffer = io.BytesIO()
    book.save(buffer)
    preview = organiser.get(upload(organiser, buffer.getvalue(), "list.xlsx").headers["Location"]).get_data(as_text=True)
    assert 'data-problem="already_registered"' in preview and 'data-problem="formula"' in preview
    assert 'data-warning="type_unknown"' in preview
    assert count(Invitation) == 0


@pytest.mark.parametrize("filename,data,code", [
    ("list.pdf", b"%PDF-1.4", "file_type"),
    ("list.xlsx", b"not a zip", "file_type"),
    ("list.csv", b"foo,bar\n1,2\n", "columns_missing"),
    ("list.csv", b"name,email\n" + b"x" * (2 * 1024 * 1024), "file_too_large"),
])
def test_unusable_files_are_refused_with_a_reason(app, make_event, filename, data, code):
    make_event()
    with pytest.raises(DomainError) as refused:
        services.preview_import(filename, data, "test")
    assert refused.value.code == code
    assert count(InvitationImport) == 0


def test_upload_page_shows_the_refusal_next_to_the_field(app, organiser, make_event):
    make_event()
    response = upload(organiser, b"foo,bar\n1,2\n", "list.csv")
    with force_locale("nl"):  # the page is in Dutch, the default
        message = gettext("The first line must name the columns: name (naam), e-mail, organisation (organisatie) and type.")
    assert message.startswith("De eerste regel")
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def invite(*people, language="nl"):
    from eventapp import clock
    for name, email in people:
        db.session.add(services._new_invitation(services.require_event().id, {"name": name, "email": email,
                       "organisation": "Gemeente Delft", "language": language}, "test", clock.now()))
    db.session.commit()
    return db.session.scalars(select(Invitation).order_by(Invitation.id)).all()


def test_sending_writes_one_personal_mail_per_invitee_and_shows_progress(app, organiser, make_event):
    make_event()
    invite(("Anouk", "anouk@example.org"), ("Bram", "bram@example.org"))
    invite(("Chris", "chris@example.org"), language="en")
    page = organiser.get("/organiser/invitations/").get_data(as_text=True)
    response = organiser.post("/organiser/invitations/send", data={"csrf_token": csrf_token_from(page), "scope": "all"})
    assert response.status_code == 302 and "/organiser/invitations/progress/" in response.headers["Location"]
    mails = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    invitations = db.session.scalars(select(Invitation).order_by(Invitation.id)).all()
    assert [m.recipient for m in mails] == [i.email for i in invitations]
    for mail, invitation in zip(mails, invitations):
        assert invitation.state == "sent"
        assert f"/i/{invitation.secret}" in mail.text and f"/i/{invitation.secret}/decline" in mail.text
        assert invitation.name in mail.text
    assert mails[0].language == "nl"
    assert mails[2].language == "en" and "Invitation" in mails[2].subject
    progress = organiser.get(response.headers["Location"] + ".json").get_json()
    assert progress == {"total": 3, "queued": 3, "sending": 0, "sent": 0, "failed": 0}
    assert organiser.get(response.headers["Location"]).status_code == 200
    # Sending again sends nothing twice.
    again = organiser.post("/organiser/invitations/send", data={"csrf_token": csrf_token_from(page), "scope": "all"})
    assert again.headers["Location"].endswith("/organiser/invitations/") and count(OutboxMessage) == 3


def test_reminders_go_to_the_unanswered_or_a_chosen_few(app, make_event, make_registration):
    make_event()
    a, b, c, d = invite(("A", "a@example.org"), ("B", "b@example.org"), ("C", "c@example.org"), ("D", "d@example.org"))
    services.send_invitations()
    services.decline(d)
    register(registration_data(email="c@example.org", invitation_secret=c.secret))
    _batch, sent = services.send_reminders()
    assert sent == 2  # A and B; C registered, D declined
    _batch, sent = services.send_reminders([b.id, c.id])
    assert sent == 1 and b.reminders == 2 and a.reminders == 1


def test_personal_link_is_tracked_and_prefills_the_form(app, client, make_event):
    make_event()
    (invitation,) = invite(("Anouk de Vries", "anouk@example.org"))
    services.send_invitations()
    response = client.get(f"/i/{invitation.secret}")
    assert response.status_code == 302
    assert invitation.state == "opened" and invitation.opened_at is not None
    form = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="Anouk de Vries"' in form and 'value="anouk@example.org"' in form and invitation.secret in form
    assert client.get("/i/NOTAREALSECRETNOTAREALSECR").status_code == 404


def test_rsvp_through_the_link_marks_the_invitation_registered(app, client, make_event, post_form):
    make_event()
    (invitation,) = invite(("Anouk de Vries", "anouk@example.org"))
    url = client.get(f"/i/{invitation.secret}").headers["Location"]
    response = post_form("/register", {"name": "Anouk de Vries", "email": "anouk@example.org", "organisation": "Gemeente Delft",
                                       "organisation_type": "municipality", "participation": "attendee", "language": "nl",
                                       "privacy_consent": "y", "invitation": invitation.secret}, get_url=url)
    assert response.status_code == 302
    db.session.refresh(invitation)
    assert invitation.state == "registered" and invitation.registration_id is not None


def test_one_click_decline_needs_the_button_not_just_the_link(app, client, make_event, post_form):
    make_event()
    (invitation,) = invite(("Anouk", "anouk@example.org"))
    services.send_invitations()
    page = client.get(f"/i/{invitation.secret}/decline")
    assert page.status_code == 200 and invitation.state == "sent"  # a mail scanner following links declines no one
    post_form(f"/i/{invitation.secret}/decline", {})
    db.session.refresh(invitation)
    assert invitation.state == "declined"




def test_invitation_only_refuses_rsvps_without_a_link_and_a_forwarded_link_takes_no_second_seat(app, make_event, monkeypatch):
    event = make_event()
    if hasattr(type(event), "registration_mode"):
        event.registration_mode = "invitation"
        db.session.commit()
    else:
        monkeypatch.setattr(services, "invitation_required", lambda event: True)
    (invitation,) = invite(("Anouk", "anouk@example.org"))
    with pytest.raises(DomainError) as refused:
        register(registration_data(email="stranger@example.org"))
    assert refused.value.code == "invitation_required"
    first = register(registration_data(email="anouk@example.org", invitation_secret=invitation.secret))
    forwarded = register(registration_data(name="Collega", email="collega@example.org", invitation_secret=invitation.secret))
    assert forwarded.duplicate and forwarded.registration.id == first.registration.id
    assert first.registration.email == "anouk@example.org" and first.registration.source == "invitation"
    from eventapp.registration.models import Registration
    assert count(Registration) == 1


def test_open_event_forwarded_link_registers_the_colleague_without_using_the_invitation(app, make_event):
    make_event()
    (invitation,) = invite(("Anouk", "anouk@example.org"))
    outcome = register(registration_data(email="collega@example.org", invitation_secret=invitation.secret))
    assert outcome.registration.email == "collega@example.org" and invitation.state == "new"


def test_suggested_partners_become_invitations_in_one_action(app, organiser, make_event, make_registration):
    make_event()
    make_registration(participation="signatory", commitments={1: "a", 2: "b", 3: "c"}, monitoring_consent=True,
                      suggested_partners=[{"organisation": "Voedselbank Delft", "contact_name": "Piet", "email": "piet@voedselbank.example.org"},
                                          {"organisation": "Zonder Adres", "contact_name": "", "email": ""}])
    page = organiser.get("/organiser/invitations/suggested").get_data(as_text=True)
    assert "Voedselbank Delft" in page and "Zonder Adres" in page
    organiser.post("/organiser/invitations/suggested", data={"csrf_token": csrf_token_from(page)})
    invitation = db.session.scalars(select(Invitation)).one()
    assert (invitation.email, invitation.organisation, invitation.source) == ("piet@voedselbank.example.org", "Voedselbank Delft", "suggested")
    organiser.post("/organiser/invitations/suggested", data={"csrf_token": csrf_token_from(page)})
    assert count(Invitation) == 1


def test_invitation_pages_are_for_organisers_only(app, client, make_event):
    make_event()
    create_user("door@example.org", "door", "correct horse battery")
    login(client, "door@example.org")
    for url in ("/organiser/invitations/", "/organiser/invitations/import", "/organiser/invitations/suggested"):
        assert client.get(url).status_code == 403


def test_cli_checks_then_imports_and_sends(app, runner, make_event, tmp_path):
    make_event()
    path = tmp_path / "list.csv"
    path.write_bytes(GOOD_AND_BAD_CSV)
    checked = runner.invoke(args=["invitations", "import", str(path)])
    assert "line 3: email_invalid" in checked.output and count(Invitation) == 0
    imported = runner.invoke(args=["invitations", "import", str(path), "--yes"])
    assert "Imported 2 invitees." in imported.output and count(Invitation) == 2
    sent = runner.invoke(args=["invitations", "send"])
    assert sent.exit_code == 0 and "Queued 2 mails." in sent.output
    assert runner.invoke(args=["invitations", "send"]).exit_code == 1  # nothing left to send


def test_only_ticked_with_none_ticked_sends_nothing(app, organiser, make_event):
    make_event()
    invite(("A", "a@example.org"), ("B", "b@example.org"))
    page = organiser.get("/organiser/invitations/").get_data(as_text=True)
    organiser.post("/organiser/invitations/send", data={"csrf_token": csrf_token_from(page), "scope": "chosen"})
    assert count(OutboxMessage) == 0
    (b,) = [i for i in db.session.scalars(select(Invitation)) if i.email == "b@example.org"]
    organiser.post("/organiser/invitations/send", data={"csrf_token": csrf_token_from(page), "scope": "chosen",
                                                        "invitation": [str(b.id)]})
    assert [m.recipient for m in db.session.scalars(select(OutboxMessage))] == ["b@example.org"]


def test_invitee_registering_through_the_public_form_counts_as_answered(app, make_event):
    make_event()
    (invitation,) = invite(("Anouk", "anouk@example.org"))
    services.send_invitations()
    register(registration_data(email="Anouk@Example.org"))
    assert invitation.state == "registered"
    with pytest.raises(DomainError):
        services.send_reminders()  # no one left to remind


def test_uploaded_workbooks_are_parsed_with_xml_bomb_protection():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML  # defusedxml is installed, so openpyxl refuses entity expansion


def test_importing_and_sending_are_written_to_the_audit_journal(app, organiser, make_event):
    from eventapp.organiser.models import AuditEntry

    make_event()
    invite(("Piet Pieters", "piet@example.org"))
    services.send_invitations(actor="tessa@example.org")
    services.send_reminders(actor="tessa@example.org")
    rows = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(row.action, row.actor) for row in rows] == [("invitations.invitation", "tessa@example.org"),
                                                         ("invitations.reminder", "tessa@example.org")]
    assert rows[0].detail["count"] == 1
