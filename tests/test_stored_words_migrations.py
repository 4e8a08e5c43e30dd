"""The migrations that replace English prose the platform stored with codes run both ways:
back, every code is written out as the English the platform used to store (in the column
as it was, wide enough again); forward, that English is read back into the same codes and
values, and a person's own words are untouched either way.

Migrates the test database back and forth, so it runs on a transactional database and
always ends at the latest migrations."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from agenda.models import Invitation
from agenda.services.extraordinary import session_convene_extraordinary
from agenda.services.invitations import invitation_create
from agenda.services.sessions import session_invite_table
from briefings.models import BuildReason, Pack, PackRender
from crises.models import Alert, CrisisTransition, OffRampTransition
from crises.services.alerts import alert_raise, alert_to_extraordinary_request
from crises.services.registers import off_ramp_create
from minutes.models import Minutes, MinutesRevision
from tests.crises.conftest import CrisisWorld, build_crisis_world
from tests.factories import SessionFactory

BEFORE = [
    ("agenda", "0012_agenda_item_translations"),
    ("briefings", "0003_render_language"),
    ("crises", "0008_aar_translations"),
    ("minutes", "0003_communique_translations"),
]
TYPED = "Invited for the item on the situation in and around Ukraine."
ALERT = "A collision at sea near Gotland; we request consultations."
ALERT_IN_ENGLISH = "Alert of 12 March 2027 09:30 UTC (Baltic Sea airspace incidents): " + ALERT


def migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


def latest() -> list[tuple[str, str]]:
    graph = MigrationExecutor(connection).loader.graph
    return [node for node in graph.leaf_nodes() if node[0] in dict(BEFORE)]


def column(table: str, name: str, pk: int) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {name} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


@pytest.fixture
def migrated_back_and_forth() -> Iterator[None]:
    """Whatever the test does, the database ends at the latest migrations."""
    try:
        yield
    finally:
        migrate(latest())


@pytest.fixture
def records(transactional_db: None) -> dict[str, Any]:
    """One record of each kind, written by today's services in today's form."""
    cw: CrisisWorld = build_crisis_world()
    sec = cw.sec
    session = SessionFactory(number="CCB/T/M1", quarter=cw.table.session.quarter)
    session_invite_table(session=session)
    planned = Invitation.objects.get(session=session, party=cw.table.parties["RUS"])
    typed = invitation_create(
        session=session,
        party=cw.table.parties["UKR"],
        kind=Invitation.Kind.AD_HOC,
        user=sec,
        reason=TYPED,
        notify=False,
    )
    minutes = Minutes.objects.create(session=cw.table.session, created_by=sec)
    revisions = [
        MinutesRevision.objects.create(
            minutes=minutes, number=number, reason=reason, snapshot={}, created_by=sec
        )
        for number, reason in enumerate(
            [MinutesRevision.Reason.CIRCULATED, MinutesRevision.Reason.INTERPRETATIVE_STATEMENT],
            start=1,
        )
    ]
    raised = CrisisTransition.objects.get(crisis=cw.crisis)
    off_ramp = off_ramp_create(user=sec, crisis=cw.crisis, title="Hotline between air commands")
    proposed = OffRampTransition.objects.get(off_ramp=off_ramp)
    alert = alert_raise(user=cw.user("us"), text=ALERT, crisis=cw.crisis)
    Alert.objects.filter(pk=alert.pk).update(raised_at=datetime(2027, 3, 12, 9, 30, tzinfo=UTC))
    alert.refresh_from_db()
    request = alert_to_extraordinary_request(user=cw.user("us"), alert=alert)
    starts = timezone.now() + timedelta(days=1)
    convened = session_convene_extraordinary(
        user=sec,
        starts_at=starts,
        ends_at=starts + timedelta(hours=4),
        venue="Vienna",
        reason="",
        request=request,
    )
    render = PackRender.objects.create(
        session=session,
        content_version="v1",
        audience_key="a1",
        status="failed",
        reason_code=BuildReason.WORKER_STOPPED,
        reason_params={"attempts": 3},
    )
    copies = [
        Pack.objects.create(
            render=render,
            session=session,
            content_version="v1",
            user=cw.user(username),
            party=cw.table.parties[code],
            status="failed",
            reason_code=reason,
            reason_params=values,
        )
        for username, code, reason, values in [
            ("us", "USA", BuildReason.RESOURCE_REFUSED, {"url": "http://evil.example/x.png"}),
            ("ru", "RUS", BuildReason.ERROR, {"detail": "OSError: disk full"}),
            ("nato", "NATO", BuildReason.NOT_DELIVERED, {}),
        ]
    ]
    return {
        "planned": planned,
        "typed": typed,
        "revisions": revisions,
        "raised": raised,
        "proposed": proposed,
        "request": request,
        "convened": convened,
        "render": render,
        "copies": copies,
    }


def test_the_stored_words_migrations_run_back_and_forth(
    records: dict[str, Any], migrated_back_and_forth: None
) -> None:
    migrate(BEFORE)

    # Back: the English the platform used to store, in the columns as they were.
    assert column("agenda_invitation", "reason", records["planned"].pk) == (
        "Seat-holder of the quarter."
    )
    assert column("agenda_invitation", "reason", records["typed"].pk) == TYPED
    assert [
        column("minutes_minutesrevision", "reason", revision.pk)
        for revision in records["revisions"]
    ] == ["Circulated for amendments", "Interpretative statement attached"]
    assert column("crises_crisistransition", "reason", records["raised"].pk) == (
        "Raised at the session."
    )
    assert column("crises_offramptransition", "reason", records["proposed"].pk) == "Proposed."
    assert column("agenda_extraordinaryrequest", "reason", records["request"].pk) == (
        ALERT_IN_ENGLISH
    )
    assert column("agenda_session", "request_reason", records["convened"].pk) == ALERT_IN_ENGLISH
    assert column("briefings_packrender", "reason", records["render"].pk) == (
        "Its worker stopped during each of 3 attempts."
    )
    assert [column("briefings_pack", "reason", pack.pk) for pack in records["copies"]] == [
        "The document refers to a resource outside the platform: http://evil.example/x.png",
        "OSError: disk full",
        "Access ended before the copy was made; it was not delivered.",
    ]

    migrate(latest())

    # Forward again: the same codes and values as the services wrote.
    planned = Invitation.objects.get(pk=records["planned"].pk)
    assert (planned.reason, planned.reason_code) == ("", Invitation.ReasonCode.SEAT_HOLDER)
    typed = Invitation.objects.get(pk=records["typed"].pk)
    assert (typed.reason, typed.reason_code) == (TYPED, "")
    assert list(
        MinutesRevision.objects.filter(pk__in=[r.pk for r in records["revisions"]])
        .order_by("number")
        .values_list("reason", flat=True)
    ) == ["circulated", "interpretative_statement"]
    raised = CrisisTransition.objects.get(pk=records["raised"].pk)
    assert (raised.reason, raised.reason_code) == ("", "raised")
    assert OffRampTransition.objects.get(pk=records["proposed"].pk).reason == ""
    request = type(records["request"]).objects.get(pk=records["request"].pk)
    assert (request.reason, request.alert_raised_at, request.alert_about) == (
        ALERT,
        datetime(2027, 3, 12, 9, 30, tzinfo=UTC),
        "Baltic Sea airspace incidents",
    )
    assert type(records["convened"]).objects.get(pk=records["convened"].pk).request_reason == ALERT
    render = PackRender.objects.get(pk=records["render"].pk)
    assert (render.reason_code, render.reason_params) == ("worker_stopped", {"attempts": 3})
    assert [
        (pack.reason_code, pack.reason_params)
        for pack in Pack.objects.filter(pk__in=[p.pk for p in records["copies"]]).order_by("pk")
    ] == [
        ("resource_refused", {"url": "http://evil.example/x.png"}),
        ("error", {"detail": "OSError: disk full"}),
        ("not_delivered", {}),
    ]
