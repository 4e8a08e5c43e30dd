"""The shared threat list the secretariat keeps."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_record
from consult.access import require_secretariat
from consult.actors import Actor, signed_in
from consult.errors import ApplicationError
from consult.validation import clean_text
from crises.models import Crisis, Threat

MAX_DESCRIPTION_CHARS = 5_000


def _description(description: str) -> str:
    description = description.strip()
    if len(description) > MAX_DESCRIPTION_CHARS:
        raise ApplicationError(
            _("The description is longer than %(max)s characters.")
            % {"max": number_format(MAX_DESCRIPTION_CHARS, force_grouping=True)},
            fields={"description": [_("Too long.")]},
        )
    return description


@transaction.atomic
def threat_create(
    *,
    user: Actor,
    title: str,
    description: str = "",
    region: str = "",
    crisis: Crisis | None = None,
) -> Threat:
    require_secretariat(user, _("keep the threat list"))
    threat = Threat.objects.create(
        title=clean_text(title, field="title", label=_("The title"), max_length=200, visible=True),
        description=_description(description),
        region=region.strip()[:120],
        crisis=crisis,
        created_by=signed_in(user),
    )
    audit_record(kind=AuditEntry.Kind.CHANGE, user=user, obj=threat, summary="Threat listed")
    return threat


@transaction.atomic
def threat_update(
    *,
    threat: Threat,
    user: Actor,
    title: str,
    description: str,
    region: str,
    crisis: Crisis | None,
) -> Threat:
    require_secretariat(user, _("keep the threat list"))
    threat = Threat.objects.select_for_update().get(pk=threat.pk)
    threat.title = clean_text(
        title, field="title", label=_("The title"), max_length=200, visible=True
    )
    threat.description = _description(description)
    threat.region = region.strip()[:120]
    threat.crisis = crisis
    threat.save(update_fields=["title", "description", "region", "crisis", "updated_at"])
    audit_record(kind=AuditEntry.Kind.CHANGE, user=user, obj=threat, summary="Threat edited")
    return threat


@transaction.atomic
def threat_retire(*, threat: Threat, user: Actor) -> Threat:
    """Take a threat off the list for new assessments; past pictures keep it."""
    require_secretariat(user, _("keep the threat list"))
    threat = Threat.objects.select_for_update().get(pk=threat.pk)
    if threat.retired_at is None:
        threat.retired_at = timezone.now()
        threat.save(update_fields=["retired_at", "updated_at"])
        audit_record(kind=AuditEntry.Kind.CHANGE, user=user, obj=threat, summary="Threat retired")
    return threat
