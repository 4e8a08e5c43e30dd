"""The pack pipeline: audiences, one render each, stamped copies, and what each copy holds."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from briefings.models import BuildReason, BuildStatus, Pack, PackRender
from briefings.services.copies import pack_copies_stamp
from briefings.services.pdf_stamp import PACK_ID_KEY
from briefings.services.planning import packs_plan
from briefings.services.renders import pack_render_deliver
from briefings.tasks import pack_copies_stamp_task, pack_render_deliver_task, packs_plan_task
from notices.models import Notification
from tests.briefings.packs import (
    ANNEX_TEXT,
    BACKGROUND,
    CHATHAM_SPEAKER,
    RU_NOTE,
    SEAT_HOLDERS_ITEM,
    US_NOTE,
    Table,
    build_packs,
    copy_of,
    pages_text,
    read,
)

# Built once for the module: the assertions below only read the PDFs.
_COPIES: dict[str, Any] = {}


@pytest.fixture
def copies(table: Table) -> dict[str, Any]:
    """Every delegate's stamped copy and every audience's render, as bytes."""
    if not _COPIES:
        build_packs(table.session)
        for pack in Pack.objects.select_related("user", "render"):
            _COPIES[pack.user.username] = {
                "pdf": read(pack.file),
                "pack_id": str(pack.public_id),
                "name": pack.user.get_full_name(),
                "render": read(pack.render.file),
            }
    return _COPIES


def test_one_render_per_audience_and_one_copy_per_delegate(table: Table) -> None:
    """Delegates who read the same things share one render; each gets their own copy."""
    build_packs(table.session)

    renders = PackRender.objects.filter(session=table.session)
    # CSTO (observer), Ukraine (one item), USA and Russia (own notes), NATO and EU (same view).
    assert renders.count() == 5
    assert set(renders.values_list("status", flat=True)) == {BuildStatus.READY}
    nato, eu = copy_of(table.user("NATO"), table.session), copy_of(table.user("EU"), table.session)
    assert nato.render_id == eu.render_id
    assert Pack.objects.filter(session=table.session, status=BuildStatus.READY).count() == 6
    assert all(render.page_count >= 8 for render in renders)


def test_every_page_of_a_copy_carries_its_readers_marks(copies: dict[str, Any]) -> None:
    """Name, delegation, UTC time and pack id on every page, and the pack id in the metadata."""
    for username in ("delegate-usa", "delegate-rus", "delegate-ukr"):
        copy = copies[username]
        pages = pages_text(copy["pdf"])
        assert len(pages) >= 5
        for number, text in enumerate(pages, start=1):
            assert f"Prepared for {copy['name']}, Delegation of" in text, (username, number)
            assert f"Pack {copy['pack_id']}" in text, (username, number)
            assert " UTC" in text, (username, number)
        metadata = PdfReader(BytesIO(copy["pdf"])).metadata
        assert metadata is not None
        assert metadata[PACK_ID_KEY] == copy["pack_id"]


def test_copies_are_tagged_for_screen_readers(copies: dict[str, Any]) -> None:
    """Renders and stamped copies keep PDF/UA tags: a structure tree, MarkInfo and a language."""
    for pdf in (copies["delegate-usa"]["render"], copies["delegate-usa"]["pdf"]):
        catalog: Any = PdfReader(BytesIO(pdf)).trailer["/Root"]
        tree = catalog["/StructTreeRoot"].get_object()
        assert tree["/Type"] == "/StructTreeRoot"
        assert tree["/K"]
        assert catalog["/MarkInfo"]["/Marked"].value is True
        assert catalog["/Lang"] == "en"


def test_the_cover_names_its_reader(copies: dict[str, Any]) -> None:
    """The stamp writes the reader's name (any script) into the cover's "Prepared for" box."""
    cover = pages_text(copies["delegate-rus"]["pdf"])[0]
    assert "Prepared for" in cover
    assert "Сергей Лавров" in cover
    assert "Delegation of Russia" in cover


def test_copies_of_one_render_differ_only_by_their_marks(copies: dict[str, Any]) -> None:
    """NATO's and the EU's copies are the same render: same length, different marks."""
    nato, eu = copies["delegate-nato"], copies["delegate-eu"]
    assert nato["render"] == eu["render"]
    assert len(nato["pdf"]) == len(eu["pdf"]) == len(nato["render"])
    assert nato["pdf"] != eu["pdf"]
    assert "Nora North" not in "".join(pages_text(eu["pdf"]))


def test_a_delegation_never_finds_another_delegations_note(copies: dict[str, Any]) -> None:
    """Private notes reach their own delegation only, in copies and renders alike."""
    usa = "".join(pages_text(copies["delegate-usa"]["pdf"]))
    rus = "".join(pages_text(copies["delegate-rus"]["pdf"]))
    assert US_NOTE in usa
    assert RU_NOTE not in usa
    assert RU_NOTE in rus
    assert US_NOTE not in rus
    for username, copy in copies.items():
        render = "".join(pages_text(copy["render"]))
        if username != "delegate-usa":
            assert US_NOTE not in render, username
        if username != "delegate-rus":
            assert RU_NOTE not in render, username


def test_an_ad_hoc_party_reads_only_its_item(copies: dict[str, Any]) -> None:
    """Ukraine, invited to item 1, finds item 1 (with its annex) and nothing of the others."""
    ukraine = "".join(pages_text(copies["delegate-ukr"]["pdf"]))
    assert "The situation in and around Ukraine" in ukraine
    assert BACKGROUND in ukraine
    assert ANNEX_TEXT in ukraine
    assert "Incidents at sea" not in ukraine
    assert SEAT_HOLDERS_ITEM not in ukraine
    assert "a participant" not in ukraine


def test_an_observer_does_not_read_seat_holders_material(copies: dict[str, Any]) -> None:
    """The CSTO observer reads participants' items but not the seat-holders' one."""
    observer = "".join(pages_text(copies["delegate-csto"]["pdf"]))
    assert "Incidents at sea" in observer
    assert SEAT_HOLDERS_ITEM not in observer
    assert SEAT_HOLDERS_ITEM in "".join(pages_text(copies["delegate-usa"]["pdf"]))


def test_a_chatham_house_item_shows_no_speaker(copies: dict[str, Any]) -> None:
    """Statements carried from a Chatham House item read "a participant", never the speaker."""
    usa = "".join(pages_text(copies["delegate-usa"]["pdf"]))
    assert "Proposed a standing maritime incidents channel." in usa
    assert "a participant" in usa
    for copy in copies.values():
        assert CHATHAM_SPEAKER not in "".join(pages_text(copy["pdf"]))


def test_annex_pages_follow_their_cover_and_are_counted(copies: dict[str, Any]) -> None:
    """The uploaded PDF's pages replace the reserved pages; "page N of M" counts them."""
    pages = pages_text(copies["delegate-usa"]["pdf"])
    total = len(pages)
    annex = [n for n, text in enumerate(pages) if "The uploaded PDF follows" in text]
    assert len(annex) == 1
    assert ANNEX_TEXT + " 1" in pages[annex[0] + 1]
    assert ANNEX_TEXT + " 2" in pages[annex[0] + 2]
    assert f"Page 2 of {total}" in pages[1]


def test_the_previous_communique_and_open_action_points_are_in_the_pack(
    copies: dict[str, Any],
) -> None:
    usa = "".join(pages_text(copies["delegate-usa"]["pdf"]))
    assert "The body met and talked." in usa
    assert "Circulate a hotline draft" in usa


def test_redelivered_tasks_change_nothing(table: Table, django_capture_on_commit_callbacks) -> None:
    """Running every task again (as a redelivery would) makes no row, file or notice twice."""
    build_packs(table.session)
    packs = {p.pk: (p.file.name, p.stamped_at) for p in Pack.objects.all()}
    renders = {r.pk: r.file.name for r in PackRender.objects.all()}
    notices = Notification.objects.filter(key__startswith="pack-").count()
    assert notices == 6

    with django_capture_on_commit_callbacks(execute=True):
        assert packs_plan_task.delay(table.session.pk).get() == "built"
        for render_id in renders:
            assert pack_render_deliver_task.delay(render_id).get() == "nothing to do"
            assert pack_copies_stamp_task.delay(render_id).get() == 0

    assert {p.pk: (p.file.name, p.stamped_at) for p in Pack.objects.all()} == packs
    assert {r.pk: r.file.name for r in PackRender.objects.all()} == renders
    assert Notification.objects.filter(key__startswith="pack-").count() == notices
    assert mail.outbox == []


def test_a_delegate_whose_access_ended_before_stamping_gets_no_copy(table: Table) -> None:
    """Access is asked again when the copy is made: an ended membership means no delivery."""
    packs_plan(session_id=table.session.pk)
    usa = copy_of(table.user("USA"), table.session)
    # The delegate left the delegation after the packs were planned.
    table.user("USA").delegation_memberships.update(
        valid_from=timezone.now() - timedelta(days=400),
        valid_until=timezone.now() - timedelta(minutes=1),
    )

    pack_render_deliver(render_id=usa.render_id)

    usa.refresh_from_db()
    assert usa.status == BuildStatus.FAILED
    assert usa.reason_code == BuildReason.NOT_DELIVERED
    assert not usa.file
    assert not Notification.objects.filter(user=table.user("USA"), key__startswith="pack-")
    assert pack_copies_stamp(render_id=usa.render_id) == 0
