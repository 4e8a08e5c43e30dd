"""The dated status crises and off-ramps both carry (``status`` and ``status_since``).

A move is checked against the statuses allowed next, may not take effect before the current
status began, is recorded as a transition row with its reason, and is audited.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_record
from consult.actors import Actor, signed_in
from consult.errors import ApplicationError
from consult.validation import check_choice
from crises.models import Crisis, CrisisTransition, OffRamp, OffRampTransition


def status_move[Moved: (Crisis, OffRamp), Transition: (CrisisTransition, OffRampTransition)](
    *,
    user: Actor,
    subject: Moved,
    to_status: str,
    on: date,
    reason: str,
    next_statuses: Mapping[str, tuple[str, ...]],
    called: str,
    transition_model: type[Transition],
    parent_field: str,
) -> Transition:
    """Move ``subject`` to ``to_status`` as of ``on``; ``called`` names it in refusals
    (``_("A crisis in")``, ``_("An off-ramp")``, worded by the caller). Run inside the
    caller's transaction."""
    statuses = type(subject).Status
    check_choice(to_status, statuses, field="to_status", label=_("Status"))
    subject = type(subject).objects.select_for_update().get(pk=subject.pk)
    allowed = next_statuses[subject.status]
    if to_status not in allowed:
        labels = ", ".join(str(statuses(status).label) for status in allowed) or _("nothing")
        raise ApplicationError(
            _("%(called)s “%(status)s” can move to %(labels)s, not to “%(to)s”.")
            % {
                "called": called,
                "status": subject.get_status_display(),
                "labels": labels,
                "to": statuses(to_status).label,
            },
            fields={"to_status": [_("Choose one of %(labels)s.") % {"labels": labels}]},
        )
    if on < subject.status_since:
        raise ApplicationError(
            _("The change cannot take effect before the current status began (%(since)s).")
            % {"since": date_format(subject.status_since, "j M Y")},
            fields={"on": [_("Too early.")]},
        )
    transition = transition_model.objects.create(
        **{parent_field: subject},
        from_status=subject.status,
        to_status=to_status,
        on=on,
        reason=reason,
        made_by=signed_in(user),
    )
    subject.status = to_status
    subject.status_since = on
    subject.save(update_fields=["status", "status_since", "updated_at"])
    audit_record(
        kind=AuditEntry.Kind.TRANSITION,
        user=user,
        obj=subject,
        summary=f"{transition.from_status} → {to_status}",
    )
    return transition
