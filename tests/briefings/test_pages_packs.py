"""The reader page, the personal download, read receipts, the rebuild button and the API."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agenda.models import AgendaItem
from briefings.models import BuildReason, BuildStatus, Pack, PackReceipt, PackRequest
from tests.briefings.packs import (
    BACKGROUND,
    CHATHAM_SPEAKER,
    RU_NOTE,
    SEAT_HOLDERS_ITEM,
    US_NOTE,
    Table,
    build_packs,
    copy_of,
    new_item,
    pages_text,
)
from tests.factories import PartyFactory, delegate


def reader_url(session: Any) -> str:
    return reverse("briefings:pack_detail", kwargs={"public_id": session.public_id})


def download_url(session: Any) -> str:
    return reverse("briefings:pack_download", kwargs={"public_id": session.public_id})


def receipts_url(session: Any) -> str:
    return reverse("briefings:pack_receipts", kwargs={"public_id": session.public_id})


def missing_body(client: Any, name: str) -> bytes:
    response = client.get(reverse(name, kwargs={"public_id": uuid4()}))
    assert response.status_code == 404
    return response.content


@pytest.fixture
def usa_built(table: Table) -> Table:
    """The US delegate's copy is ready (the other audiences are left unrendered)."""
    build_packs(table.session, only=[table.user("USA")])
    return table


def test_the_reader_shows_the_delegates_content_and_records_the_view(client, usa_built) -> None:
    """Same content as the PDF, the download link, and a read receipt for the copy."""
    table = usa_built
    client.force_login(table.user("USA"))
    response = client.get(reader_url(table.session))
    assert response.status_code == 200
    page = response.content.decode()
    assert BACKGROUND in page
    assert US_NOTE in page
    assert RU_NOTE not in page
    assert CHATHAM_SPEAKER not in page
    assert "Alice Anderson" in page
    assert download_url(table.session) in page
    receipt = PackReceipt.objects.get()
    assert (receipt.user, receipt.action) == (table.user("USA"), PackReceipt.Action.VIEW)
    assert receipt.pack == copy_of(table.user("USA"), table.session)


def test_the_reader_shows_the_state_while_the_copy_is_being_built(client, table: Table) -> None:
    """Before the render is done the page says so (and refreshes), with no download link."""
    from briefings.services.planning import packs_plan

    packs_plan(session_id=table.session.pk)
    client.force_login(table.user("RUS"))
    page = client.get(reader_url(table.session)).content.decode()
    assert "being prepared" in page
    assert 'http-equiv="refresh"' in page
    assert download_url(table.session) not in page
    assert RU_NOTE in page


def test_an_ad_hoc_reader_sees_only_its_item(client, table: Table) -> None:
    client.force_login(table.user("UKR"))
    page = client.get(reader_url(table.session)).content.decode()
    assert "The situation in and around Ukraine" in page
    assert "Incidents at sea" not in page
    assert SEAT_HOLDERS_ITEM not in page


@pytest.mark.parametrize("who", ["outsider", "uninvited", "former"])
def test_reader_and_download_refuse_without_access_like_a_missing_session(
    client, usa_built, who: str
) -> None:
    """No access (no delegation, one nobody invited, one left): 404, a missing session's body."""
    table = usa_built
    if who == "outsider":
        user = table.outsider
    elif who == "uninvited":
        user = delegate(PartyFactory(code="FIN", name_en="Finland"))
    else:
        user = table.user("USA")
        user.delegation_memberships.update(valid_until=timezone.now() - timedelta(minutes=1))
    client.force_login(user)
    for name, url in (
        ("briefings:pack_detail", reader_url(table.session)),
        ("briefings:pack_download", download_url(table.session)),
        ("briefings:pack_receipts", receipts_url(table.session)),
    ):
        response = client.get(url)
        assert response.status_code == 404, (who, name)
        assert response.content == missing_body(client, name), (who, name)
    assert not PackReceipt.objects.exists()


def test_anonymous_readers_are_sent_to_log_in(client, usa_built) -> None:
    response = client.get(download_url(usa_built.session))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_download_is_the_delegates_own_marked_copy(client, usa_built) -> None:
    """The PDF is personal: private, never cached or sniffed, named with its pack id."""
    table = usa_built
    pack = copy_of(table.user("USA"), table.session)
    client.force_login(table.user("USA"))
    response = client.get(download_url(table.session))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store, private"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert str(pack.public_id) in response["Content-Disposition"]
    pdf = b"".join(response.streaming_content)
    assert all("Prepared for Alice Anderson" in text for text in pages_text(pdf))
    receipt = PackReceipt.objects.get(action=PackReceipt.Action.DOWNLOAD)
    assert (receipt.user, receipt.pack) == (table.user("USA"), pack)


def test_a_delegate_without_a_ready_copy_gets_404(client, usa_built) -> None:
    """Russia's render was not built: no copy to download, and the body says nothing more."""
    table = usa_built
    client.force_login(table.user("RUS"))
    response = client.get(download_url(table.session))
    assert response.status_code == 404
    assert response.content == missing_body(client, "briefings:pack_download")


def test_a_copy_is_not_served_once_its_content_is_no_longer_readable(client, usa_built) -> None:
    """An item taken away from the US after its copy was made: that copy is not served."""
    table = usa_built
    AgendaItem.objects.filter(pk=table.seat_holders_item.pk).update(distribution="secretariat")
    client.force_login(table.user("USA"))
    assert client.get(download_url(table.session)).status_code == 404


def test_someone_elses_copy_cannot_be_downloaded_by_id(client, usa_built) -> None:
    """``?copy=`` only ever picks among the caller's own copies."""
    table = usa_built
    usa = copy_of(table.user("USA"), table.session)
    client.force_login(table.user("RUS"))
    response = client.get(download_url(table.session), {"copy": str(usa.public_id)})
    assert response.status_code == 404


def test_read_receipts_per_delegation_for_the_secretariat(client, usa_built) -> None:
    table = usa_built
    client.force_login(table.user("USA"))
    client.get(reader_url(table.session))
    client.get(download_url(table.session))
    client.force_login(table.secretary)
    page = client.get(receipts_url(table.session)).content.decode()
    assert "United States" in page
    assert "Alice Anderson" in page
    assert "read 1 time," in page
    assert "downloaded 1 time," in page
    assert "1 of 1 opened it" in page


def test_delegates_do_not_see_read_receipts(client, usa_built) -> None:
    client.force_login(usa_built.user("USA"))
    assert client.get(receipts_url(usa_built.session)).status_code == 404


def test_the_secretariat_rebuilds_by_hand(client, table: Table, django_capture_on_commit_callbacks):
    """The button schedules an immediate build; delegates cannot press it."""
    url = reverse("briefings:pack_rebuild", kwargs={"public_id": table.session.public_id})
    client.force_login(table.user("USA"))
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(url)
    assert callbacks == []
    assert not PackRequest.objects.exists()

    client.force_login(table.secretary)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(url)
    assert response.status_code == 302
    assert PackRequest.objects.get(session=table.session).generation == 1
    assert len(callbacks) == 1


def test_the_secretariat_reads_the_content_but_no_delegates_copy(client, usa_built) -> None:
    table = usa_built
    client.force_login(table.secretary)
    page = client.get(reader_url(table.session)).content.decode()
    assert BACKGROUND in page
    assert US_NOTE not in page  # delegation-only: not even the secretariat
    assert client.get(download_url(table.session)).status_code == 404


def test_reader_queries_do_not_grow_with_items(client, usa_built) -> None:
    """The same number of queries for three items as for thirty, within a fixed budget
    (the crisis sections, off-ramps and norms included)."""
    table = usa_built
    client.force_login(table.user("USA"))
    client.get(reader_url(table.session))  # warm the session and caches
    with CaptureQueriesContext(connection) as three:
        assert client.get(reader_url(table.session)).status_code == 200
    for order in range(10, 37):
        new_item(agenda=table.session.agenda, order=order, title=f"Extra item {order}")
    with CaptureQueriesContext(connection) as thirty:
        page = client.get(reader_url(table.session))
    assert "Extra item 36" in page.content.decode()
    assert len(thirty) == len(three)
    assert len(three) <= 44


def test_the_api_lists_only_the_callers_own_copies(client, usa_built) -> None:
    table = usa_built
    usa = copy_of(table.user("USA"), table.session)
    client.force_login(table.user("USA"))
    body = client.get("/api/v1/packs/").json()
    assert [row["id"] for row in body["results"]] == [str(usa.public_id)]
    row = body["results"][0]
    assert row["status"] == BuildStatus.READY
    assert row["session"]["number"] == table.session.number
    assert row["download_url"] == f"http://testserver/api/v1/packs/{usa.public_id}/download/"
    assert client.get(f"/api/v1/packs/{usa.public_id}/").status_code == 200

    client.force_login(table.user("RUS"))
    rus = client.get("/api/v1/packs/").json()["results"]
    assert str(usa.public_id) not in {row["id"] for row in rus}
    missing = client.get(f"/api/v1/packs/{uuid4()}/")
    refused = client.get(f"/api/v1/packs/{usa.public_id}/")
    assert refused.status_code == missing.status_code == 404
    assert refused.json() == missing.json()


def test_a_queued_copy_has_no_download_link_in_the_api(client, table: Table) -> None:
    from briefings.services.planning import packs_plan

    packs_plan(session_id=table.session.pk)
    client.force_login(table.user("RUS"))
    [row] = client.get("/api/v1/packs/").json()["results"]
    assert row["status"] == BuildStatus.QUEUED
    assert row["download_url"] is None


def test_the_api_is_read_only(client, usa_built) -> None:
    client.force_login(usa_built.user("USA"))
    before = Pack.objects.count()
    assert client.post("/api/v1/packs/", {}).status_code in (403, 405)
    assert Pack.objects.count() == before


def test_the_session_page_panel_links_delegates_and_shows_the_secretariat_receipts(
    rf, usa_built: Table
) -> None:
    """``{% pack_panel session %}``: a link for delegates (to their PDF copy once it is
    ready), receipts and rebuild for staff."""
    from django.template import Context, Template

    table = usa_built
    template = Template("{% load packs %}{% pack_panel session %}")

    def panel(user: Any) -> str:
        request = rf.get("/")
        request.user = user
        return template.render(Context({"request": request, "session": table.session}))

    delegate_panel = panel(table.user("USA"))
    assert reader_url(table.session) in delegate_panel
    assert download_url(table.session) in delegate_panel
    assert "not ready yet" not in delegate_panel
    assert "Rebuild" not in delegate_panel
    # Russia's copy was not built: no link to a download that would find nothing.
    waiting = panel(table.user("RUS"))
    assert reader_url(table.session) in waiting
    assert download_url(table.session) not in waiting
    assert "your PDF copy is not ready yet" in waiting
    Pack.objects.filter(user=table.user("USA")).update(status=BuildStatus.QUEUED)
    assert download_url(table.session) not in panel(table.user("USA"))
    staff_panel = panel(table.secretary)
    assert "Rebuild the packs now" in staff_panel
    assert "Read receipts" in staff_panel
    assert panel(table.outsider).strip() == ""


def test_the_pack_says_how_the_previous_communique_was_adopted(client, usa_built) -> None:
    """The previous session's text carries its procedure in the reader and the PDF."""
    table = usa_built
    client.force_login(table.user("USA"))
    page = client.get(reader_url(table.session)).content.decode()
    assert '<p class="pack-procedure">Agreed by all participants</p>' in page
    pdf = b"".join(client.get(download_url(table.session)).streaming_content)
    assert any("Agreed by all participants" in text for text in pages_text(pdf))


def test_the_reader_shows_the_rebuild_progress_to_the_secretariat(
    client, usa_built, django_capture_on_commit_callbacks
) -> None:
    """Built, pending and failed copies (each delegate's newest), with a plain refresh link;
    the rebuild itself is queued after commit, not run in the request."""
    table = usa_built
    others = Pack.objects.filter(session=table.session).exclude(user=table.user("USA"))
    others.filter(user=table.user("RUS")).update(
        status=BuildStatus.FAILED,
        reason_code=BuildReason.RENDER_FAILED,
        reason_params={"detail": "Font missing."},
    )
    pending = others.exclude(user=table.user("RUS")).count()
    client.force_login(table.secretary)
    page = client.get(reader_url(table.session)).content.decode()
    assert (
        f"<strong>1</strong> built · <strong>{pending}</strong> pending · "
        "<strong>1</strong> failed" in page
    )
    assert f'href="{reader_url(table.session)}">Refresh</a>' in page
    rebuild = reverse("briefings:pack_rebuild", kwargs={"public_id": table.session.public_id})
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(rebuild, follow=True)
    assert len(callbacks) == 1  # the build is sent after commit, not run here
    assert "is queued" in response.content.decode()
    client.force_login(table.user("USA"))
    assert "pending ·" not in client.get(reader_url(table.session)).content.decode()
