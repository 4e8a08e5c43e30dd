"""The crisis alert: who may raise it, its recipients, acknowledgement, reminders at 5 and 15
minutes (clock pinned), the step into the extraordinary-session flow, and the timeline."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from agenda.models import ExtraordinaryRequest
from consult.errors import ApplicationError
from crises.models import Alert, AlertDelivery
from crises.selectors.alerts import alert_list, alert_unacknowledged_list
from crises.selectors.crises import crisis_timeline
from crises.services.alerts import (
    alert_acknowledge,
    alert_raise,
    alert_to_extraordinary_request,
    alerts_sweep,
)
from members.models import DelegationMembership
from notices.models import Notification
from tests.crises.conftest import CrisisWorld

# Heads of the seat-holders (tests/minutes/conftest.py): USA, RUS, NATO, France (the EU's
# holder); the EU's own delegation heads too, its seat being the EU's.
HEADS = {"us", "ru", "nato", "eu", "fr"}


def _raise(cw: CrisisWorld, who: str = "us", **kwargs: object) -> Alert:
    return alert_raise(
        user=cw.user(who),
        text="A collision at sea near Gotland; we request consultations.",
        crisis=cw.crisis,
        urgency=Alert.Urgency.FLASH,
        **kwargs,  # type: ignore[arg-type]
    )


def _recipients(alert: Alert) -> set[str]:
    return set(AlertDelivery.objects.filter(alert=alert).values_list("user__username", flat=True))


def test_a_head_raises_and_every_head_and_the_secretariat_receive_it(
    cw: CrisisWorld, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        alert = _raise(cw)
    assert alert.party.code == "USA"
    assert _recipients(alert) == HEADS | {"sec"}
    assert not AlertDelivery.objects.filter(alert=alert, delivered_at__isnull=True).exists()
    notices = Notification.objects.filter(key=f"alert-{alert.public_id}")
    assert set(notices.values_list("user__username", flat=True)) == HEADS | {"sec"}
    assert {m.to[0] for m in mail.outbox} == {cw.user(u).email for u in HEADS | {"sec"}}
    assert all("Gotland" in m.body for m in mail.outbox)


@pytest.mark.parametrize(
    ("who", "says"),
    [
        ("sec", "not the current head of a delegation"),
        ("outsider", "not the current head of a delegation"),
        ("de", "holds no seat"),
        ("csto", "holds no seat"),
    ],
)
def test_only_a_seat_holders_head_raises(cw: CrisisWorld, who: str, says: str) -> None:
    with pytest.raises(ApplicationError, match=says):
        _raise(cw, who)
    assert not Alert.objects.exists()
    assert not AlertDelivery.objects.exists()


def test_a_deputy_is_refused(cw: CrisisWorld) -> None:
    DelegationMembership.objects.filter(user=cw.user("ru")).update(
        role=DelegationMembership.Role.DEPUTY
    )
    with pytest.raises(ApplicationError, match="not the current head"):
        _raise(cw, "ru")
    assert not Alert.objects.exists()


def test_an_empty_text_or_unknown_urgency_is_refused(cw: CrisisWorld) -> None:
    with pytest.raises(ApplicationError, match="needs a text"):
        alert_raise(user=cw.user("us"), text="  ")
    with pytest.raises(ApplicationError, match="Unknown urgency"):
        alert_raise(user=cw.user("us"), text="Incident", urgency="panic")
    assert not Alert.objects.exists()


def test_an_ended_membership_no_longer_receives(cw: CrisisWorld) -> None:
    DelegationMembership.objects.filter(user=cw.user("ru")).update(
        valid_until=timezone.now() - timedelta(minutes=1)
    )
    alert = _raise(cw)
    assert "ru" not in _recipients(alert)
    assert not Notification.objects.filter(user=cw.user("ru")).exists()


def test_acknowledging_twice_is_harmless(cw: CrisisWorld) -> None:
    alert = _raise(cw)
    assert alert_acknowledge(user=cw.user("ru"), alert=alert) is True
    first = AlertDelivery.objects.get(alert=alert, user=cw.user("ru")).acknowledged_at
    assert alert_acknowledge(user=cw.user("ru"), alert=alert) is False
    assert AlertDelivery.objects.get(alert=alert, user=cw.user("ru")).acknowledged_at == first
    assert alert_unacknowledged_list(user=cw.user("ru")) == []
    assert [d.alert for d in alert_unacknowledged_list(user=cw.user("nato"))] == [alert]


def test_the_raiser_is_a_recipient_acknowledged_as_raised(cw: CrisisWorld) -> None:
    alert = _raise(cw)
    own = AlertDelivery.objects.get(alert=alert, user=cw.user("us"))
    assert own.acknowledged_at == alert.raised_at
    assert alert_unacknowledged_list(user=cw.user("us")) == []
    others = AlertDelivery.objects.filter(alert=alert).exclude(user=cw.user("us"))
    assert not others.filter(acknowledged_at__isnull=False).exists()


def test_someone_not_addressed_cannot_acknowledge(cw: CrisisWorld) -> None:
    alert = _raise(cw)
    with pytest.raises(ApplicationError, match="not addressed to you"):
        alert_acknowledge(user=cw.user("de"), alert=alert)


def test_reminders_at_5_and_15_minutes_each_once(cw: CrisisWorld) -> None:
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as clock:
        alert = _raise(cw)
        for name in ("ru", "nato", "eu", "fr"):
            if name != "fr":
                alert_acknowledge(user=cw.user(name), alert=alert)
        # us raised it: its own row is acknowledged as raised; fr has not acknowledged.
        clock.move_to(start + timedelta(minutes=4, seconds=59))
        # The sweep makes the deliveries the test's never-committed transaction left unsent.
        assert alerts_sweep(now=timezone.now()) == (len(HEADS) + 1, 0)
        clock.move_to(start + timedelta(minutes=5))
        assert alerts_sweep(now=timezone.now()) == (0, 1)
        assert alerts_sweep(now=timezone.now()) == (0, 0)  # not resent
        clock.move_to(start + timedelta(minutes=15))
        assert alerts_sweep(now=timezone.now()) == (0, 1)
        assert alerts_sweep(now=timezone.now()) == (0, 0)
    reminders = Notification.objects.filter(key__startswith=f"alert-{alert.public_id}-")
    assert sorted(reminders.values_list("user__username", "key")) == [
        ("fr", f"alert-{alert.public_id}-15m"),
        ("fr", f"alert-{alert.public_id}-5m"),
    ]
    # The secretariat is not reminded: reminders are for heads.
    assert not reminders.filter(user=cw.sec).exists()


def test_a_late_sweep_sends_one_reminder_not_two(cw: CrisisWorld) -> None:
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as clock:
        alert = _raise(cw)
        clock.move_to(start + timedelta(minutes=16))
        sent = alerts_sweep(now=timezone.now())[1]
    assert sent == len(HEADS) - 1  # every head but the raiser
    reminders = Notification.objects.filter(key__startswith=f"alert-{alert.public_id}-")
    keys = set(reminders.values_list("key", flat=True))
    assert keys == {f"alert-{alert.public_id}-15m"}


def test_a_head_whose_membership_ended_is_not_reminded(cw: CrisisWorld) -> None:
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as clock:
        _raise(cw)
        DelegationMembership.objects.filter(user=cw.user("ru")).update(
            valid_until=start + timedelta(minutes=1)
        )
        clock.move_to(start + timedelta(minutes=5))
        alerts_sweep(now=timezone.now())
    assert not Notification.objects.filter(user=cw.user("ru"), key__endswith="-5m").exists()
    assert Notification.objects.filter(user=cw.user("fr"), key__endswith="-5m").exists()


def test_a_lost_delivery_is_made_by_the_sweep_once(cw: CrisisWorld) -> None:
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as clock:
        alert = _raise(cw)
        AlertDelivery.objects.filter(alert=alert).update(delivered_at=None)  # the task was lost
        Notification.objects.filter(user=cw.user("ru")).delete()
        clock.move_to(start + timedelta(seconds=30))
        assert alerts_sweep(now=timezone.now())[0] == len(HEADS) + 1
        assert alerts_sweep(now=timezone.now())[0] == 0
    notices = Notification.objects.filter(key=f"alert-{alert.public_id}")
    assert notices.count() == len(HEADS) + 1  # notify_once: the others were not recorded twice


def test_the_alert_becomes_an_extraordinary_request_in_one_step(cw: CrisisWorld) -> None:
    alert = _raise(cw)
    request = alert_to_extraordinary_request(user=cw.user("us"), alert=alert)
    assert request.status == ExtraordinaryRequest.Status.PENDING
    assert request.party.code == "USA"
    assert request.reason == alert.text
    assert cw.crisis.title in request.display_reason
    alert.refresh_from_db()
    assert alert.extraordinary_request == request
    with pytest.raises(ApplicationError, match="already become a request"):
        alert_to_extraordinary_request(user=cw.user("us"), alert=alert)


def test_only_the_raising_partys_head_turns_it_into_a_request(cw: CrisisWorld) -> None:
    alert = _raise(cw)
    with pytest.raises(ApplicationError):
        alert_to_extraordinary_request(user=cw.user("ru"), alert=alert)
    alert.refresh_from_db()
    assert alert.extraordinary_request is None
    assert not ExtraordinaryRequest.objects.exists()


def test_who_reads_an_alert(cw: CrisisWorld) -> None:
    alert = _raise(cw)
    for name in [*HEADS, "sec"]:
        assert list(alert_list(user=cw.user(name))) == [alert], name
    for name in ("de", "ua", "csto", "outsider"):
        assert not alert_list(user=cw.user(name)).exists(), name


def test_the_alert_is_in_the_crisis_timeline(cw: CrisisWorld) -> None:
    alert = _raise(cw)
    timeline = crisis_timeline(user=cw.user("ru"), crisis=cw.crisis)
    entries = [e for e in timeline if e.kind == "alert"]
    assert [e.record for e in entries] == [alert]
    assert "United States" in entries[0].title
    assert entries[0].url == alert.get_absolute_url()
