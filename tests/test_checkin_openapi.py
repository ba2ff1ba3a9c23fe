"""The door API against its own OpenAPI document: schemathesis generates requests (valid and not) from it
and checks that no answer is a server error and that every answer matches the documented responses."""
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from eventapp.auth.devices import create_device_with_token

OPERATIONS = [("/checkin", "POST"), ("/checkin/undo", "POST"), ("/lookup", "GET"), ("/checkin/stats", "GET")]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)


@pytest.fixture
def api_schema(app, make_event, make_registration):
    make_event()
    for n in range(3):
        make_registration(name=f"Persoon {n}", send_mail=False)
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def test_the_document_lists_every_api_route(app, api_schema):
    documented = {(f"/api/v1{path}", method) for path, method in OPERATIONS}
    served = {(rule.rule, method) for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")
              and rule.rule != "/api/v1/openapi.json" for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert served == documented
    for path, method in OPERATIONS:
        assert api_schema[path][method] is not None


@pytest.mark.parametrize("path, method", OPERATIONS)
def test_no_generated_request_gets_a_server_error(api_schema, path, method):
    _device, token = create_device_with_token(f"Scanner {method} {path}")
    calls = []

    @SETTINGS
    @given(case=api_schema[path][method].as_strategy())
    def run(case):
        calls.append(case.call_and_validate(headers={"Authorization": f"Bearer {token}"}).status_code)

    run()
    assert calls and all(status < 500 for status in calls)


@pytest.mark.parametrize("path, method", OPERATIONS)
def test_without_credentials_every_operation_answers_401_json(api_schema, path, method):
    @settings(SETTINGS, max_examples=10)
    @given(case=api_schema[path][method].as_strategy())
    def run(case):
        response = case.call()
        assert response.status_code == 401
        assert "error" in response.json()

    run()
