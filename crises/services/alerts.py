"""The crisis alert: raised by a seat-holder's head of delegation, delivered to every head
of the quarter's seat-holders and to the secretariat, acknowledged with one click, reminded
at 5 and 15 minutes, and turned in one step into a request for an extraordinary session.

Delivery runs after commit (``alert_deliver_task``) and again from the minute's sweep for any
delivery whose task was lost or whose worker died mid-delivery: the recipients' rows are
locked while their notices are recorded (a second deliverer waits, then finds them
delivered), and the notices app's ``notify_once`` constraint (user, session, key) is the
second guard, so a redelivered task e-mails nobody twice. The e-mail itself leaves from the
notices app after commit, as every notice does, each claimed, sent and recorded in its own
transaction; the e-mails a worker killed mid-way left unsent go out with the minute's sweep
(tests/crises/test_alert_worker_reliability.py kills a real worker there). Reminders lock
the row too and are each sent once. A recipient whose membership has ended is no longer reminded.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agenda.models import ExtraordinaryRequest, Session
from agenda.services.extraordinary import extraordinary_request_create
from consult.access import (
    SECRETARIAT_GROUP,
    live_accreditation_exists,
    live_membership_q,
)
from consult.actors import Actor, signed_in
from consult.errors import ApplicationError
from consult.parallel import served_title
from consult.quarters import Quarter
from consult.queue import send_on_commit
from consult.times import utc_text
from crises.models import Alert, AlertDelivery, Crisis
from crises.models.dossiers import CRISIS_PARALLEL
from members.models import DelegationMembership, Party
from members.selectors.parties import party_headed_list
from members.selectors.seats import seat_holder_parties
from notices.services.notifications import notifications_create, notifications_deliver_pending

# Minutes after the alert, and the field recording that reminder.
REMINDERS = ((5, "reminded_5_at"), (15, "reminded_15_at"))
# A delivery still unsent this long after its alert had its task lost (or its worker died).
DELIVERY_GRACE = timedelta(seconds=20)
# Past this, an unsent delivery or a reminder is news no more.
ALERT_MAX_AGE = timedelta(hours=2)


def _heads(*, party_ids: list[int], at: datetime) -> list[DelegationMembership]:
    """The heads of these parties' delegations at ``at`` (memberships begun and not ended,
    accredited where the delegation is ad hoc, active accounts), with their users."""
    return list(
        DelegationMembership.objects.filter(
            live_membership_q(at=at),
            role=DelegationMembership.Role.HEAD,
            delegation__party_id__in=party_ids,
            user__is_active=True,
        )
        .filter(Q(delegation__is_standing=True) | live_accreditation_exists(at=at))
        .select_related("user", "delegation")
        .order_by("delegation__party__code", "user__username")
    )


def _secretariat() -> list[User]:
    return list(
        User.objects.filter(groups__name=SECRETARIAT_GROUP, is_active=True)
        .distinct()
        .order_by("username")
    )


def _raising_head(*, user: Actor, party: Party | None, at: datetime) -> Party:
    """The seat-holder ``user`` heads the delegation of (``party`` when they head several),
    or a refusal saying why not."""
    headed = list(party_headed_list(user=user))
    if party is not None:
        headed = [p for p in headed if p.pk == party.pk]
    if not headed:
        raise ApplicationError(
            _(
                "Only a head of delegation of a seat-holder may raise an alert; "
                "you are not the current head of a delegation."
            )
            if party is None
            else _(
                "Only a head of delegation may raise an alert for %(party)s; "
                "you are not its current head of delegation."
            )
            % {"party": party.display_name}
        )
    quarter = Quarter.of(at)
    seated = set(seat_holder_parties(quarter=quarter).values_list("pk", flat=True))
    for candidate in headed:
        if candidate.pk in seated:
            return candidate
    names = ", ".join(p.display_name for p in headed)
    raise ApplicationError(
        ngettext(
            "%(parties)s holds no seat in %(quarter)s; only a seat-holder's head of delegation "
            "may raise an alert.",
            "%(parties)s hold no seat in %(quarter)s; only a seat-holder's head of delegation "
            "may raise an alert.",
            len(headed),
        )
        % {"parties": names, "quarter": quarter}
    )


def alert_notice_session(*, alert: Alert) -> Session | None:
    """The session an alert's notices are filed under: its crisis's, or else the session
    nearest in time (the last begun, or the next)."""
    if alert.crisis_id is not None:
        return alert.crisis.session  # type: ignore[union-attr]
    begun = Session.objects.filter(starts_at__lte=alert.raised_at).order_by("-starts_at").first()
    return begun or Session.objects.order_by("starts_at").first()


@transaction.atomic
def alert_raise(
    *,
    user: Actor,
    text: str,
    urgency: str = Alert.Urgency.URGENT,
    crisis: Crisis | None = None,
    party: Party | None = None,
    now: datetime | None = None,
) -> Alert:
    """A seat-holder's head of delegation raises an alert; one delivery row per head of the
    quarter's seat-holders and per member of the secretariat, delivered after commit. The
    raiser's own row is acknowledged as it is raised: no banner, no reminder to them."""
    now = now or timezone.now()
    text = text.strip()
    if not text:
        raise ApplicationError(
            _("Say what has happened: the alert needs a text."),
            fields={"text": [_("Required.")]},
        )
    if urgency not in Alert.Urgency.values:
        raise ApplicationError(
            _("Unknown urgency “%(urgency)s”: choose one of %(allowed)s.")
            % {"urgency": urgency, "allowed": ", ".join(Alert.Urgency.values)},
            fields={"urgency": [_("Unknown.")]},
        )
    raising = _raising_head(user=user, party=party, at=now)
    if crisis is not None and crisis.status == Crisis.Status.CLOSED:
        raise ApplicationError(
            _("“%(crisis)s” is closed; raise the alert without it or reopen the crisis.")
            % {"crisis": served_title(crisis, CRISIS_PARALLEL)},
            fields={"crisis": [_("Closed.")]},
        )
    alert = Alert.objects.create(
        raised_by=signed_in(user),
        party=raising,
        crisis=crisis,
        text=text,
        urgency=urgency,
        raised_at=now,
    )
    if alert_notice_session(alert=alert) is None:
        raise ApplicationError(_("No session is planned yet to file the alert's notices under."))
    seated = list(seat_holder_parties(quarter=Quarter.of(now)).values_list("pk", flat=True))
    rows: dict[int, AlertDelivery] = {}
    for head in _heads(party_ids=seated, at=now):
        rows.setdefault(
            head.user_id,
            AlertDelivery(
                alert=alert,
                user=head.user,
                party_id=head.delegation.party_id,
                acknowledged_at=now if head.user_id == alert.raised_by_id else None,
            ),
        )
    for staff in _secretariat():
        rows.setdefault(staff.pk, AlertDelivery(alert=alert, user=staff))
    AlertDelivery.objects.bulk_create(rows.values())

    def enqueue() -> None:
        from crises.tasks import alert_deliver_task

        alert_deliver_task.delay(alert.pk)

    # Left undelivered when Redis is down; the minute's sweep delivers it.
    send_on_commit(enqueue, what="Alert delivery")
    return alert


def _alert_body_text(alert: Alert) -> str:
    """The alert's e-mail, worded in the active language (the recipient's, when lazy)."""
    about = (
        _("Crisis: %(crisis)s") % {"crisis": served_title(alert.crisis, CRISIS_PARALLEL)} + "\n"
        if alert.crisis is not None
        else ""
    )
    return (
        _("%(party)s raises a %(urgency)s alert (%(at)s) and requests consultations.")
        % {
            "party": alert.party.display_name,
            "urgency": alert.get_urgency_display().lower(),
            "at": utc_text(alert.raised_at, "j F Y, H:i"),
        }
        + f"\n\n{about}\n{alert.text}\n\n"
        + _("Acknowledge it on the platform: the banner on every page, or the alert's page.")
        + "\n"
    )


def _alert_subject_text(alert: Alert) -> str:
    return _("%(urgency)s alert from %(party)s") % {
        "urgency": alert.get_urgency_display(),
        "party": alert.party.display_name,
    }


def _reminder_text(alert: Alert, minutes: int) -> str:
    return (
        ngettext(
            "You have not yet acknowledged this alert (%(minutes)s minute ago).",
            "You have not yet acknowledged this alert (%(minutes)s minutes ago).",
            minutes,
        )
        % {"minutes": minutes}
        + "\n\n"
        + _alert_body_text(alert)
    )


def _reminder_subject_text(alert: Alert) -> str:
    return _("Reminder: acknowledge the alert from %(party)s") % {"party": alert.party.display_name}


# Worded when each recipient's notice is recorded, in that recipient's language.
_alert_body = lazy(_alert_body_text, str)
_alert_subject = lazy(_alert_subject_text, str)
_reminder_body = lazy(_reminder_text, str)
_reminder_subject = lazy(_reminder_subject_text, str)


@transaction.atomic
def alert_deliver(*, alert_id: int, now: datetime | None = None) -> int:
    """Record the e-mail notice of every undelivered recipient of one alert (sent after
    commit by the notices app); returns how many. Safe to run twice, or concurrently."""
    now = now or timezone.now()
    pending = list(
        AlertDelivery.objects.select_for_update(of=("self",))
        .select_related("user", "alert__party", "alert__crisis__session")
        .filter(alert_id=alert_id, delivered_at__isnull=True)
        .order_by("pk")
    )
    if not pending:
        return 0
    alert = pending[0].alert
    session = alert_notice_session(alert=alert)
    if session is None:
        return 0
    notifications_create(
        session=session,
        users=[delivery.user for delivery in pending],
        key=f"alert-{alert.public_id}",
        subject=_alert_subject(alert),
        body=_alert_body(alert),
    )
    AlertDelivery.objects.filter(pk__in=[d.pk for d in pending]).update(delivered_at=now)
    return len(pending)


@transaction.atomic
def alert_acknowledge(*, user: Actor, alert: Alert, now: datetime | None = None) -> bool:
    """``user`` acknowledges an alert addressed to them; acknowledging again changes nothing.
    Returns whether this call recorded it."""
    if not user.is_authenticated:
        raise ApplicationError(_("Sign in to acknowledge an alert."))
    delivery = (
        AlertDelivery.objects.select_for_update(of=("self",))
        .filter(alert=alert, user_id=user.pk)
        .order_by("pk")
        .first()
    )
    if delivery is None:
        raise ApplicationError(
            _("This alert was not addressed to you; there is nothing to acknowledge.")
        )
    if delivery.acknowledged_at is not None:
        return False
    delivery.acknowledged_at = now or timezone.now()
    delivery.save(update_fields=["acknowledged_at"])
    return True


@transaction.atomic
def alert_to_extraordinary_request(
    *, user: Actor, alert: Alert, now: datetime | None = None
) -> ExtraordinaryRequest:
    """The alert becomes its party's request for an extraordinary session (the 72-hour flow
    of agenda.services.extraordinary), made by a head of that party's delegation."""
    alert = (
        Alert.objects.select_for_update(of=("self",))
        .select_related("party", "crisis")
        .get(pk=alert.pk)
    )
    if alert.extraordinary_request_id is not None:
        raise ApplicationError(
            _("This alert has already become a request for an extraordinary session.")
        )
    request = extraordinary_request_create(
        user=user,
        party=alert.party,
        reason=alert.text,
        alert_raised_at=alert.raised_at,
        alert_about=alert.crisis.title if alert.crisis is not None else "",
        now=now,
    )
    alert.extraordinary_request = request
    alert.save(update_fields=["extraordinary_request"])
    return request


def alerts_sweep(*, now: datetime) -> tuple[int, int]:
    """The minute's sweep: deliver what a lost task left unsent, send the reminders due, and
    send the alert e-mails recorded but left unsent (a worker killed mid-delivery).
    Returns (deliveries recorded, reminders sent)."""
    recent = Alert.objects.filter(raised_at__gte=now - ALERT_MAX_AGE)
    unsent = (
        recent.filter(raised_at__lte=now - DELIVERY_GRACE, deliveries__delivered_at__isnull=True)
        .values_list("pk", flat=True)
        .distinct()
    )
    delivered = sum(alert_deliver(alert_id=pk, now=now) for pk in list(unsent))
    shortest = min(minutes for minutes, _field in REMINDERS)
    due = (
        AlertDelivery.objects.filter(
            alert__in=recent.filter(raised_at__lte=now - timedelta(minutes=shortest)),
            acknowledged_at__isnull=True,
            party__isnull=False,
        )
        .filter(Q(reminded_5_at__isnull=True) | Q(reminded_15_at__isnull=True))
        .values_list("pk", flat=True)
    )
    reminded = sum(alert_remind(delivery_id=pk, now=now) for pk in list(due))
    # The e-mails a dead worker left unsent (each recorded notice leaves once).
    notifications_deliver_pending(
        now=now, key_prefix="alert-", grace=DELIVERY_GRACE, max_age=ALERT_MAX_AGE
    )
    return delivered, reminded


@transaction.atomic
def alert_remind(*, delivery_id: int, now: datetime) -> int:
    """The latest reminder due and unsent to one unacknowledged head (one reminder per call,
    so a sweep that was down for 15 minutes sends one, not two at once); 1 if sent."""
    delivery = (
        AlertDelivery.objects.select_for_update(of=("self",))
        .select_related("alert__party", "alert__crisis__session", "user")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None or delivery.acknowledged_at is not None or delivery.party_id is None:
        return 0
    alert = delivery.alert
    elapsed = now - alert.raised_at
    due = [(m, f) for m, f in REMINDERS if elapsed >= timedelta(minutes=m)]
    if not due or elapsed > ALERT_MAX_AGE:
        return 0
    minutes, field = due[-1]
    if getattr(delivery, field) is not None:
        return 0
    # Every earlier reminder counts as sent too: none is sent late after a later one.
    for _m, earlier in due:
        if getattr(delivery, earlier) is None:
            setattr(delivery, earlier, now)
    delivery.save(update_fields=[f for _m, f in due])
    still_head = _heads(party_ids=[delivery.party_id], at=now)
    if delivery.user_id not in {m.user_id for m in still_head}:
        return 0  # the membership ended: no longer a recipient of reminders
    session = alert_notice_session(alert=alert)
    if session is None:
        return 0
    notices = notifications_create(
        session=session,
        users=[delivery.user],
        key=f"alert-{alert.public_id}-{minutes}m",
        subject=_reminder_subject(alert),
        body=_reminder_body(alert, minutes),
    )
    return len(notices)
