from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from consult.errors import ApplicationError
from minutes.models import Communique, CommuniqueVersion, Position, SilenceBreak
from minutes.selectors import communiques as communiques_selectors
from minutes.services import communiques as communiques_services
from minutes.services import positions as positions_services
from minutes.tasks import communique_silence_deadline_task, communique_silence_sweep_task

from .conftest import reload

pytestmark = pytest.mark.django_db


def state(world, communique, code, stance, reservation="", user=None):
    username = {"USA": "us", "RUS": "ru", "NATO": "nato", "EU": "eu", "FRA": "fr"}.get(code)
    return positions_services.position_state(
        communique=communique,
        party=world.parties[code],
        user=user or world.user(username),
        stance=stance,
        reservation=reservation,
    )


def test_draft_keeps_versions_and_the_text_is_sanitised(world):
    """A draft starts at version 1; each new version is numbered on; scripts are removed."""
    communique = communiques_services.communique_draft(
        session=world.session,
        user=world.user("sec"),
        title="Joint communiqué",
        text="<p>One.</p><script>alert(1)</script>",
    )
    version = communiques_services.communique_version_add(
        communique=communique, user=world.user("sec"), text="<p>Two.</p>", note="Shorter"
    )
    assert version.number == 2
    assert list(communique.versions.values_list("number", "text")) == [
        (1, "<p>One.</p>"),
        (2, "<p>Two.</p>"),
    ]


def test_only_the_secretariat_drafts(world):
    """A delegation cannot draft a communiqué; nothing is created."""
    with pytest.raises(PermissionDenied, match="Only the secretariat"):
        communiques_services.communique_draft(
            session=world.session, user=world.user("us"), title="x", text="<p>x</p>"
        )
    assert not Communique.objects.exists()


def test_an_empty_text_is_refused(world):
    """A version with no visible text is refused."""
    with pytest.raises(ApplicationError, match="text is required"):
        communiques_services.communique_draft(
            session=world.session, user=world.user("sec"), title="x", text="<p> </p>"
        )
    assert not Communique.objects.exists()


def test_circulation_needs_a_version_and_a_future_deadline(world):
    """Circulating with no version, or a past deadline, is refused."""
    communique = Communique.objects.create(
        session=world.session, title="Empty", created_by=world.user("sec")
    )
    with pytest.raises(ApplicationError, match="no version to circulate"):
        communiques_services.communique_circulate(
            communique=communique,
            user=world.user("sec"),
            deadline=timezone.now() + timedelta(days=1),
        )
    CommuniqueVersion.objects.create(
        communique=communique, number=1, text="<p>x</p>", created_by=world.user("sec")
    )
    with pytest.raises(ApplicationError, match="deadline must be in the future"):
        communiques_services.communique_circulate(
            communique=communique,
            user=world.user("sec"),
            deadline=timezone.now() - timedelta(minutes=1),
        )
    assert reload(communique).status == Communique.Status.DRAFT


def test_publication_with_no_circulated_version_is_refused(world):
    """A draft that was never circulated cannot be published."""
    communique = communiques_services.communique_draft(
        session=world.session, user=world.user("sec"), title="Draft", text="<p>x</p>"
    )
    with pytest.raises(ApplicationError, match="has no circulated version"):
        communiques_services.communique_publish(communique=communique, user=world.user("sec"))
    assert reload(communique).status == Communique.Status.DRAFT


def test_every_seat_holder_associates_and_it_is_published_as_a_communique(
    world, circulated_communique
):
    """With every seat-holder associating, the text is published as a communiqué."""
    communique = circulated_communique()
    for code in ("USA", "RUS", "NATO", "EU", "FRA"):
        state(world, communique, code, "associates")
    communiques_services.communique_publish(communique=communique, user=world.user("sec"))
    communique = reload(communique)
    assert communique.status == Communique.Status.PUBLISHED
    assert communique.kind == Communique.Kind.COMMUNIQUE
    assert communique.distribution == "public"
    assert communique.published_title == "Joint communiqué"
    assert "agreed on the following non-binding communiqué" in communique.published_preamble
    assert communique.published_attribution == "Issued by the participants in session CCB/T/1"


def test_a_dissociation_publishes_a_chair_s_statement(world, circulated_communique):
    """Russia dissociates: no veto, the text is published as a chair's statement instead."""
    communique = circulated_communique()
    for code in ("USA", "NATO", "EU", "FRA"):
        state(world, communique, code, "associates")
    state(world, communique, "RUS", "dissociates")
    communiques_services.communique_publish(communique=communique, user=world.user("sec"))
    communique = reload(communique)
    assert communique.status == Communique.Status.PUBLISHED
    assert communique.kind == Communique.Kind.CHAIR_STATEMENT
    assert communique.published_title == "Chair's statement: Joint communiqué"
    assert "under the Chair's own responsibility" in communique.published_preamble
    assert communique.published_attribution == "Issued by the Chair (United States of America)"


def test_reservations_become_footnotes_attributed_to_the_party(world, circulated_communique):
    """The US reservation is a numbered footnote naming the United States."""
    communique = circulated_communique()
    state(world, communique, "USA", "associates_with_reservation", "Paragraph 3 is read as ...")
    state(world, communique, "FRA", "associates_with_reservation", "France notes ...")
    for code in ("RUS", "NATO", "EU"):
        state(world, communique, code, "associates")
    communiques_services.communique_publish(communique=communique, user=world.user("sec"))
    published = communiques_selectors.communique_get(
        world.user("outsider"), public_id=communique.public_id
    )
    notes = communiques_selectors.communique_footnotes(published)
    assert [(n.number, n.party, n.text) for n in notes] == [
        (1, "France", "France notes ..."),
        (2, "United States of America", "Paragraph 3 is read as ..."),
    ]
    assert reload(communique).kind == Communique.Kind.COMMUNIQUE


def test_a_reservation_needs_its_text_and_only_a_reservation_has_one(world, circulated_communique):
    """A reservation without text, or a text with another stance, is refused."""
    communique = circulated_communique()
    with pytest.raises(ApplicationError, match="reservation is required"):
        state(world, communique, "USA", "associates_with_reservation", "  ")
    with pytest.raises(ApplicationError, match="Only a position with a reservation"):
        state(world, communique, "USA", "associates", "But ...")
    with pytest.raises(ApplicationError, match="is not one of"):
        state(world, communique, "USA", "vetoes")
    assert not Position.objects.exists()


@pytest.mark.parametrize(
    ("code", "username"),
    [("DEU", "de"), ("UKR", "ua"), ("CSTO", "csto")],
    ids=["member-without-seat", "ad-hoc", "observer"],
)
def test_a_party_without_a_seat_that_quarter_states_no_position(
    world, circulated_communique, code, username
):
    """Members without a seat, ad hoc parties and observers have no position on texts."""
    communique = circulated_communique()
    with pytest.raises(ApplicationError, match="holds no seat in"):
        positions_services.position_state(
            communique=communique,
            party=world.parties[code],
            user=world.user(username),
            stance="dissociates",
        )
    assert not Position.objects.exists()


def test_a_delegate_states_positions_for_its_own_party_only(world, circulated_communique):
    """A Russian delegate cannot state the United States' position."""
    communique = circulated_communique()
    with pytest.raises(ApplicationError, match="delegation of United States"):
        state(world, communique, "USA", "dissociates", user=world.user("ru"))
    assert not Position.objects.exists()


def test_a_position_changes_until_the_deadline_and_not_after(world, circulated_communique):
    """Stating again replaces the position; after the deadline it is refused and kept."""
    communique = circulated_communique()
    state(world, communique, "RUS", "dissociates")
    state(world, communique, "RUS", "associates")
    assert list(Position.objects.values_list("party__code", "stance")) == [("RUS", "associates")]
    with (
        time_machine.travel(communique.deadline + timedelta(seconds=1)),
        pytest.raises(ApplicationError, match="deadline for “Joint communiqué” passed"),
    ):
        state(world, communique, "RUS", "dissociates")
    assert Position.objects.get().stance == "associates"


def test_no_position_before_circulation_nor_after_publication(world, circulated_communique):
    """Positions are stated on a circulated text only."""
    draft = communiques_services.communique_draft(
        session=world.session, user=world.user("sec"), title="Draft", text="<p>x</p>"
    )
    with pytest.raises(ApplicationError, match="is not circulated"):
        state(world, draft, "USA", "associates")
    communique = circulated_communique()
    with time_machine.travel(communique.deadline + timedelta(minutes=1)):
        communiques_services.communique_publish(communique=communique, user=world.user("sec"))
        with pytest.raises(ApplicationError, match="already published"):
            state(world, communique, "USA", "associates")


def test_publication_before_the_deadline_waits_for_every_seat_holder(world, circulated_communique):
    """Before the deadline, publishing needs a position from each seat-holder."""
    communique = circulated_communique()
    state(world, communique, "USA", "associates")
    with pytest.raises(ApplicationError, match="Positions are awaited from"):
        communiques_services.communique_publish(communique=communique, user=world.user("sec"))
    assert reload(communique).status == Communique.Status.CIRCULATED
    with time_machine.travel(communique.deadline + timedelta(minutes=1)):
        communiques_services.communique_publish(communique=communique, user=world.user("sec"))
    assert reload(communique).status == Communique.Status.PUBLISHED


def test_a_new_version_returns_the_text_to_draft(world, circulated_communique):
    """Positions on the old version no longer count; it must be circulated again, and every
    seat-holder joining the new version makes it the participants' text."""
    communique = circulated_communique()
    state(world, communique, "RUS", "dissociates")
    communiques_services.communique_version_add(
        communique=communique, user=world.user("sec"), text="<p>Revised.</p>"
    )
    communique = reload(communique)
    assert communique.status == Communique.Status.DRAFT
    assert communique.circulated_version is None
    communiques_services.communique_circulate(
        communique=communique, user=world.user("sec"), deadline=timezone.now() + timedelta(days=1)
    )
    for code in ("USA", "RUS", "NATO", "EU", "FRA"):
        state(world, communique, code, "associates")
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        communiques_services.communique_publish(communique=communique, user=world.user("sec"))
    communique = reload(communique)
    assert communique.kind == Communique.Kind.COMMUNIQUE
    assert communique.published_version.number == 2


def test_a_published_text_no_longer_changes(world, circulated_communique):
    """Publishing twice, or a new version after publication, is refused."""
    communique = circulated_communique()
    with time_machine.travel(communique.deadline + timedelta(minutes=1)):
        communiques_services.communique_publish(communique=communique, user=world.user("sec"))
        with pytest.raises(ApplicationError, match="already published"):
            communiques_services.communique_publish(communique=communique, user=world.user("sec"))
    with pytest.raises(ApplicationError, match="published; its text can no longer change"):
        communiques_services.communique_version_add(
            communique=communique, user=world.user("sec"), text="<p>Later.</p>"
        )
    assert communique.versions.count() == 1


# The silence procedure -----------------------------------------------------


def test_silence_deadline_task_is_scheduled_at_the_deadline_after_commit(
    world, django_capture_on_commit_callbacks
):
    """Circulating under silence enqueues one task with eta = deadline, once committed."""
    communique = communiques_services.communique_draft(
        session=world.session, user=world.user("sec"), title="Silent", text="<p>x</p>"
    )
    deadline = timezone.now() + timedelta(days=1)
    with mock.patch.object(communique_silence_deadline_task, "apply_async") as enqueue:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            communiques_services.communique_circulate(
                communique=communique,
                user=world.user("sec"),
                deadline=deadline,
                silence_procedure=True,
            )
        enqueue.assert_not_called()
        for callback in callbacks:
            callback()
    communique = reload(communique)
    enqueue.assert_called_once_with(
        args=(communique.pk, communique.circulated_version_id), eta=deadline
    )


def test_silence_kept_until_the_deadline_publishes_the_text_as_agreed(world, circulated_communique):
    """At the deadline, with silence unbroken, the text is agreed and published."""
    communique = circulated_communique(silence=True)
    version_id = communique.circulated_version_id
    assert communique_silence_deadline_task.delay(communique.pk, version_id).get() == "unchanged"
    assert reload(communique).status == Communique.Status.CIRCULATED
    with time_machine.travel(communique.deadline + timedelta(seconds=1), tick=False):
        outcome = communique_silence_deadline_task.delay(communique.pk, version_id).get()
        now = timezone.now()
    communique = reload(communique)
    assert outcome == "agreed"
    assert communique.status == Communique.Status.PUBLISHED
    assert communique.kind == Communique.Kind.COMMUNIQUE
    assert communique.silence_outcome == Communique.SilenceOutcome.AGREED
    assert communique.published_at == now


def test_silence_conclusion_is_idempotent(world, circulated_communique):
    """Running the deadline task and the sweep again changes nothing."""
    communique = circulated_communique(silence=True)
    with time_machine.travel(communique.deadline + timedelta(minutes=1)):
        assert communique_silence_sweep_task.delay().get() == 1
        published_at = reload(communique).published_at
        assert communique_silence_sweep_task.delay().get() == 0
        assert (
            communique_silence_deadline_task.delay(
                communique.pk, communique.circulated_version_id
            ).get()
            == "unchanged"
        )
    assert reload(communique).published_at == published_at


def test_broken_silence_is_recorded_and_the_text_stays_unpublished(world, circulated_communique):
    """A seat-holder breaks silence: at the deadline the text is not agreed."""
    communique = circulated_communique(silence=True)
    positions_services.silence_break(
        communique=communique,
        party=world.parties["RUS"],
        user=world.user("ru"),
        reason="Paragraph 2 is unacceptable.",
    )
    with time_machine.travel(communique.deadline + timedelta(minutes=1)):
        communique_silence_sweep_task.delay().get()
        communique = reload(communique)
        assert communique.silence_outcome == Communique.SilenceOutcome.BROKEN
        assert communique.status == Communique.Status.CIRCULATED
        # No veto: the secretariat may still publish it, as a chair's statement.
        communiques_services.communique_publish(communique=communique, user=world.user("sec"))
    assert reload(communique).kind == Communique.Kind.CHAIR_STATEMENT


def test_breaking_silence_twice_is_refused(world, circulated_communique):
    """A party breaks silence once; the second attempt is refused and not recorded."""
    communique = circulated_communique(silence=True)
    positions_services.silence_break(
        communique=communique, party=world.parties["RUS"], user=world.user("ru"), reason="No."
    )
    with pytest.raises(ApplicationError, match="already broke silence"):
        positions_services.silence_break(
            communique=communique, party=world.parties["RUS"], user=world.user("ru"), reason="No!"
        )
    assert SilenceBreak.objects.count() == 1


def test_silence_breaks_need_a_seat_a_reason_the_procedure_and_time(world, circulated_communique):
    """Observers, empty reasons, texts without the procedure and late breaks are refused."""
    silent = circulated_communique(silence=True)
    with pytest.raises(ApplicationError, match="holds no seat"):
        positions_services.silence_break(
            communique=silent, party=world.parties["CSTO"], user=world.user("csto"), reason="No."
        )
    with pytest.raises(ApplicationError, match="reason is required"):
        positions_services.silence_break(
            communique=silent, party=world.parties["USA"], user=world.user("us"), reason=" "
        )
    loud = circulated_communique(title="Open")
    with pytest.raises(ApplicationError, match="not under the silence procedure"):
        positions_services.silence_break(
            communique=loud, party=world.parties["USA"], user=world.user("us"), reason="No."
        )
    with (
        time_machine.travel(silent.deadline + timedelta(seconds=1)),
        pytest.raises(ApplicationError, match="passed"),
    ):
        positions_services.silence_break(
            communique=silent, party=world.parties["USA"], user=world.user("us"), reason="No."
        )
    assert not SilenceBreak.objects.exists()


def test_under_silence_publication_waits_for_the_deadline(world, circulated_communique):
    """The secretariat cannot cut a silence procedure short."""
    communique = circulated_communique(silence=True)
    with pytest.raises(ApplicationError, match="silence procedure on “Joint communiqué” runs"):
        communiques_services.communique_publish(communique=communique, user=world.user("sec"))


def test_a_recirculated_text_ignores_the_old_deadline_task(world, circulated_communique):
    """The task of an earlier circulation does not conclude the new one."""
    communique = circulated_communique(silence=True)
    old_version = communique.circulated_version_id
    communiques_services.communique_version_add(
        communique=communique, user=world.user("sec"), text="<p>2</p>"
    )
    communiques_services.communique_circulate(
        communique=communique,
        user=world.user("sec"),
        deadline=timezone.now() + timedelta(days=5),
        silence_procedure=True,
    )
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        assert communique_silence_deadline_task.delay(communique.pk, old_version).get() == (
            "unchanged"
        )
    assert reload(communique).status == Communique.Status.CIRCULATED


def test_previous_communique_is_the_last_published_before_the_session(world, circulated_communique):
    """A briefing pack shows the latest text published by an earlier session."""
    from .conftest import build_world

    communique = circulated_communique()
    with time_machine.travel(communique.deadline + timedelta(minutes=1)):
        communiques_services.communique_publish(communique=communique, user=world.user("sec"))
    later = build_world(number="CCB/T/9", starts_at=world.session.starts_at + timedelta(days=90))
    assert communiques_selectors.previous_communique(later.session) == communique
    assert communiques_selectors.previous_communique(world.session) is None
