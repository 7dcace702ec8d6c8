"""The OpenAPI document is valid OpenAPI 3, and the live API keeps to it (schemathesis)."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import make_article, make_organisation, make_section

pytestmark = pytest.mark.django_db


def test_the_schema_is_valid_openapi_3(client, public_story):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    validate(response.json())


def test_the_reference_page_loads_its_scripts_from_the_site_only(client):
    html = client.get("/api/v1/reference/").content.decode()
    assert "<script>" not in html  # no inline script: it runs under script-src 'self'
    assert "<style" not in html  # nor inline style: style-src allows none
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "://" not in html.split("<body>")[1]  # no CDN
    script = client.get("/api/v1/reference/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in script.content.decode()


@pytest.fixture
def newsroom(db):
    section = make_section("Diplomacy")
    make_article("Talks resume", section=section, tags=["talks"])
    make_article("Roadmap signed", organisations=[make_organisation("NATO")])


@pytest.fixture
def api(newsroom, settings):
    # schemathesis asks many times a second: the reader limit is not what is tested.
    settings.NEWSROOM_API_ANON_RATE = "100000/min"
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    # As Django's test client does: the WSGI handler's end of request would close
    # the test's database connection (and its transaction) on PostgreSQL.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def test_every_endpoint_answers_as_its_schema_says_and_never_fails(api):
    """Every operation, a bounded number of generated requests each (< 60 s in all)."""
    failures = []
    for result in api.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=10,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            case.call_and_validate(checks=CHECKS)

        try:
            given(case=operation.as_strategy())(check)()
        except Exception as error:  # collected so one report names every operation
            failures.append(f"{operation.label}: {error}")
    assert not failures, "\n\n".join(failures)
