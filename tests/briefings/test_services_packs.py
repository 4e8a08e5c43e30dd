"""Scheduling, failures, quarantine and sanitising in the pack pipeline."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile

from agenda.models import DocumentVersion
from agenda.services.documents import document_version_add
from briefings.models import BuildReason, BuildStatus, Pack, PackRender, PackRequest
from briefings.selectors.audiences import Audience, pack_audience
from briefings.selectors.versions import pack_content_version
from briefings.services import renders
from briefings.services.leases import MAX_ATTEMPTS, RenderBusy, TransientPackError
from briefings.services.planning import packs_plan
from briefings.services.renders import pack_render_deliver
from briefings.services.schedule import (
    pack_rebuild_request,
    pack_rebuild_schedule,
    packs_detect_changes,
)
from briefings.tasks import packs_plan_task
from consult.errors import ApplicationError
from consult.pdf import PdfRenderLimitExceeded, PdfResourceRefused
from tests.briefings.packs import BACKGROUND, Table, copy_of, pages_text, read


def _render_of(table: Table, code: str) -> PackRender:
    return copy_of(table.user(code), table.session).render


def test_planning_makes_rows_once_and_enqueues_after_commit(
    table: Table, django_capture_on_commit_callbacks
) -> None:
    """Nothing is enqueued before commit; planning twice adds no render and no copy."""
    with django_capture_on_commit_callbacks() as callbacks:
        report = packs_plan(session_id=table.session.pk)
    assert (report.renders, report.packs) == (5, 6)
    assert len(callbacks) == 1
    assert set(Pack.objects.values_list("status", flat=True)) == {BuildStatus.QUEUED}

    again = packs_plan(session_id=table.session.pk)
    assert (again.renders, again.packs) == (5, 0)
    assert PackRender.objects.count() == 5
    assert Pack.objects.count() == 6


def test_a_later_request_supersedes_an_earlier_one(
    table: Table, django_capture_on_commit_callbacks
) -> None:
    """Debounce: of two quick requests only the latest builds."""
    with django_capture_on_commit_callbacks() as callbacks:
        first = pack_rebuild_schedule(session_id=table.session.pk, delay=60)
        second = pack_rebuild_schedule(session_id=table.session.pk, delay=60)
    assert (first.generation, second.generation) == (1, 2)
    assert len(callbacks) == 2
    assert packs_plan_task.apply((table.session.pk, 1)).get() == "superseded"
    assert not PackRender.objects.exists()
    assert packs_plan_task.apply((table.session.pk, 2)).get() == "built"
    assert PackRender.objects.count() == 5
    request = PackRequest.objects.get()
    assert request.finished_generation == 2


def test_changes_are_detected_and_rebuilt_after_a_quiet_period(
    table: Table, django_capture_on_commit_callbacks, settings
) -> None:
    """The periodic check schedules a session whose content changed, once per change."""
    settings.PACK_REBUILD_QUIET_SECONDS = 90
    with django_capture_on_commit_callbacks():
        assert packs_detect_changes() == [table.session.pk]
        assert packs_detect_changes() == []
    before = pack_content_version(session=table.session)

    document_version_add(
        document=table.background, user=table.secretary, body_html="<p>Revised background.</p>"
    )
    assert pack_content_version(session=table.session) != before
    with django_capture_on_commit_callbacks():
        assert packs_detect_changes() == [table.session.pk]
    request = PackRequest.objects.get(session=table.session)
    assert request.generation == 2
    assert (request.not_before - request.updated_at).total_seconds() == pytest.approx(90, abs=2)


def test_a_private_note_changes_only_its_delegations_audience(table: Table) -> None:
    """Another delegation's note is in nobody else's audience: their renders stay valid."""
    rus_before = pack_audience(user=table.user("RUS"), session=table.session)
    usa_before = pack_audience(user=table.user("USA"), session=table.session)
    document_version_add(document=table.us_note, user=table.user("USA"), body_html="<p>v2</p>")
    assert pack_audience(user=table.user("RUS"), session=table.session) == rus_before
    assert pack_audience(user=table.user("USA"), session=table.session) != usa_before


def test_a_transient_failure_is_retried_then_quarantined(
    table: Table, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A render over its limits is retried; after MAX_ATTEMPTS it is quarantined with its reason."""
    packs_plan(session_id=table.session.pk)
    render = _render_of(table, "USA")

    def over_the_limit(*args: Any, **kwargs: Any) -> Any:
        raise PdfRenderLimitExceeded("time", seconds=90)

    monkeypatch.setattr(renders, "run_limited", over_the_limit)
    for attempt in range(1, MAX_ATTEMPTS):
        with pytest.raises(TransientPackError):
            pack_render_deliver(render_id=render.pk)
        render.refresh_from_db()
        assert (render.attempts, render.status, render.quarantined) == (
            attempt,
            BuildStatus.QUEUED,
            False,
        )
    assert pack_render_deliver(render_id=render.pk) == "failed"
    render.refresh_from_db()
    assert render.status == BuildStatus.FAILED
    assert render.quarantined
    assert (render.reason_code, render.reason_params) == ("time_limit", {"seconds": "90"})
    assert render.display_reason == "The render took longer than 90 seconds."
    usa = copy_of(table.user("USA"), table.session)
    assert (usa.status, usa.reason_code, usa.reason_params) == (
        BuildStatus.FAILED,
        render.reason_code,
        render.reason_params,
    )
    # Quarantined: another redelivery or planning run does not try again.
    assert pack_render_deliver(render_id=render.pk) == "nothing to do"


def test_a_refused_resource_fails_at_once_with_its_reason(
    table: Table, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refusal fails the same way every time: no retry, quarantined on the first attempt."""
    packs_plan(session_id=table.session.pk)
    render = _render_of(table, "USA")

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise PdfResourceRefused("http://evil.example/x.png")

    monkeypatch.setattr(renders, "run_limited", refused)
    assert pack_render_deliver(render_id=render.pk) == "failed"
    render.refresh_from_db()
    assert (render.attempts, render.quarantined) == (1, True)
    assert render.display_reason == (
        "The document refers to a resource outside the platform: http://evil.example/x.png"
    )


def test_the_secretariat_rebuild_lifts_the_quarantine(
    table: Table, django_capture_on_commit_callbacks
) -> None:
    packs_plan(session_id=table.session.pk)
    render = _render_of(table, "USA")
    PackRender.objects.filter(pk=render.pk).update(
        status=BuildStatus.FAILED,
        quarantined=True,
        attempts=3,
        reason_code=BuildReason.ERROR,
        reason_params={"detail": "boom"},
    )
    Pack.objects.filter(render=render).update(
        status=BuildStatus.FAILED, reason_code=BuildReason.ERROR, reason_params={"detail": "boom"}
    )

    with pytest.raises(ApplicationError, match="Only the secretariat"):
        pack_rebuild_request(session=table.session, user=table.user("USA"))
    with django_capture_on_commit_callbacks() as callbacks:
        pack_rebuild_request(session=table.session, user=table.secretary)
    render.refresh_from_db()
    assert (render.status, render.quarantined, render.attempts) == (BuildStatus.QUEUED, False, 0)
    assert render.reason_code == BuildReason.REBUILD_REQUESTED
    usa = copy_of(table.user("USA"), table.session)
    assert (usa.status, usa.reason_code, usa.reason_params) == (BuildStatus.QUEUED, "", {})
    assert len(callbacks) == 1


def test_a_busy_render_is_not_built_twice(table: Table) -> None:
    """While another worker holds the lease, a second delivery of the task waits."""
    packs_plan(session_id=table.session.pk)
    render = _render_of(table, "USA")
    renders._claim(render.pk)
    with pytest.raises(RenderBusy):
        pack_render_deliver(render_id=render.pk)
    render.refresh_from_db()
    assert render.attempts == 1


def test_a_copy_follows_its_delegate_to_a_new_audience(table: Table) -> None:
    """Same content, but the delegate now reads more: the copy moves to the matching render."""
    packs_plan(session_id=table.session.pk)
    ukraine = copy_of(table.user("UKR"), table.session)
    first_render = ukraine.render_id
    from agenda.models import Invitation
    from agenda.services.invitations import invitation_create

    invitation_create(
        session=table.session, party=table.parties["UKR"], kind=Invitation.Kind.AD_HOC,
        item=table.chatham_item, user=None, notify=False,
    )  # fmt: skip
    packs_plan(session_id=table.session.pk)
    ukraine.refresh_from_db()
    assert ukraine.render_id != first_render
    assert ukraine.status == BuildStatus.QUEUED
    assert Audience.from_json(ukraine.render.audience).items == tuple(
        sorted([table.ukraine_item.pk, table.chatham_item.pk])
    )


def test_rich_text_written_around_the_services_is_sanitised_before_rendering(
    table: Table, recorder: tuple[str, list[str]]
) -> None:
    """A stored paper with remote images, style sheets and links reaches the render clean."""
    base, hits = recorder
    hostile = (
        f'<p>{BACKGROUND}</p><img src="{base}/track.png">'
        f'<style>@import "{base}/a.css"; p {{ font-size: 1e9px }}</style>'
        f'<link rel="attachment" href="file:///etc/passwd">'
        f'<p style="background: url({base}/bg)">styled</p><script>alert(1)</script>'
    )
    DocumentVersion.objects.filter(document=table.background).update(body_html=hostile)
    packs_plan(session_id=table.session.pk)
    render = _render_of(table, "UKR")
    assert pack_render_deliver(render_id=render.pk) == "ready"
    text = "".join(pages_text(read(copy_of(table.user("UKR"), table.session).file)))
    assert BACKGROUND in text
    assert "styled" in text
    assert "alert" not in text
    assert hits == []


def test_an_unreadable_upload_is_listed_not_appended(table: Table) -> None:
    """A paper that is not really a PDF does not break the pack: it is listed with the reason."""
    version = DocumentVersion.objects.get(document=table.annex)
    version.file.save("broken.pdf", ContentFile(b"%PDF-1.7 this is not a pdf"), save=True)
    packs_plan(session_id=table.session.pk)
    render = _render_of(table, "UKR")
    assert pack_render_deliver(render_id=render.pk) == "ready"
    text = "".join(pages_text(read(copy_of(table.user("UKR"), table.session).file)))
    assert "could not be read as a PDF" in text
    assert "Annex A" not in text
