"""The shared threat list the secretariat keeps, each threat's title and description in
parallel texts (consult/parallel.py): written in one authoritative language, translated
into the others by the secretariat, and outdated when the authoritative text changes."""

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
from consult.parallel import check_language, translations_outdate
from consult.validation import clean_text
from crises.models import Crisis, Threat
from crises.models.assessments import THREAT_PARALLEL
from crises.services.translations import (
    translated_title,
    translation_confirm_record,
    translation_record,
)

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
    language: str = "en",
) -> Threat:
    """List a threat, its title and description written in ``language`` (authoritative)."""
    require_secretariat(user, _("keep the threat list"))
    threat = Threat.objects.create(
        title=clean_text(title, field="title", label=_("The title"), max_length=200, visible=True),
        description=_description(description),
        region=region.strip()[:120],
        crisis=crisis,
        language=check_language(language),
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
    before = (threat.title, threat.description)
    threat.title = clean_text(
        title, field="title", label=_("The title"), max_length=200, visible=True
    )
    threat.description = _description(description)
    threat.region = region.strip()[:120]
    threat.crisis = crisis
    fields = ["title", "description", "region", "crisis", "updated_at"]
    if (threat.title, threat.description) != before:
        # The authoritative text changed: every translation is outdated until rewritten.
        fields += translations_outdate(threat, THREAT_PARALLEL)
    threat.save(update_fields=fields)
    audit_record(kind=AuditEntry.Kind.CHANGE, user=user, obj=threat, summary="Threat edited")
    return threat


@transaction.atomic
def threat_translation_set(
    *, threat: Threat, user: Actor, language: str, title: str, description: str
) -> Threat:
    """Add or rewrite the translation of the threat's title and description into
    ``language``: an unofficial translation until the secretariat confirms it. Cleaned as the
    threat's own are; a description is required where the threat has one."""
    values = {"title": translated_title(title), "description": _description(description)}
    return translation_record(threat, THREAT_PARALLEL, user=user, language=language, values=values)


@transaction.atomic
def threat_translation_confirm(*, threat: Threat, user: Actor, language: str) -> Threat:
    """Confirm the threat's translation into ``language``: refused when there is none, or
    when the threat was edited since it was written."""
    return translation_confirm_record(threat, THREAT_PARALLEL, user=user, language=language)


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
