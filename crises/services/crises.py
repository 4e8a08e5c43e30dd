"""Crisis dossiers: raised at a session, moved through their status, linked to the record."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Model
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from agenda.models import AgendaItem, Document, Session
from audit.models import AuditEntry
from audit.services import audit_record
from consult.access import Distribution, require_secretariat
from consult.actors import Actor, signed_in
from consult.errors import ApplicationError
from consult.parallel import translations_outdate
from consult.sanitize import sanitize_html
from consult.validation import check_choice, clean_text
from crises.models import Crisis, CrisisTransition
from crises.models.dossiers import CRISIS_PARALLEL
from crises.services.statuses import status_move
from crises.services.translations import (
    translated_title,
    translation_confirm_record,
    translation_record,
)
from minutes.models import ActionPoint, Communique, Statement

# The status a crisis may move to from each status; a closed crisis may flare up again.
NEXT_STATUSES: dict[str, tuple[str, ...]] = {
    Crisis.Status.WATCH: (Crisis.Status.ACTIVE, Crisis.Status.CLOSED),
    Crisis.Status.ACTIVE: (Crisis.Status.DE_ESCALATING, Crisis.Status.CLOSED),
    Crisis.Status.DE_ESCALATING: (
        Crisis.Status.ACTIVE,
        Crisis.Status.CLOSED,
    ),
    Crisis.Status.CLOSED: (Crisis.Status.WATCH, Crisis.Status.ACTIVE),
}

MAX_SUMMARY_CHARS = 50_000


def _summary(summary: str) -> str:
    if len(summary) > MAX_SUMMARY_CHARS:
        raise ApplicationError(
            _("The summary is longer than %(max)s characters.")
            % {"max": number_format(MAX_SUMMARY_CHARS, force_grouping=True)},
            fields={"summary": [_("Too long.")]},
        )
    return sanitize_html(summary).html if summary.strip() else ""


def _distribution(distribution: str) -> str:
    check_choice(distribution, Distribution, field="distribution", label=_("Distribution"))
    if distribution == Distribution.DELEGATION:
        raise ApplicationError(
            _("A crisis dossier is the body's: it cannot be limited to one delegation."),
            fields={
                "distribution": [_("Choose public, participants, seat-holders or secretariat.")]
            },
        )
    return distribution


@transaction.atomic
def crisis_create(
    *,
    user: Actor,
    session: Session,
    title: str,
    region: str,
    on: date,
    summary: str = "",
    status: str = Crisis.Status.WATCH,
    distribution: str = Distribution.PARTICIPANTS,
    reason: str = "",
) -> Crisis:
    """Open a dossier at ``session``; its first status change carries ``reason`` as typed,
    or, without one, the platform's "raised at the session" worded for each reader."""
    require_secretariat(user, _("open crisis dossiers"))
    check_choice(status, Crisis.Status, field="status", label=_("Status"))
    reason = reason.strip()
    crisis = Crisis.objects.create(
        title=clean_text(title, field="title", label=_("The title"), max_length=200, visible=True),
        region=clean_text(region, field="region", label=_("The region"), max_length=120),
        summary=_summary(summary),
        status=status,
        status_since=on,
        distribution=_distribution(distribution),
        session=session,
        created_by=signed_in(user),
    )
    CrisisTransition.objects.create(
        crisis=crisis,
        from_status="",
        to_status=status,
        on=on,
        reason=reason,
        reason_code="" if reason else CrisisTransition.ReasonCode.RAISED,
        made_by=signed_in(user),
    )
    audit_record(kind=AuditEntry.Kind.CHANGE, user=user, obj=crisis, summary="Crisis opened")
    return crisis


@transaction.atomic
def crisis_update(
    *, crisis: Crisis, user: Actor, title: str, region: str, summary: str, distribution: str
) -> Crisis:
    require_secretariat(user, _("edit crisis dossiers"))
    crisis = Crisis.objects.select_for_update().get(pk=crisis.pk)
    before = (crisis.title, crisis.summary)
    crisis.title = clean_text(
        title, field="title", label=_("The title"), max_length=200, visible=True
    )
    crisis.region = clean_text(region, field="region", label=_("The region"), max_length=120)
    crisis.summary = _summary(summary)
    crisis.distribution = _distribution(distribution)
    fields = ["title", "region", "summary", "distribution", "updated_at"]
    if (crisis.title, crisis.summary) != before:
        # The authoritative text changed: every translation is outdated until rewritten.
        fields += translations_outdate(crisis, CRISIS_PARALLEL)
    crisis.save(update_fields=fields)
    audit_record(kind=AuditEntry.Kind.CHANGE, user=user, obj=crisis, summary="Crisis edited")
    return crisis


@transaction.atomic
def crisis_translation_set(
    *, crisis: Crisis, user: Actor, language: str, title: str, summary: str
) -> Crisis:
    """Add or rewrite the translation of the dossier's title and summary into ``language``:
    an unofficial translation until the secretariat confirms it. A summary is required
    where the dossier has one."""
    values = {"title": translated_title(title), "summary": _summary(summary)}
    return translation_record(crisis, CRISIS_PARALLEL, user=user, language=language, values=values)


@transaction.atomic
def crisis_translation_confirm(*, crisis: Crisis, user: Actor, language: str) -> Crisis:
    """Confirm the dossier's translation into ``language``: refused when there is none, or
    when the dossier was edited since it was written."""
    return translation_confirm_record(crisis, CRISIS_PARALLEL, user=user, language=language)


@transaction.atomic
def crisis_transition(
    *, crisis: Crisis, user: Actor, to_status: str, on: date, reason: str
) -> CrisisTransition:
    """Move the crisis to ``to_status`` as of ``on``, with the reason the record keeps."""
    require_secretariat(user, _("change a crisis's status"))
    return status_move(
        user=user,
        subject=crisis,
        to_status=to_status,
        on=on,
        reason=clean_text(reason, field="reason", label=_("The reason")),
        next_statuses=NEXT_STATUSES,
        called=_("A crisis in"),
        transition_model=CrisisTransition,
        parent_field="crisis",
    )


# What a crisis can be linked to, by the name of its many-to-many field.
LINKABLE: dict[str, type[Model]] = {
    "items": AgendaItem,
    "documents": Document,
    "statements": Statement,
    "action_points": ActionPoint,
    "communiques": Communique,
}


@transaction.atomic
def crisis_link(*, crisis: Crisis, user: Actor, target: Model, linked: bool = True) -> None:
    """Link (or unlink) an item, paper, statement, action point or communiqué to the dossier.

    The secretariat links; each reader of the dossier then sees the linked record only
    where the access rule lets them read it.
    """
    require_secretariat(user, _("link records to a crisis"))
    for field, model in LINKABLE.items():
        if isinstance(target, model):
            relation = getattr(crisis, field)
            if linked:
                relation.add(target)
            else:
                relation.remove(target)
            audit_record(
                kind=AuditEntry.Kind.CHANGE,
                user=user,
                obj=crisis,
                summary=f"{'Linked' if linked else 'Unlinked'} {model._meta.verbose_name}",
            )
            return
    raise ApplicationError(
        _(
            "Only agenda items, papers, statements, action points and communiqués can be "
            "linked to a crisis."
        ),
        fields={"target": [_("Not linkable.")]},
    )
