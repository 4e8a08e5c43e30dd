"""Schemathesis against the live schema, for each role.

The schema is fetched from ``/api/schema/`` of the WSGI application, and
every operation is called with generated valid inputs as the secretariat (a
read-write token), a delegate and an analyst (read-only tokens), and an
anonymous caller, over a small record (tests/analytics/world.py). Every
response must be free of server errors and agree with the schema: a
documented status code and content type, documented headers, a body that
matches its documented schema.

Bounded in time: a few examples per operation, no shrinking, no example
database. The record is built once for the module; each test's writes run in
a savepoint and are rolled back.
"""

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test.utils import override_settings
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from analytics.services.tokens import api_token_create
from tests.analytics.world import build_world

MAX_EXAMPLES = 3
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Production sits behind a TLS-terminating proxy and redirects plain HTTP; the
# handler is built at import, before the suite's settings turn that off.
HTTPS = {"X-Forwarded-Proto": "https"}

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler(), headers=HTTPS)
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE],
    max_examples=MAX_EXAMPLES,
    no_shrink=True,
    deterministic=True,
    database="none",
)
bounded = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def headers(django_db_setup, django_db_blocker):
    """The record, built once, and each role's request headers."""
    # The handler closes the database connection around each request, as in
    # production; here that connection holds the module's transaction (Django's
    # test client unhooks the same receiver).
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    # Quotas are per token and these tokens have one client: this test.
    no_quotas = {"token_burst": None, "token_sustained": None}
    rest_framework = {**django_settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": no_quotas}
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(REST_FRAMEWORK=rest_framework),
    ):
        world = build_world()
        yield {
            "secretariat": {**HTTPS, **_bearer(world.users["sec"], read_only=False)},
            "delegate": {**HTTPS, **_bearer(world.users["us"])},
            "analyst": {**HTTPS, **_bearer(world.users["analyst"])},
            "anonymous": HTTPS,
        }
        transaction.set_rollback(True)
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def _bearer(user, *, read_only: bool = True) -> dict[str, str]:
    _, key = api_token_create(user=user, name="schemathesis", read_only=read_only)
    return {"Authorization": f"Bearer {key}"}


@pytest.mark.django_db
@schema.parametrize()
@bounded
def test_secretariat(case, headers):
    """The secretariat, with a read-write token: no 5xx, nothing against the schema."""
    case.call_and_validate(headers=headers["secretariat"], checks=CHECKS)


@pytest.mark.django_db
@schema.parametrize()
@bounded
def test_delegate(case, headers):
    """A delegate of a seat-holder, with a read-only token."""
    case.call_and_validate(headers=headers["delegate"], checks=CHECKS)


@pytest.mark.django_db
@schema.parametrize()
@bounded
def test_analyst(case, headers):
    """An analyst, whose token is read-only."""
    case.call_and_validate(headers=headers["analyst"], checks=CHECKS)


@pytest.mark.django_db
@schema.parametrize()
@bounded
def test_anonymous(case, headers):
    """No credentials at all."""
    case.call_and_validate(headers=headers["anonymous"], checks=CHECKS)
