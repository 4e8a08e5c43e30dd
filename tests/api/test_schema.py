"""Schemathesis against the live schema, for each role.

The schema is fetched from ``/api/schema/`` of the WSGI application, and
every operation is called with generated valid and invalid inputs as an
anonymous caller, the secretariat, a delegate of each kind (seat-holder,
participant without a seat, ad hoc) and an analyst, over a small record
(tests/analytics/world.py). Every built-in check runs: no server error, a
documented status code, content type, headers and body, invalid input
refused, valid input accepted, and the rest.

Bounded in time: MAX_EXAMPLES per operation and mode, no shrinking, no
example database. One test function per role, so xdist spreads them; the
record is built once per module and worker; each test's writes run in a
savepoint and are rolled back.
"""

import re

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test.utils import override_settings
from hypothesis import HealthCheck, Phase, settings
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from analytics.services.tokens import api_token_create
from tests.analytics.world import build_world

MAX_EXAMPLES = 3
# A reference field's message when the object named does not exist (or may not be read).
REFERENCE_MISS = re.compile(r"(^No such .*|does not exist)\.$")
# Production sits behind a TLS-terminating proxy and redirects plain HTTP; the
# handler is built at import, before the suite's settings turn that off.
HTTPS = {"X-Forwarded-Proto": "https"}

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler(), headers=HTTPS)
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=MAX_EXAMPLES,
    no_shrink=True,
    deterministic=True,
    database="none",
    # DRF refuses NUL in every text field, before any rule of ours
    # (tests/api/test_input_refusals.py): not a promise of the schema to fuzz.
    allow_x00=False,
)
# Fuzzing only: the coverage phase's exhaustive sweep of every parameter's
# boundaries multiplies the requests per operation past the time budget; the
# refusals it probes are tested directly (tests/api/test_input_refusals.py).
schema.config.phases.coverage.enabled = False
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
            "anonymous": HTTPS,
            "secretariat": {**HTTPS, **_bearer(world.users["sec"])},
            "seat_holder": {**HTTPS, **_bearer(world.users["us"])},
            "participant": {**HTTPS, **_bearer(world.users["de"])},
            "ad_hoc": {**HTTPS, **_bearer(world.users["ua"])},
            "analyst": {**HTTPS, **_bearer(world.users["analyst"])},
        }
        transaction.set_rollback(True)
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def _bearer(user) -> dict[str, str]:
    # Read-write where the role may write at all (analysts' tokens are read-only whatever is asked).
    _, key = api_token_create(user=user, name="schemathesis", read_only=False)
    return {"Authorization": f"Bearer {key}"}


def is_documented_refusal(body: object) -> bool:
    """A 400 the schema documents for schema-valid input (consult.api_base, ``400``).

    A domain rule's refusal, ``Error``: ``{"detail"}`` with ``"fields"`` when
    it concerns some (a service's ApplicationError). Or a reference to an
    object that does not exist or that the caller may not read: no schema can
    list the ids that exist. Any other field error on schema-valid input means
    the schema promised more than the API reads, and fails.
    """
    if not isinstance(body, dict) or not body:
        return False
    if set(body) <= {"detail", "fields"} and isinstance(body.get("detail"), str):
        return True
    messages = [message for value in body.values() for message in (value or [None])]
    return all(isinstance(message, str) and REFERENCE_MISS.search(message) for message in messages)


def valid_input_accepted(ctx, response, case):
    """Schemathesis's ``positive_data_acceptance``, for which a documented refusal is an answer."""
    if response.status_code == 400 and is_documented_refusal(response.json()):
        return None
    return positive_data_acceptance(ctx, response, case)


def check(case, role_headers) -> None:
    """Every built-in check, positive_data_acceptance as valid_input_accepted."""
    case.call_and_validate(
        headers=role_headers,
        excluded_checks=[positive_data_acceptance],
        additional_checks=[valid_input_accepted],
    )


@pytest.mark.django_db
@schema.parametrize()
@bounded
def test_anonymous(case, headers):
    """No credentials at all."""
    check(case, headers["anonymous"])


@pytest.mark.django_db
@schema.parametrize()
@bounded
def test_secretariat(case, headers):
    """The secretariat, with a read-write token."""
    check(case, headers["secretariat"])


@pytest.mark.django_db
@schema.parametrize()
@bounded
def test_seat_holder_delegate(case, headers):
    """A delegate of a seat-holder, with a read-write token."""
    check(case, headers["seat_holder"])


@pytest.mark.django_db
@schema.parametrize()
@bounded
def test_participant_delegate(case, headers):
    """A delegate of a party invited without a seat."""
    check(case, headers["participant"])


@pytest.mark.django_db
@schema.parametrize()
@bounded
def test_ad_hoc_delegate(case, headers):
    """A delegate of an ad hoc party, accredited for one item."""
    check(case, headers["ad_hoc"])


@pytest.mark.django_db
@schema.parametrize()
@bounded
def test_analyst(case, headers):
    """An analyst, whose token is read-only."""
    check(case, headers["analyst"])
