"""Reminding the delegations that have not scored every threat of an open round, 3 days and
1 day before its deadline, each once.

The round's row is locked while a reminder is decided and its ``reminded_*`` field set, so
two beats running at once never send the same reminder twice; the notices app's
``notify_once`` constraint is the second guard. A delegation learns only which of its own
threats are unscored, never how far the others are.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from consult.parallel import served_title
from consult.quarters import Quarter
from consult.times import format_in_zone
from crises.models import AssessmentRound, Score, Threat
from crises.models.assessments import THREAT_PARALLEL
from members.models import Party
from members.selectors.delegations import delegation_users
from members.selectors.seats import seat_holder_parties
from notices.services.notifications import notifications_create

# Days before the deadline, and the field recording that reminder.
REMINDERS = ((1, "reminded_1_day_at"), (3, "reminded_3_days_at"))


def _reminder_subject_text(session: str, days: int) -> str:
    return ngettext(
        "Reminder: threat scores for %(session)s due in %(days)s day",
        "Reminder: threat scores for %(session)s due in %(days)s days",
        days,
    ) % {"session": session, "days": days}


def _reminder_body_text(
    number: int, session: str, deadline: datetime, days: int, party: Party, missing: list[Threat]
) -> str:
    when = format_in_zone(deadline, "UTC", "j F Y, H:i")
    return (
        ngettext(
            "Round %(number)s of the threat assessment for %(session)s closes on %(deadline)s "
            "UTC, in less than %(days)s day.",
            "Round %(number)s of the threat assessment for %(session)s closes on %(deadline)s "
            "UTC, in less than %(days)s days.",
            days,
        )
        % {"number": number, "session": session, "deadline": when, "days": days}
        + "\n\n"
        + _("%(party)s has not yet scored:") % {"party": party.display_name}
        + "\n"
        # Each threat's title in the recipient's language where it has a current translation.
        + "".join(f"- {served_title(threat, THREAT_PARALLEL)}\n" for threat in missing)
        + "\n"
        + _("Scores are sealed: only your delegation reads them until the round is released.")
        + "\n"
    )


# Worded when each recipient's notice is recorded, in that recipient's language.
_reminder_subject = lazy(_reminder_subject_text, str)
_reminder_body = lazy(_reminder_body_text, str)


def round_reminders_send(*, now: datetime) -> int:
    """Send the reminders due at ``now``; returns how many notices were recorded."""
    longest = max(days for days, _field in REMINDERS)
    due = AssessmentRound.objects.filter(
        released_at__isnull=True, deadline__gt=now, deadline__lte=now + timedelta(days=longest)
    ).values_list("pk", flat=True)
    return sum(round_remind(round_id=round_id, now=now) for round_id in list(due))


@transaction.atomic
def round_remind(*, round_id: int, now: datetime) -> int:
    """The closest reminder still unsent for one round (a round opened two days before its
    deadline gets the 3-day one, not the 3-day and then at once a belated other)."""
    current = (
        AssessmentRound.objects.select_for_update()
        .select_related("assessment__session")
        .filter(pk=round_id)
        .first()
    )
    if current is None or current.released_at is not None or current.deadline <= now:
        return 0
    left = current.deadline - now
    due = [(days, field) for days, field in REMINDERS if left <= timedelta(days=days)]
    if not due:
        return 0
    days, field = due[0]
    if getattr(current, field) is not None:
        return 0
    setattr(current, field, now)
    current.save(update_fields=[field])

    session = current.assessment.session
    threats = {t.pk: t for t in current.threats.order_by("title")}
    scored: dict[int, set[int]] = {}
    for party_id, threat_id in Score.objects.filter(round=current).values_list(
        "party_id", "threat_id"
    ):
        scored.setdefault(party_id, set()).add(threat_id)
    seated = seat_holder_parties(quarter=Quarter.parse(str(session.quarter))).order_by("code")
    sent = 0
    for party in seated:
        missing = [
            threat for pk, threat in threats.items() if pk not in scored.get(party.pk, set())
        ]
        if not missing:
            continue
        notices = notifications_create(
            session=session,
            users=delegation_users(party_ids=[party.pk], at=now).order_by("pk"),
            key=f"threat-round-{current.pk}-{days}d",
            subject=_reminder_subject(session.number, days),
            body=_reminder_body(
                current.number, session.number, current.deadline, days, party, missing
            ),
        )
        sent += len(notices)
    return sent
