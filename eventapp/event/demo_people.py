"""Plausible Dutch demo registrants: names with accents and particles, real-sounding organisations."""
FIRST_NAMES = ["Anouk", "Bram", "Çiğdem", "Daan", "Eline", "Fatima", "Gert-Jan", "Hanneke", "IJsbrand", "Joëlle",
               "Karim", "Lotte", "Mehmet", "Noor", "Oscar", "Priya", "Renée", "Sanne", "Thijs", "Yasmina",
               "Zoë", "Wouter", "Aïsha", "Bart", "Chantal", "Dirk", "Esra", "Femke", "Gijs", "Inge"]
LAST_NAMES = ["de Vries", "Jansen", "van den Berg", "Bakker", "Çelik", "El Amrani", "Visser", "Smit", "de Jong",
              "van Dijk", "Meijer", "Mulder", "Yılmaz", "de Boer", "Vos", "Peters", "Hendriks", "van Leeuwen",
              "Dekker", "Brouwer", "de Wit", "Dijkstra", "Kuijpers", "van 't Hof", "Öztürk", "Bos"]
ORGANISATIONS = [
    ("Gemeente Den Haag", "municipality"), ("Gemeente Rotterdam", "municipality"), ("Gemeente Utrecht", "municipality"),
    ("Gemeente Súdwest-Fryslân", "municipality"), ("Gemeente 's-Hertogenbosch", "municipality"),
    ("Gemeente Zwolle", "municipality"), ("Gemeente Almere", "municipality"), ("Gemeente Maastricht", "municipality"),
    ("Ministerie van VWS", "national_government"), ("Ministerie van SZW", "national_government"),
    ("GGD Haaglanden", "health_youth_care"), ("JGZ Zuid-Holland West", "health_youth_care"),
    ("Jeugdformaat", "health_youth_care"), ("Nederlands Centrum Jeugdgezondheid", "health_youth_care"),
    ("Stichting Leergeld", "social_organisation"), ("Jeugdfonds Sport & Cultuur", "social_organisation"),
    ("Voedselbank Haaglanden", "social_organisation"), ("Missing Chapter Foundation", "social_organisation"),
    ("Alles is Gezondheid", "social_organisation"), ("Hogeschool Inholland", "education"),
    ("ROC Mondriaan", "education"), ("Zorgverzekeraar Zilveren Kruis", "company"), ("Albert Heijn", "company"),
    ("Universiteit Leiden", "knowledge_institute"), ("Verwey-Jonker Instituut", "knowledge_institute"),
    ("NOS", "press"), ("Omroep West", "press"),
]
FUNCTIONS = ["Wethouder", "Beleidsadviseur armoede", "Directeur", "Programmamanager", "Jeugdarts",
             "Coördinator", "Bestuurder", "Journalist", "Onderzoeker", "Teamleider"]
PARTICIPATION_BY_TYPE = {"press": "press"}


def _participation(rng, org_type: str, n: int) -> str:
    if org_type in PARTICIPATION_BY_TYPE:
        return PARTICIPATION_BY_TYPE[org_type]
    return rng.choice(["signatory", "attendee", "attendee", "lived_experience", "youth"]) if n % 3 else "signatory"


def demo_person(rng, n: int) -> dict:
    """The n-th demo registrant as the data register() takes (deterministic for a given rng)."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    organisation, org_type = ORGANISATIONS[n % len(ORGANISATIONS)]
    participation = _participation(rng, org_type, n)
    signatory = participation == "signatory"
    return {
        "name": f"{first} {last}",
        "email": f"demo{n}@example.org",
        "organisation": organisation,
        "organisation_type": org_type,
        "function": rng.choice(FUNCTIONS),
        "participation": participation,
        "commitments": {
            1: "Wij trainen onze medewerkers in het signaleren en bespreekbaar maken van armoede." if signatory else "",
            2: "Wij bieden gezinnen een betalingsregeling en materialen voor sport en school." if signatory else "",
            3: "Wij delen onze aanpak in de Alliantie en vieren successen samen." if signatory else "",
        },
        "suggested_partners": [{"organisation": "Stichting Kinderhulp", "contact_name": "Marieke de Graaf",
                                "email": "info@example.org"}] if signatory else [],
        "monitoring_consent": signatory,
        "accessibility_needs": "Rolstoeltoegankelijke plek" if n % 17 == 0 else "",
        "dietary_wishes": "Vegetarisch" if n % 5 == 0 else "",
        "photo_consent": n % 4 != 0,
        "privacy_consent": True,
        "newsletter_opt_in": n % 2 == 0,
        "language": "en" if n % 10 == 0 else "nl",
    }
