"""Action points: agreed at a session, followed up (also after approval) until done."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from agenda.models import AgendaItem
from consult.access import Distribution, is_secretariat, require_secretariat
from consult.actors import Actor, signed_in
from consult.errors import ApplicationError
from consult.validation import check_choice, clean_text
from members.models import Party
from minutes.models import ActionPoint, Minutes, MinutesRevision
from minutes.services.rules import (
    attendance_of,
    distribution_for,
    item_of,
    locked_minutes,
    require_open,
    revise_if_circulated,
    speaks_for,
)


@transaction.atomic
def action_point_create(
    *,
    minutes: Minutes,
    user: Actor,
    description: str,
    due_date: date,
    owner: Party | None = None,
    item: AgendaItem | None = None,
    distribution: str | None = None,
) -> ActionPoint:
    require_secretariat(user, gettext("record action points"))
    minutes = locked_minutes(minutes)
    require_open(minutes, gettext("add action points"))
    if item is not None:
        item_of(minutes, item)
    if owner is not None:
        attendance_of(minutes, owner)
    if distribution is None:
        distribution = (
            distribution_for(item, None) if item is not None else Distribution.PARTICIPANTS
        )
    elif distribution == Distribution.DELEGATION:
        raise ApplicationError(
            gettext(
                "An action point is part of the record; it cannot be limited to one delegation."
            ),
            fields={
                "distribution": [
                    gettext("Choose public, participants, seat-holders or secretariat.")
                ]
            },
        )
    check_choice(distribution, Distribution, field="distribution", label=gettext("Distribution"))
    point = ActionPoint.objects.create(
        minutes=minutes,
        item=item,
        owner=owner,
        description=clean_text(description, field="description", label=gettext("The action")),
        due_date=due_date,
        distribution=distribution,
        created_by=signed_in(user),
    )
    revise_if_circulated(minutes, user=user, reason=MinutesRevision.Reason.ACTION_POINT_ADDED)
    return point


@transaction.atomic
def action_point_update_status(
    *, action_point: ActionPoint, user: Actor, status: str
) -> ActionPoint:
    """Mark an action point done (or open again): the secretariat or the owning delegation."""
    check_choice(status, ActionPoint.Status, field="status", label=gettext("Status"))
    point = (
        ActionPoint.objects.select_for_update(of=("self",))
        .select_related("owner")
        .get(pk=action_point.pk)
    )
    # Who follows a point up is a matter of permission, not of input: a refusal
    # here answers 403, unlike a party a delegate names in a form.
    if not is_secretariat(user):
        if point.owner is None:
            raise PermissionDenied(
                gettext("Only the secretariat follows up its own action points.")
            )
        if not speaks_for(user, point.owner):
            raise PermissionDenied(
                gettext(
                    "Only a current member of the delegation of %(party)s may update this "
                    "action point."
                )
                % {"party": point.owner.display_name}
            )
    if point.status == status:
        return point
    point.status = status
    point.done_at = timezone.now() if status == ActionPoint.Status.DONE else None
    point.save(update_fields=["status", "done_at", "updated_at"])
    return point
