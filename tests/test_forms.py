"""The public forms over HTTP (RSVP, change, cancel, login): bad input gets a message next to the field, never a 500."""
import html
import re
import uuid
from functools import lru_cache
from pathlib import Path

import pytest
from flask import g
from markupsafe import escape
from sqlalchemy import func, select

import eventapp
from conftest import csrf_token_from
from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.registration.models import Commitment, Organisation, Registration, RegistrationLog, SuggestedPartner
from eventapp.security import SECRET_ALPHABET, SECRET_LENGTH

NL_PO = Path(eventapp.__file__).parent / "translations" / "nl" / "LC_MESSAGES" / "messages.po"

INVALID_EMAIL = "Please enter a valid e-mail address, such as name@organisation.nl."
NOT_A_CHOICE = "Not a valid choice."
UNSTORABLE = "This field contains characters that cannot be stored."
SENT_TWICE = "This field was sent more than once. Please fill it in once."
BAD_REQUEST = "Something in your request was not right"


@lru_cache(maxsize=1)
def _nl_catalog():
    if not NL_PO.exists():
        return None
    from babel.messages.pofile import read_po

    with NL_PO.open("rb") as po:
        return read_po(po, locale="nl")


def dutch(english: str) -> str | None:
    """The finished Dutch translation of `english` from the nl catalog, or None while it is missing."""
    catalog = _nl_catalog()
    message = catalog.get(english) if catalog is not None else None
    if message is None or not message.string or message.fuzzy:
        return None
    return message.string


def assert_dutch(page: str, english: str) -> None:
    """The page is in Dutch; where the catalog already translates `english`, the Dutch text is shown."""
    assert '<html lang="nl">' in page
    translation = dutch(english)
    if translation:  # the nl catalog is still being filled; assert Dutch text only where it exists
        assert html.escape(translation, quote=True) in page or translation in html.unescape(page)


def field_error(page: str, field_id: str) -> str | None:
    """The message shown next to the field (the element its aria-describedby points at)."""
    match = re.search(rf'id="{re.escape(field_id)}-error">(.*?)</p>', page, re.S)
    return html.unescape(match.group(1)) if match else None


def stored() -> dict:
    """Row counts of everything a form submission could write."""
    models = (Registration, Organisation, Commitment, SuggestedPartner, OutboxMessage, RegistrationLog)
    counts = {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in models}
    db.session.rollback()
    return counts


def rsvp(**kw) -> dict:
    """Valid RSVP form data (as a browser posts it); a value of None leaves the field out."""
    data = {"name": "Anouk de Vries", "email": f"anouk.{uuid.uuid4().hex[:8]}@example.org",
            "organisation": "Gemeente Den Haag", "organisation_type": "municipality", "function": "Beleidsadviseur",
            "participation": "attendee", "language": "nl", "privacy_consent": "y", "photo_consent": "y"}
    data.update(kw)
    return {key: value for key, value in data.items() if value is not None}


def details(**kw) -> dict:
    """Valid change-form data: the RSVP without e-mail address and privacy consent."""
    return rsvp(email=None, privacy_consent=None, **kw)


SIGNATORY = {"participation": "signatory", "commitment_1": "Wij signaleren armoede in de wijkteams.",
             "commitment_2": "Wij lossen schulden op met voorrang.", "commitment_3": "Wij delen wat werkt.",
             "partners-0-organisation": "Stichting Leergeld", "partners-0-contact_name": "Jan Jansen",
             "partners-0-email": "jan@leergeld.nl", "monitoring_consent": "y"}

# (field the message belongs to, form data overrides, message shown next to it)
REFUSALS = [
    ("name", {"name": None}, "Please enter your name."),
    ("name", {"name": "   "}, "Please enter your name."),
    ("organisation", {"organisation": None}, "Please enter your organisation."),
    ("organisation_type", {"organisation_type": None}, "Please choose the type of organisation."),
    ("participation", {"participation": None}, "Please choose how you take part."),
    ("name", {"name": "A" * 201}, "Field cannot be longer than 200 characters."),
    ("function", {"function": "F" * 201}, "Field cannot be longer than 200 characters."),
    ("commitment_1", {**SIGNATORY, "commitment_1": "x" * 6000}, "Field cannot be longer than 5000 characters."),
    ("dietary_wishes", {"dietary_wishes": "d" * 1001}, "Field cannot be longer than 1000 characters."),
    ("partners-0-email", {**SIGNATORY, "partners-0-email": "foo"}, INVALID_EMAIL),
    ("participation", {"participation": "hacker"}, NOT_A_CHOICE),
    ("organisation_type", {"organisation_type": "alien"}, NOT_A_CHOICE),
    ("language", {"language": "fr"}, NOT_A_CHOICE),
    ("participation", {"participation": ["attendee", "signatory"]}, SENT_TWICE),
    ("name", {"name": ["Anouk", "Bert"]}, SENT_TWICE),
    ("partners-0-organisation", {**SIGNATORY, "partners-0-organisation": ["Leergeld", "Armoedefonds"]}, SENT_TWICE),
    ("name", {"name": "Anouk\x00de Vries"}, UNSTORABLE),
    ("name", {"name": "Anouk\x1b[31m"}, UNSTORABLE),
    ("organisation", {"organisation": "Zorg\x07Welzijn"}, UNSTORABLE),
    ("partners-0-organisation", {**SIGNATORY, "partners-0-organisation": "Leer\x00geld"}, UNSTORABLE),
]
RSVP_REFUSALS = REFUSALS + [
    ("email", {"email": None}, "Please enter your e-mail address."),
    ("email", {"email": "foo"}, INVALID_EMAIL),
    ("email", {"email": "a@b"}, INVALID_EMAIL),
    ("email", {"email": "x@@y.nl"}, INVALID_EMAIL),
    ("email", {"email": "anouk@example.org\x00"}, INVALID_EMAIL),
    ("email", {"email": "a" * 250 + "@example.org"}, "Field cannot be longer than 254 characters."),
    ("email", {"email": ["anouk@example.org", "bert@example.org"]}, SENT_TWICE),
    ("privacy_consent", {"privacy_consent": None}, "Please agree to the privacy statement."),
]


def _ids(case):
    return repr(case[1])[:60]


@pytest.mark.parametrize("field,overrides,message", RSVP_REFUSALS, ids=[_ids(c) for c in RSVP_REFUSALS])
def test_rsvp_form_refuses_bad_input_next_to_the_field(client, post_form, make_event, frozen_clock,
                                                       field, overrides, message):
    make_event()
    before = stored()
    response = post_form("/register?lang=en", rsvp(**overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    shown = field_error(page, field)
    assert shown and message in shown, f"no message next to {field}"
    assert 'id="form-errors"' in page and "Please check the fields marked below." in page
    assert stored() == before

    dutch_page = post_form("/register?lang=nl", rsvp(**overrides)).get_data(as_text=True)
    assert field_error(dutch_page, field)
    assert_dutch(dutch_page, message)
    if message == NOT_A_CHOICE or message.startswith("Field cannot be longer"):
        assert field_error(dutch_page, field) != shown  # WTForms brings its own Dutch messages
    assert stored() == before


@pytest.mark.parametrize("field,overrides,message", REFUSALS, ids=[_ids(c) for c in REFUSALS])
def test_change_form_refuses_bad_input_and_keeps_the_registration(client, post_form, make_event, make_registration,
                                                                  frozen_clock, field, overrides, message):
    make_event()
    registration = make_registration(name="Anouk de Vries", organisation="Gemeente Den Haag")
    secret = registration.manage_secret
    before = stored()
    response = post_form(f"/ticket/{secret}/edit?lang=en", details(**overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    shown = field_error(page, field)
    assert shown and message in shown, f"no message next to {field}"
    assert stored() == before
    db.session.expire_all()
    unchanged = db.session.get(Registration, registration.id)
    assert (unchanged.name, unchanged.organisation.name, unchanged.participation) == (
        "Anouk de Vries", "Gemeente Den Haag", "attendee")

    dutch_page = post_form(f"/ticket/{secret}/edit?lang=nl", details(**overrides)).get_data(as_text=True)
    assert field_error(dutch_page, field)
    assert_dutch(dutch_page, message)
    assert stored() == before


def test_change_form_saves_valid_changes(client, post_form, make_event, make_registration, frozen_clock):
    make_event()
    registration = make_registration()
    response = post_form(f"/ticket/{registration.manage_secret}/edit", details(name="  Zoë d'Ancona  "))
    assert response.status_code == 302 and response.location.endswith(f"/ticket/{registration.manage_secret}")
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).name == "Zoë d'Ancona"


LOGIN_REFUSALS = [
    ("email", {"email": None}, "Please enter your e-mail address."),
    ("password", {"password": None}, "Please enter your password."),
    ("email", {"email": "a" * 250 + "@example.org"}, "Field cannot be longer than 254 characters."),
    ("password", {"password": "p" * 201}, "Field cannot be longer than 200 characters."),
]


@pytest.mark.parametrize("field,overrides,message", LOGIN_REFUSALS, ids=[_ids(c) for c in LOGIN_REFUSALS])
def test_login_form_refuses_missing_and_too_long_values(client, post_form, field, overrides, message):
    data = {"email": "organiser@example.org", "password": "correct horse battery", **overrides}
    response = post_form("/login?lang=en", {k: v for k, v in data.items() if v is not None})
    assert response.status_code in (200, 422)
    assert message in field_error(response.get_data(as_text=True), field)
    assert client.get("/organiser/outbox/").status_code == 302  # not logged in


@pytest.mark.parametrize("email,field,message", [
    ("foo", None, "E-mail address or password is not correct."),
    ("a@b", None, "E-mail address or password is not correct."),
    ("x@@y.nl", None, "E-mail address or password is not correct."),
    (["a@example.org", "organiser@example.org"], None, "E-mail address or password is not correct."),
    ("organiser@example.org\x00", "email", UNSTORABLE),  # PostgreSQL cannot even look this up
    ("Ан\x1b@example.org", "email", UNSTORABLE),
])
def test_login_form_with_a_malformed_address_is_a_failed_login_not_a_500(client, post_form, email, field, message):
    from eventapp.auth.services import create_user

    create_user("organiser@example.org", "organiser", "correct horse battery")
    response = post_form("/login?lang=en", {"email": email, "password": "correct horse battery"})
    page = response.get_data(as_text=True)
    assert response.status_code in (200, 422)
    assert message in (field_error(page, field) if field else page)
    assert client.get("/organiser/outbox/").status_code == 302  # not logged in


@pytest.mark.parametrize("token", [None, "wrong-token", "from-another-session"])
@pytest.mark.parametrize("form", ["register", "edit", "cancel", "login"])
def test_every_form_refuses_a_missing_or_wrong_csrf_token(app, client, make_event, make_registration, frozen_clock,
                                                          form, token):
    from eventapp.auth.services import create_user

    make_event()
    registration = make_registration()
    create_user("organiser@example.org", "organiser", "correct horse battery")
    url = {"register": "/register", "edit": f"/ticket/{registration.manage_secret}/edit",
           "cancel": f"/ticket/{registration.manage_secret}/cancel", "login": "/login"}[form]
    data = {"register": rsvp(), "edit": details(name="Bert"), "cancel": {},
            "login": {"email": "organiser@example.org", "password": "correct horse battery"}}[form]
    client.get(url + "?lang=en")  # the visitor has a session, as in a browser
    if token == "from-another-session":
        g.pop("csrf_token", None)  # Flask-WTF caches the token on g, which the test's app context shares
        data["csrf_token"] = csrf_token_from(app.test_client().get(url).get_data(as_text=True))
    elif token:
        data["csrf_token"] = token
    before = stored()
    response = client.post(url + "?lang=en", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert BAD_REQUEST in page and "<h1>" in page
    assert stored() == before
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).status == "confirmed"
    assert client.get("/organiser/outbox/").status_code == 302  # no login happened
    dutch_page = app.test_client().post(url, data=data).get_data(as_text=True)
    assert_dutch(dutch_page, BAD_REQUEST)


VALID_NAMES = ["Çiğdem Öztürk", "Renée van 't Hof", "Zoë d'Ancona", "李小龍", "Αλέξανδρος", "محمد"]


@pytest.mark.parametrize("name", VALID_NAMES)
def test_names_in_any_script_are_stored_as_typed_and_shown_escaped(client, post_form, make_event, frozen_clock, name):
    make_event()
    organisation = "<b>Zorg & Welzijn</b>"
    response = post_form("/register", rsvp(name=f"  {name}\t", organisation=f" {organisation} ",
                                           function="Coördinator 'Jeugd' & Gezin"))
    assert response.status_code == 302
    registration = db.session.execute(select(Registration)).scalar_one()
    assert registration.name == name
    assert registration.organisation.name == organisation
    assert registration.function == "Coördinator 'Jeugd' & Gezin"
    page = client.get(response.location).get_data(as_text=True)
    assert "&lt;b&gt;Zorg &amp; Welzijn&lt;/b&gt;" in page  # shows the literal text <b>Zorg & Welzijn</b>
    assert "<b>" not in page
    assert name in html.unescape(page)
    assert str(escape(name)) in page
    edit_page = client.get(f"{response.location}/edit").get_data(as_text=True)
    assert 'value="&lt;b&gt;Zorg &amp; Welzijn&lt;/b&gt;"' in edit_page and "<b>" not in edit_page


def test_a_name_of_exactly_200_characters_is_accepted(client, post_form, make_event, frozen_clock):
    make_event()
    assert post_form("/register", rsvp(name="Ä" * 200)).status_code == 302
    assert db.session.execute(select(Registration.name)).scalar_one() == "Ä" * 200


def test_signatory_rsvp_with_commitments_partner_and_consent_is_confirmed(client, post_form, make_event, frozen_clock):
    make_event()
    response = post_form("/register", rsvp(**SIGNATORY))
    assert response.status_code == 302
    registration = db.session.execute(select(Registration)).scalar_one()
    assert registration.status == "confirmed" and registration.participation == "signatory"
    assert registration.monitoring_consent is True
    assert [(c.activity, c.text) for c in registration.commitments] == [
        (1, SIGNATORY["commitment_1"]), (2, SIGNATORY["commitment_2"]), (3, SIGNATORY["commitment_3"])]
    assert [(p.organisation, p.contact_name, p.email) for p in registration.suggested_partners] == [
        ("Stichting Leergeld", "Jan Jansen", "jan@leergeld.nl")]


def test_signatory_rsvp_without_commitments_partner_and_consent_shows_every_message(client, post_form, make_event,
                                                                                   frozen_clock):
    make_event()
    before = stored()
    response = post_form("/register?lang=en", rsvp(participation="signatory"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    commitment = "Please describe your organisation's commitment under each of the three activities."
    for n in (1, 2, 3):
        assert commitment in field_error(page, f"commitment_{n}")
    assert "Please suggest at least one new partner." in field_error(page, "partners")
    assert "Signing partners take part in the yearly monitoring; please agree to it." in field_error(
        page, "monitoring_consent")
    assert stored() == before
    assert_dutch(post_form("/register?lang=nl", rsvp(participation="signatory")).get_data(as_text=True), commitment)


def test_signatory_message_sits_next_to_the_missing_commitment(client, post_form, make_event, frozen_clock):
    make_event()
    response = post_form("/register?lang=en", rsvp(**{**SIGNATORY, "commitment_2": "  "}))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(page, "commitment_2")
    assert field_error(page, "commitment_1") is None and field_error(page, "commitment_3") is None
    assert stored()["Registration"] == 0


UNKNOWN_SECRETS = ["XXXX", "".join(SECRET_ALPHABET[i % len(SECRET_ALPHABET)] for i in range(SECRET_LENGTH)),
                   "A" * 10_000, "%00", "%00" + "A" * (SECRET_LENGTH - 1), "..%2F..%2Fetc", "1%27%20OR%20%271%27=%271"]
SUFFIXES = ["", "/edit", "/cancel", "/qr.svg", "/qr.png", "/ticket.pdf", "/event.ics"]


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_unknown_or_malformed_secrets_give_the_404_page_in_dutch_and_english(app, make_event, make_registration,
                                                                            frozen_clock, suffix):
    make_event()
    make_registration()  # a real registration exists; none of the secrets below is its
    for secret in UNKNOWN_SECRETS:
        dutch_response = app.test_client().get(f"/ticket/{secret}{suffix}")
        assert dutch_response.status_code == 404, secret[:30]
        dutch_page = dutch_response.get_data(as_text=True)
        assert dutch_response.mimetype == "text/html" and 'class="error-code">404<' in dutch_page
        assert_dutch(dutch_page, "Page not found")
        english = app.test_client().get(f"/ticket/{secret}{suffix}?lang=en")
        assert english.status_code == 404
        english_page = english.get_data(as_text=True)
        assert '<html lang="en">' in english_page and "Page not found" in english_page
        assert "This link is unknown or no longer valid." in english_page


@pytest.mark.parametrize("suffix", ["/edit", "/cancel"])
def test_posting_to_an_unknown_secret_is_a_404_too(app, client, post_form, make_event, frozen_clock, suffix):
    make_event()
    response = post_form(f"/ticket/{'A' * SECRET_LENGTH}{suffix}?lang=en", details(), get_url="/register")
    assert response.status_code == 404 and "Page not found" in response.get_data(as_text=True)


def test_cancel_asks_first_then_cancels_once(client, post_form, make_event, make_registration, frozen_clock):
    make_event()
    registration = make_registration()
    url = f"/ticket/{registration.manage_secret}/cancel?lang=en"
    before = stored()

    question = client.get(url)
    page = question.get_data(as_text=True)
    assert question.status_code == 200 and "Cancel your registration?" in page
    assert "Yes, cancel my registration" in page
    assert stored() == before
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).status == "confirmed"

    token = csrf_token_from(page)
    first = client.post(url, data={"csrf_token": token})
    assert first.status_code == 302 and first.location.endswith(f"/ticket/{registration.manage_secret}")
    db.session.expire_all()
    cancelled = db.session.get(Registration, registration.id)
    assert cancelled.status == "cancelled"
    cancelled_at = cancelled.cancelled_at
    after_first = stored()
    assert after_first["RegistrationLog"] == before["RegistrationLog"] + 1
    assert after_first["OutboxMessage"] == before["OutboxMessage"] + 1  # the cancellation mail
    assert "has been cancelled" in client.get(first.location).get_data(as_text=True)

    assert "This registration has already been cancelled." in client.get(url).get_data(as_text=True)
    second = client.post(url, data={"csrf_token": token}, follow_redirects=True)
    assert second.status_code == 200
    assert "This registration has already been cancelled." in second.get_data(as_text=True)
    assert stored() == after_first
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).cancelled_at == cancelled_at


def test_a_cancelled_registration_cannot_be_changed(client, post_form, make_event, make_registration, frozen_clock):
    from eventapp.registration.services import cancel

    make_event()
    registration = make_registration()
    cancel(registration)
    before = stored()
    response = post_form(f"/ticket/{registration.manage_secret}/edit?lang=en", details(name="Bert"))
    assert response.status_code == 422
    assert "This registration has been cancelled." in response.get_data(as_text=True)
    assert stored() == before
