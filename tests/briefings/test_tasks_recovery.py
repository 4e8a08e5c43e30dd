"""The sweep that re-queues the work of a dead worker once its lease lapses.

The real kill -9 of a worker is in test_tasks_reliability.py; here the dead
worker's traces (a lapsed lease, copies left waiting) are made by hand.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from briefings.models import BuildReason, BuildStatus, Pack, PackRender, PackRequest
from briefings.services import renders
from briefings.services.leases import MAX_ATTEMPTS
from briefings.services.planning import packs_plan
from briefings.services.recovery import SweepReport, packs_recover_lapsed
from briefings.services.renders import pack_render_deliver, pack_render_produce
from briefings.services.schedule import pack_rebuild_schedule
from tests.briefings.packs import Table, copy_of


def _render_of(table: Table, code: str) -> PackRender:
    return copy_of(table.user(code), table.session).render


def _lapse(render: PackRender) -> None:
    PackRender.objects.filter(pk=render.pk).update(
        lease_until=timezone.now() - timedelta(seconds=1)
    )


def test_a_render_whose_worker_died_is_built_once_more(
    table: Table, django_capture_on_commit_callbacks: Any
) -> None:
    """A lapsed building render is queued again, built, and each of its copies delivered once."""
    packs_plan(session_id=table.session.pk)
    render = _render_of(table, "USA")
    renders._claim(render.pk)  # a worker took it, then died
    assert packs_recover_lapsed().renders == []  # its lease still runs

    _lapse(render)
    with django_capture_on_commit_callbacks(execute=True):
        report = packs_recover_lapsed()

    assert report.renders == [render.pk]
    render.refresh_from_db()
    assert (render.status, render.attempts, render.lease_until) == (BuildStatus.READY, 2, None)
    copy = copy_of(table.user("USA"), table.session)
    assert copy.status == BuildStatus.READY
    assert packs_recover_lapsed().renders == []


def test_a_render_re_queued_but_not_taken_up_is_sent_again_only_after_a_lease(
    table: Table, django_capture_on_commit_callbacks: Any
) -> None:
    """With no worker up, each sweep does not pile up tasks: one per lapsed lease."""
    packs_plan(session_id=table.session.pk)
    render = _render_of(table, "USA")
    renders._claim(render.pk)
    _lapse(render)
    with django_capture_on_commit_callbacks() as callbacks:
        assert packs_recover_lapsed().renders == [render.pk]
        assert packs_recover_lapsed().renders == []
    assert len(callbacks) == 2
    render.refresh_from_db()
    assert render.status == BuildStatus.QUEUED
    assert set(render.packs.values_list("status", flat=True)) == {BuildStatus.QUEUED}

    _lapse(render)
    assert packs_recover_lapsed().renders == [render.pk]


def test_a_render_whose_worker_died_every_time_is_quarantined(table: Table) -> None:
    """The killed attempts count: after MAX_ATTEMPTS the render is failed, not re-queued."""
    packs_plan(session_id=table.session.pk)
    render = _render_of(table, "USA")
    renders._claim(render.pk)
    PackRender.objects.filter(pk=render.pk).update(attempts=MAX_ATTEMPTS)
    _lapse(render)

    report = packs_recover_lapsed()

    assert (report.renders, report.quarantined) == ([], [render.pk])
    render.refresh_from_db()
    assert (render.status, render.quarantined) == (BuildStatus.FAILED, True)
    assert (render.reason_code, render.reason_params) == (
        BuildReason.WORKER_STOPPED,
        {"attempts": MAX_ATTEMPTS},
    )
    usa = copy_of(table.user("USA"), table.session)
    assert (usa.status, usa.display_reason) == (
        BuildStatus.FAILED,
        f"Its worker stopped during each of {MAX_ATTEMPTS} attempts.",
    )


def test_a_delivery_whose_worker_died_is_resumed(
    table: Table, django_capture_on_commit_callbacks: Any
) -> None:
    """Rendered, then the worker died before stamping: the copies are still delivered, once."""
    packs_plan(session_id=table.session.pk)
    render = _render_of(table, "USA")
    assert pack_render_produce(render_id=render.pk) == "ready"
    assert packs_recover_lapsed().deliveries == []  # the delivery lease still runs

    _lapse(render)
    with django_capture_on_commit_callbacks(execute=True):
        assert packs_recover_lapsed().deliveries == [render.pk]

    copy = copy_of(table.user("USA"), table.session)
    assert copy.status == BuildStatus.READY
    render.refresh_from_db()
    assert render.lease_until is None  # nothing left to deliver
    assert packs_recover_lapsed() == SweepReport([], [], [], [])


def test_a_finished_build_holds_no_lease(table: Table) -> None:
    """A render built and delivered by a live worker leaves nothing for the sweep."""
    packs_plan(session_id=table.session.pk)
    render = _render_of(table, "USA")
    assert pack_render_deliver(render_id=render.pk) == "ready"
    render.refresh_from_db()
    assert render.lease_until is None
    assert Pack.objects.filter(render=render, status=BuildStatus.READY).exists()


def test_an_attempt_taken_over_after_its_lease_lapsed_changes_nothing(table: Table) -> None:
    """A worker that lost its lease to a later attempt leaves the render to that attempt."""
    packs_plan(session_id=table.session.pk)
    render = _render_of(table, "USA")
    first = renders._claim(render.pk)
    assert first is not None
    _lapse(render)
    renders._claim(render.pk)  # a second worker, after the sweep

    renders._fail(first, BuildReason.ERROR, {"detail": "late"}, retry=True)  # no retry raised

    render.refresh_from_db()
    assert (render.status, render.attempts, render.reason_code) == (BuildStatus.BUILDING, 2, "")


def test_a_requested_build_that_never_ran_is_sent_again(
    table: Table, django_capture_on_commit_callbacks: Any
) -> None:
    """A build due a lease ago and not finished (its worker held it and died) is sent again."""
    with django_capture_on_commit_callbacks():
        request = pack_rebuild_schedule(session_id=table.session.pk, delay=0)
    assert packs_recover_lapsed().requests == []  # just due: a live worker is on it

    PackRequest.objects.filter(pk=request.pk).update(
        not_before=timezone.now() - timedelta(minutes=5)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert packs_recover_lapsed().requests == [table.session.pk]

    request.refresh_from_db()
    assert request.finished_generation == request.generation
    assert PackRender.objects.filter(session=table.session).count() == 5
    assert packs_recover_lapsed().requests == []
