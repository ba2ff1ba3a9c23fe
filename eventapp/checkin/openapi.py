"""The OpenAPI 3 description of the door API, served at /api/v1/openapi.json."""

VERDICTS = ["admitted", "already_checked_in", "unknown", "cancelled", "waitlisted"]


def _error_response(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


ERRORS = {
    "400": _error_response("Malformed request (not JSON, wrong types, unknown fields, too long)."),
    "401": _error_response("No valid bearer token or staff session."),
    "403": _error_response("The credential is not for the door."),
}


def _post(summary: str, request_schema: str, verdicts: list[str]) -> dict:
    return {
        "summary": summary,
        "security": [{"bearer": []}, {"session": []}],
        "requestBody": {"required": True,
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{request_schema}"}}}},
        "responses": {"200": {"description": "The verdict.",
                              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Verdict"}}}},
                      **ERRORS},
    }


def openapi_document() -> dict:
    """The whole document (kept in code so that the paths and the views cannot drift apart unnoticed: a test compares them)."""
    secret = {"type": "string", "maxLength": 256,
              "description": "The QR code's text as scanned (\"AK1:\" + secret) or the bare ticket secret."}
    nonce = {"type": "string", "minLength": 1, "maxLength": 64,
             "description": "Client-chosen id of this attempt: a retry with the same nonce gets the first verdict back."}
    attendee = {"type": ["object", "null"], "properties": {
        "name": {"type": "string"}, "organisation": {"type": "string"}, "participation": {"type": "string"},
        "signs_pledge": {"type": "boolean"}, "status": {"type": "string"}, "walk_in": {"type": "boolean"}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "eventapp door API", "version": "1.0.0",
                 "description": "Check-in at the door of the launch of the Alliantie Kinderarmoede."},
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/checkin": {"post": _post("Check a ticket in (exactly once).", "CheckinRequest", VERDICTS)},
            "/checkin/undo": {"post": _post("Undo a mistaken check-in (logged, never deleted).", "UndoRequest",
                                            ["undone", "not_checked_in", "unknown"])},
            "/lookup": {"get": {
                "summary": "Find registrations by name, organisation or e-mail (accents and case ignored).",
                "security": [{"bearer": []}, {"session": []}],
                "parameters": [{"name": "q", "in": "query", "required": True, "schema": {"type": "string", "maxLength": 200}}],
                "responses": {"200": {"description": "Up to 20 matches.", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["results"],
                    "properties": {"results": {"type": "array", "items": {"type": "object"}}}}}}},
                    "401": ERRORS["401"], "403": ERRORS["403"]}}},
            "/checkin/stats": {"get": {
                "summary": "Admitted of expected, per entrance.",
                "security": [{"bearer": []}, {"session": []}],
                "responses": {"200": {"description": "Counters.", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["admitted", "expected", "entrances"],
                    "properties": {"admitted": {"type": "integer"}, "expected": {"type": "integer"},
                                   "entrances": {"type": "array", "items": {"type": "object"}}}}}}},
                    "401": ERRORS["401"], "403": ERRORS["403"]}}},
        },
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer",
                           "description": "A door device's token (`flask --app app device create NAME`)."},
                "session": {"type": "apiKey", "in": "header", "name": "X-CSRFToken",
                            "description": "A logged-in staff session cookie plus its CSRF token."},
            },
            "schemas": {
                "CheckinRequest": {"type": "object", "additionalProperties": False, "required": ["secret"],
                                   "properties": {"secret": secret, "nonce": nonce,
                                                  "source": {"type": "string", "enum": ["scan", "lookup"]}}},
                "UndoRequest": {"type": "object", "additionalProperties": False, "required": ["secret"],
                                "properties": {"secret": secret, "nonce": nonce}},
                "Verdict": {"type": "object", "required": ["verdict", "attendee", "checked_in_at", "checked_in_by"],
                            "properties": {
                                "verdict": {"type": "string", "enum": VERDICTS + ["undone", "not_checked_in"]},
                                "attendee": attendee,
                                "checked_in_at": {"type": ["string", "null"], "format": "date-time"},
                                "checked_in_by": {"type": ["string", "null"]},
                                "replayed": {"type": "boolean"}}},
                "Error": {"type": "object", "required": ["error"],
                          "properties": {"error": {"type": "string"}, "message": {"type": "string"}}},
            },
        },
    }
