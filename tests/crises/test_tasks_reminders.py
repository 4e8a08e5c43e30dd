"""Reminders to delegations that have not scored every threat of an open round: 3 days and
1 day before the deadline, each once, to seat-holders only, and never after the deadline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from crises.models import AssessmentRound
from crises.services import assessments as assessment_services
from crises.services.reminders import round_remind, round_reminders_send
from crises.tasks import round_reminders_send_task
from notices.models import Notification
from tests.crises.conftest import CrisisWorld

NOT_DONE = {"ru", "nato", "eu", "fr"}  # the seat-holders but the US, who scored everything


def _round(cw: CrisisWorld) -> AssessmentRound:
    return AssessmentRound.objects.get(assessment=cw.assessment, number=1)


def _reminded(key_days: int) -> set[str]:
    return set(
        Notification.objects.filter(key__endswith=f"-{key_days}d").values_list(
            "user__username", flat=True
        )
    )


def _run_at(moment: datetime) -> int:
    with time_machine.travel(moment, tick=False):
        return round_reminders_send(now=timezone.now())


@pytest.fixture
def scored(cw: CrisisWorld, score: Callable[..., None]) -> CrisisWorld:
    score("us", [(3, 3), (2, 2), (4, 4)])  # every threat
    score("ru", [(3, 3)])  # one of three
    return cw


def test_reminders_go_out_3_days_and_1_day_before_the_deadline_each_once(
    scored: CrisisWorld,
) -> None:
    deadline = _round(scored).deadline
    assert _run_at(deadline - timedelta(days=4)) == 0
    assert not Notification.objects.exists()

    assert _run_at(deadline - timedelta(days=3)) == len(NOT_DONE)
    assert _reminded(3) == NOT_DONE
    assert _run_at(deadline - timedelta(days=3)) == 0  # again: not resent
    assert _run_at(deadline - timedelta(days=2)) == 0
    assert Notification.objects.count() == len(NOT_DONE)
    assert _round(scored).reminded_3_days_at == deadline - timedelta(days=3)

    assert _run_at(deadline - timedelta(days=1)) == len(NOT_DONE)
    assert _run_at(deadline - timedelta(hours=2)) == 0
    assert _reminded(1) == NOT_DONE
    assert _round(scored).reminded_1_day_at == deadline - timedelta(days=1)

    assert _run_at(deadline + timedelta(hours=1)) == 0
    assert Notification.objects.count() == 2 * len(NOT_DONE)


def test_a_delegation_that_scored_everything_or_holds_no_seat_is_not_reminded(
    scored: CrisisWorld,
) -> None:
    _run_at(_round(scored).deadline - timedelta(days=3))
    reminded = _reminded(3)
    assert "us" not in reminded
    # Germany has no seat, Ukraine is invited to one item, the CSTO observes.
    assert reminded.isdisjoint({"de", "ua", "csto", "outsider", "sec"})


def test_a_reminder_names_only_the_delegations_own_unscored_threats(
    scored: CrisisWorld, django_capture_on_commit_callbacks
) -> None:
    deadline = _round(scored).deadline
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _run_at(deadline - timedelta(days=1))
    russian = [m for m in mail.outbox if scored.user("ru").email in m.to]
    assert len(russian) == 1
    body = russian[0].body
    assert "due in 1 day" in russian[0].subject
    assert "Cable sabotage" in body
    assert "Jamming of civil aviation" in body
    assert "Mid-air collision" not in body  # scored already
    assert "United States" not in body  # nothing of another delegation's progress
    nato = next(m for m in mail.outbox if scored.user("nato").email in m.to)
    assert all(t.title in nato.body for t in scored.threats)


def test_a_round_opened_late_gets_only_the_closest_reminder(
    scored: CrisisWorld,
) -> None:
    deadline = _round(scored).deadline
    assert _run_at(deadline - timedelta(hours=20)) == len(NOT_DONE)
    assert _reminded(1) == NOT_DONE
    assert _reminded(3) == set()
    current = _round(scored)
    assert current.reminded_3_days_at is None


def test_a_released_round_reminds_nobody(scored: CrisisWorld) -> None:
    assessment_services.round_release(user=scored.sec, assessment=scored.assessment)
    assert _run_at(_round(scored).deadline - timedelta(days=1)) == 0
    assert not Notification.objects.exists()


def test_a_second_worker_finds_the_reminder_already_sent(scored: CrisisWorld) -> None:
    current = _round(scored)
    moment = current.deadline - timedelta(days=3)
    with time_machine.travel(moment, tick=False):
        assert round_remind(round_id=current.pk, now=moment) == len(NOT_DONE)
        assert round_remind(round_id=current.pk, now=moment) == 0


def test_the_beat_task_calls_the_service(scored: CrisisWorld) -> None:
    with time_machine.travel(_round(scored).deadline - timedelta(days=3), tick=False):
        assert round_reminders_send_task.delay().get() == len(NOT_DONE)
