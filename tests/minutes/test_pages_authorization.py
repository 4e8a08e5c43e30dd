"""The authorization matrix of the record's URLs: every page and API route, every role.

Roles: anonymous; an outsider (an account, no delegation); an analyst; a
seat-holder's delegate (USA); a member without a seat (DEU); an observer
(CSTO); an ad hoc party invited to item 3 only (UKR); the secretariat.
"""

from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from minutes.models import Communique, Minutes, Position
from minutes.services import action_points as action_points_services
from minutes.services import communiques as communiques_services
from minutes.services import positions as positions_services
from minutes.services import review as review_services

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "analyst", "us", "de", "csto", "ua", "sec"]
LOGIN = 302  # pages send anonymous readers to the login page


@pytest.fixture
def record(world, say, minutes, circulated_communique):
    """Circulated minutes (a statement on item 1), a draft and a published communiqué."""
    statement = say("USA", 1, "Restraint.")
    point = action_points_services.action_point_create(
        minutes=minutes,
        user=world.user("sec"),
        description="Paper.",
        due_date=date.today(),
        owner=world.parties["USA"],
    )
    review_services.minutes_circulate(minutes=minutes, user=world.user("sec"))
    amendment = review_services.amendment_propose(
        minutes=minutes, party=world.parties["USA"], user=world.user("us"), text="Firmness."
    )
    draft = circulated_communique(title="Draft text")
    position = positions_services.position_state(
        communique=draft, party=world.parties["USA"], user=world.user("us"), stance="associates"
    )
    communiques_services.communique_version_add(
        communique=draft, user=world.user("sec"), text="<p>v2</p>"
    )
    published = circulated_communique(title="Published text")
    with time_machine.travel(published.deadline + timedelta(minutes=1)):
        communiques_services.communique_publish(communique=published, user=world.user("sec"))
    analyst = get_user_model().objects.create_user("ana")
    analyst.groups.add(Group.objects.get_or_create(name="analysts")[0])
    world.users["analyst"] = analyst
    return {
        "minutes": minutes,
        "statement": statement,
        "point": point,
        "amendment": amendment,
        "draft": draft,
        "published": published,
        "position": position,
    }


def _status_by_role(world, client_for, method, path, data=None):
    seen = {}
    for role in ROLES:
        client = client_for(None if role == "anonymous" else world.user(role))
        response = getattr(client, method)(path, data or {})
        seen[role] = response.status_code
    return seen


def _expect(anonymous, outsider, analyst, us, de, csto, ua, sec):
    return dict(zip(ROLES, (anonymous, outsider, analyst, us, de, csto, ua, sec), strict=True))


# Pages a reader opens (GET); the secretariat's working pages answer 404 to others.
PAGES = [
    ("minutes:minutes_list", None, _expect(LOGIN, 200, 200, 200, 200, 200, 200, 200)),
    ("minutes:minutes_detail", "minutes", _expect(LOGIN, 404, 404, 200, 200, 200, 200, 200)),
    ("minutes:revision_diff", "minutes", _expect(LOGIN, 404, 404, 200, 200, 200, 200, 200)),
    ("minutes:statements_export", "minutes", _expect(LOGIN, 404, 404, 200, 200, 200, 200, 200)),
    ("minutes:statement_record", "minutes", _expect(LOGIN, 404, 404, 404, 404, 404, 404, 200)),
    ("minutes:attendance_sheet", "minutes", _expect(LOGIN, 404, 404, 404, 404, 404, 404, 200)),
    ("minutes:statement_search", None, _expect(LOGIN, 200, 200, 200, 200, 200, 200, 200)),
    ("minutes:actionpoint_list", None, _expect(LOGIN, 200, 200, 200, 200, 200, 200, 200)),
    ("minutes:communique_list", None, _expect(200, 200, 200, 200, 200, 200, 200, 200)),
    ("minutes:communique_feed", None, _expect(200, 200, 200, 200, 200, 200, 200, 200)),
    ("minutes:communique_detail", "published", _expect(200, 200, 200, 200, 200, 200, 200, 200)),
    ("minutes:communique_detail", "draft", _expect(404, 404, 404, 200, 404, 404, 404, 200)),
    (
        "minutes:communique_version_diff",
        "draft",
        _expect(LOGIN, 404, 404, 200, 404, 404, 404, 200),
    ),
    ("minutes:communique_draft", None, _expect(LOGIN, 404, 404, 404, 404, 404, 404, 200)),
]


@pytest.mark.parametrize(
    ("name", "target", "expected"), PAGES, ids=[f"{p[0]}:{p[1]}" for p in PAGES]
)
def test_pages(world, record, client_for, name, target, expected):
    """Each page answers each role as the access rule says."""
    kwargs = {"public_id": record[target].public_id} if target else None
    assert _status_by_role(world, client_for, "get", reverse(name, kwargs=kwargs)) == expected


# The secretariat's actions: refused (404, nothing changes) for everyone else.
SECRETARIAT_ACTIONS = [
    ("minutes:minutes_circulate", "minutes"),
    ("minutes:minutes_approve", "minutes"),
    ("minutes:attendance_record", "minutes"),
    ("minutes:attendance_sheet", "minutes"),
    ("minutes:actionpoint_create", "minutes"),
    ("minutes:amendment_decide", "amendment"),
    ("minutes:communique_version_add", "draft"),
    ("minutes:communique_circulate", "draft"),
    ("minutes:communique_publish", "draft"),
]


@pytest.mark.parametrize(
    ("name", "target"), SECRETARIAT_ACTIONS, ids=[a[0] for a in SECRETARIAT_ACTIONS]
)
def test_secretariat_actions_are_refused_to_others(world, record, client_for, name, target):
    """Outside the secretariat the action does not exist (404), for anonymous users a login."""
    path = reverse(name, kwargs={"public_id": record[target].public_id})
    before = (Minutes.objects.get().status, Communique.objects.get(title="Draft text").status)
    for role in ROLES[:-1]:
        client = client_for(None if role == "anonymous" else world.user(role))
        response = client.post(
            path, {"decision": "accept", "reason": "x", "text": "x", "title": "x"}
        )
        assert response.status_code == (LOGIN if role == "anonymous" else 404), role
    assert (
        Minutes.objects.get().status,
        Communique.objects.get(title="Draft text").status,
    ) == before
    assert record["amendment"].__class__.objects.get().status == "proposed"
    # The same route exists for the secretariat.
    assert client_for(world.user("sec")).post(path).status_code != 404


def test_minutes_create_is_the_secretariat_s(world, client_for):
    """Opening minutes: 404 for every delegation and outsider, a login for anonymous users."""
    path = reverse("minutes:minutes_create", kwargs={"session_id": world.session.public_id})
    for role in ROLES[:-1]:
        if role == "analyst":
            continue
        client = client_for(None if role == "anonymous" else world.user(role))
        assert client.post(path).status_code == (LOGIN if role == "anonymous" else 404), role
    assert not Minutes.objects.exists()
    assert client_for(world.user("sec")).post(path).status_code == 302
    assert Minutes.objects.exists()


def test_delegation_actions(world, record, client_for):
    """Positions, silence breaks, amendments, interpretative statements and action point status:
    the drafting and record of others answer 404; who reads them gets the refusal message."""
    draft = record["draft"]
    communiques_services.communique_circulate(
        communique=draft,
        user=world.user("sec"),
        deadline=draft.created_at + timedelta(days=30),
    )
    position = reverse("minutes:position_state", kwargs={"public_id": draft.public_id})
    statuses = _status_by_role(
        world, client_for, "post", position, {"party": "DEU", "stance": "associates"}
    )
    # Readers of the draft are redirected back with the message; others find nothing.
    assert statuses == _expect(LOGIN, 404, 404, 302, 404, 404, 404, 302)
    assert not Position.objects.filter(party__code="DEU").exists()
    amend = reverse("minutes:amendment_propose", kwargs={"public_id": record["minutes"].public_id})
    statuses = _status_by_role(world, client_for, "post", amend, {"party": "USA", "text": "x"})
    # Ukraine reads the minutes (it was invited to item 3) but may not speak for the USA.
    assert statuses == _expect(LOGIN, 404, 404, 302, 400, 400, 400, 400)
    point = reverse("minutes:actionpoint_status", kwargs={"public_id": record["point"].public_id})
    statuses = _status_by_role(world, client_for, "post", point, {"status": "open"})
    assert statuses == _expect(LOGIN, 404, 404, 302, 302, 302, 404, 302)
    attach = reverse(
        "minutes:interpretative_attach", kwargs={"public_id": record["minutes"].public_id}
    )
    data = {"party": "USA", "item": world.items[0].public_id, "summary": "Reading of item 1."}
    statuses = _status_by_role(world, client_for, "post", attach, data)
    assert statuses == _expect(LOGIN, 404, 404, 302, 400, 400, 400, 400)
    silence = reverse("minutes:silence_break", kwargs={"public_id": draft.public_id})
    statuses = _status_by_role(world, client_for, "post", silence, {"party": "USA", "reason": "x"})
    assert statuses == _expect(LOGIN, 404, 404, 302, 404, 404, 404, 302)


API = [
    ("/api/v1/minutes/", None, _expect(401, 200, 200, 200, 200, 200, 200, 200)),
    ("/api/v1/minutes/{}/", "minutes", _expect(401, 404, 404, 200, 200, 200, 200, 200)),
    ("/api/v1/statements/", None, _expect(401, 200, 200, 200, 200, 200, 200, 200)),
    ("/api/v1/statements/{}/", "statement", _expect(401, 404, 404, 200, 200, 200, 404, 200)),
    ("/api/v1/action-points/", None, _expect(401, 200, 200, 200, 200, 200, 200, 200)),
    ("/api/v1/action-points/{}/", "point", _expect(401, 404, 404, 200, 200, 200, 404, 200)),
    ("/api/v1/communiques/", None, _expect(200, 200, 200, 200, 200, 200, 200, 200)),
    ("/api/v1/communiques/{}/", "published", _expect(200, 200, 200, 200, 200, 200, 200, 200)),
    ("/api/v1/communiques/{}/", "draft", _expect(404, 404, 404, 200, 404, 404, 404, 200)),
    ("/api/v1/positions/", None, _expect(401, 200, 200, 200, 200, 200, 200, 200)),
    ("/api/v1/positions/{}/", "position", _expect(401, 404, 404, 200, 404, 404, 404, 200)),
]


@pytest.mark.parametrize(("path", "target", "expected"), API, ids=[f"{a[0]}:{a[1]}" for a in API])
def test_api_reads(world, record, api_for, path, target, expected):
    """Each API read answers each role as the access rule says."""
    if target:
        path = path.format(record[target].public_id)
    seen = {}
    for role in ROLES:
        seen[role] = (
            api_for(None if role == "anonymous" else world.user(role)).get(path).status_code
        )
    assert seen == expected


def test_api_writes(world, record, api_for):
    """Positions: delegations only, analysts read-only; action points: owner or secretariat."""
    draft = record["draft"]
    communiques_services.communique_circulate(
        communique=draft,
        user=world.user("sec"),
        deadline=draft.created_at + timedelta(days=30),
    )
    seen = {}
    for role in ROLES:
        client = api_for(None if role == "anonymous" else world.user(role))
        seen[role] = client.post(
            "/api/v1/positions/", {"communique": str(draft.public_id), "stance": "associates"}
        ).status_code
    # The secretariat passes the API policy but holds no delegation: the body says which party.
    assert seen == _expect(401, 403, 403, 201, 400, 400, 400, 400)
    status_path = f"/api/v1/action-points/{record['point'].public_id}/status/"
    seen = {}
    for role in ROLES:
        client = api_for(None if role == "anonymous" else world.user(role))
        seen[role] = client.post(status_path, {"status": "open"}).status_code
    # Germany and the CSTO read the point (participants) but do not own it: not theirs to change.
    assert seen == _expect(401, 403, 403, 200, 403, 403, 404, 200)
