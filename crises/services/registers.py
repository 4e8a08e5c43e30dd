"""Off-ramps and the register of norms: the secretariat records the options and the norms;
each delegation states its own party's stances and adherence, reports incidents under a
norm and responds to the others' reports."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from agenda.models import Session
from audit.models import AuditEntry
from audit.services import audit_record
from consult import access
from consult.access import Distribution, require_secretariat
from consult.actors import Actor, signed_in
from consult.errors import ApplicationError
from consult.sanitize import sanitize_html
from consult.validation import check_choice, clean_text
from crises.models import (
    Adherence,
    Crisis,
    Incident,
    IncidentResponse,
    Norm,
    OffRamp,
    OffRampTransition,
    Stance,
)
from crises.models.registers import NORM_PARALLEL, OFF_RAMP_PARALLEL
from crises.selectors.registers import (
    ADHERENCE_FIELDS,
    INCIDENT_FIELDS,
    NORM_FIELDS,
    OFF_RAMP_FIELDS,
    stance_parties,
)
from crises.services.statuses import status_move
from crises.services.translations import (
    authoritative_update,
    translated_title,
    translation_confirm_record,
    translation_record,
)
from members.models import Party
from members.selectors.parties import party_own_list
from minutes.models import Communique, Statement

MAX_TEXT_CHARS = 50_000
MAX_NOTE_CHARS = 4_000

# The statuses an off-ramp may move to from each status; a dropped option may be taken up
# for discussion again.
NEXT_STATUSES: dict[str, tuple[str, ...]] = {
    OffRamp.Status.PROPOSED: (OffRamp.Status.DISCUSSED, OffRamp.Status.DROPPED),
    OffRamp.Status.DISCUSSED: (OffRamp.Status.ENDORSED_BY_SOME, OffRamp.Status.DROPPED),
    OffRamp.Status.ENDORSED_BY_SOME: (OffRamp.Status.TAKEN_UP, OffRamp.Status.DROPPED),
    OffRamp.Status.TAKEN_UP: (),
    OffRamp.Status.DROPPED: (OffRamp.Status.DISCUSSED,),
}


def _rich_text(text: str, *, field: str, label: str, required: bool) -> str:
    if len(text) > MAX_TEXT_CHARS:
        raise ApplicationError(
            _("%(label)s is longer than %(max)s characters.")
            % {"label": label, "max": number_format(MAX_TEXT_CHARS, force_grouping=True)},
            fields={field: [_("Too long.")]},
        )
    cleaned = sanitize_html(text) if text.strip() else None
    html = cleaned.html if cleaned is not None else ""
    if required and (cleaned is None or cleaned.is_blank):
        raise ApplicationError(
            _("%(label)s is empty.") % {"label": label}, fields={field: [_("Required.")]}
        )
    return html


def _note(note: str, *, field: str = "note", label: str = "") -> str:
    label = label or _("The note")
    note = (note or "").strip()
    if len(note) > MAX_NOTE_CHARS:
        raise ApplicationError(
            _("%(label)s is longer than %(max)s characters.")
            % {"label": label, "max": number_format(MAX_NOTE_CHARS, force_grouping=True)},
            fields={field: [_("Too long.")]},
        )
    return note


def _distribution(distribution: str) -> str:
    check_choice(distribution, Distribution, field="distribution", label=_("Distribution"))
    if distribution == Distribution.DELEGATION:
        raise ApplicationError(
            _("This is the body's material: it cannot be limited to one delegation."),
            fields={
                "distribution": [_("Choose public, participants, seat-holders or secretariat.")]
            },
        )
    return distribution


def _speaking_party(
    *, user: Actor, party: Party | None, allowed: QuerySet[Party], refusal: str
) -> Party:
    """The party ``user`` speaks for here: ``party`` if among ``allowed``, or the only one."""
    parties = list(allowed)
    if party is None:
        if len(parties) == 1:
            return parties[0]
        if not parties:
            raise PermissionDenied(refusal)
        raise ApplicationError(
            _("Say which party you speak for."), fields={"party": [_("Choose.")]}
        )
    if party not in parties:
        raise PermissionDenied(refusal)
    return party


# --- Off-ramps -------------------------------------------------------------------------


@transaction.atomic
def off_ramp_create(
    *,
    user: Actor,
    crisis: Crisis,
    title: str,
    text: str = "",
    proposer: Party | None = None,
    preconditions: str = "",
    on: date | None = None,
) -> OffRamp:
    """Record an option proposed to step the crisis down (``proposer`` None: the secretariat)."""
    require_secretariat(user, _("record off-ramps"))
    on = on or timezone.localdate()
    off_ramp = OffRamp.objects.create(
        crisis=crisis,
        title=clean_text(title, field="title", label=_("The title"), max_length=200, visible=True),
        text=_rich_text(text, field="text", label=_("The text"), required=False),
        proposer=proposer,
        preconditions=_note(preconditions, field="preconditions", label=_("The preconditions")),
        status=OffRamp.Status.PROPOSED,
        status_since=on,
        created_by=signed_in(user),
    )
    OffRampTransition.objects.create(
        off_ramp=off_ramp,
        from_status="",
        to_status=OffRamp.Status.PROPOSED,
        on=on,
        made_by=signed_in(user),
    )
    audit_record(kind=AuditEntry.Kind.CHANGE, user=user, obj=off_ramp, summary="Off-ramp recorded")
    return off_ramp


@transaction.atomic
def off_ramp_update(
    *,
    off_ramp: OffRamp,
    user: Actor,
    title: str,
    text: str,
    proposer: Party | None,
    preconditions: str,
) -> OffRamp:
    """Edit the option's authoritative title and text, its proposer and preconditions; a
    changed title or text outdates every translation. Saving it unchanged changes nothing."""
    require_secretariat(user, _("edit off-ramps"))
    off_ramp = OffRamp.objects.select_for_update().get(pk=off_ramp.pk)
    values = {
        "title": clean_text(
            title, field="title", label=_("The title"), max_length=200, visible=True
        ),
        "text": _rich_text(text, field="text", label=_("The text"), required=False),
        "proposer": proposer,
        "preconditions": _note(preconditions, field="preconditions", label=_("The preconditions")),
    }
    return authoritative_update(
        off_ramp, OFF_RAMP_PARALLEL, user=user, values=values, said="Off-ramp edited"
    )


@transaction.atomic
def off_ramp_transition(
    *, user: Actor, off_ramp: OffRamp, to_status: str, on: date, reason: str = ""
) -> OffRampTransition:
    """Move the option on, as of ``on``."""
    require_secretariat(user, _("move off-ramps on"))
    return status_move(
        user=user,
        subject=off_ramp,
        to_status=to_status,
        on=on,
        reason=_note(reason, field="reason", label=_("The reason")),
        next_statuses=NEXT_STATUSES,
        called=_("An off-ramp"),
        transition_model=OffRampTransition,
        parent_field="off_ramp",
    )


@transaction.atomic
def off_ramp_link(
    *, user: Actor, off_ramp: OffRamp, target: Statement | Communique, linked: bool = True
) -> None:
    """Link (or unlink) a statement or communiqué that mentions the option."""
    require_secretariat(user, _("link records to an off-ramp"))
    if isinstance(target, Statement):
        field = "statements"
    elif isinstance(target, Communique):
        field = "communiques"
    else:
        raise ApplicationError(
            _("Only statements and communiqués can be linked to an off-ramp."),
            fields={"target": [_("Not linkable.")]},
        )
    relation: Any = getattr(off_ramp, field)
    if linked:
        relation.add(target)
    else:
        relation.remove(target)
    audit_record(
        kind=AuditEntry.Kind.CHANGE,
        user=user,
        obj=off_ramp,
        summary=f"{'Linked' if linked else 'Unlinked'} {type(target)._meta.verbose_name}",
    )


def _translation(title: str, text: str) -> dict[str, str]:
    """A translation's title and text, cleaned as the authoritative ones are."""
    cleaned = _rich_text(text, field="text", label=_("The text"), required=False)
    return {"title": translated_title(title), "text": cleaned}


@transaction.atomic
def off_ramp_translation_set(
    *, off_ramp: OffRamp, user: Actor, language: str, title: str, text: str
) -> OffRamp:
    """Add or rewrite the translation of the option's title and text into ``language``: an
    unofficial translation until the secretariat confirms it. A text is required where the
    option has one."""
    values = _translation(title, text)
    return translation_record(
        off_ramp, OFF_RAMP_PARALLEL, user=user, language=language, values=values
    )


@transaction.atomic
def off_ramp_translation_confirm(*, off_ramp: OffRamp, user: Actor, language: str) -> OffRamp:
    """The secretariat confirms the option's current translation into ``language``."""
    return translation_confirm_record(off_ramp, OFF_RAMP_PARALLEL, user=user, language=language)


@transaction.atomic
def stance_state(
    *,
    user: Actor,
    off_ramp: OffRamp,
    position: str,
    note: str = "",
    private: bool = False,
    party: Party | None = None,
) -> Stance:
    """State the party's stance on the option: a new row, the party's current stance from now.

    Only a delegate of a party at the table (``table_parties``) states one, for that party.
    """
    if not access.can_read(off_ramp, user, **OFF_RAMP_FIELDS):
        raise PermissionDenied(_("You do not read this off-ramp."))
    check_choice(position, Stance.Position, field="position", label=_("The stance"))
    speaking = _speaking_party(
        user=user,
        party=party,
        allowed=stance_parties(user=user, crisis=off_ramp.crisis),
        refusal=_(
            "A stance by a party that is not at the table is refused: only a delegate of a "
            "seat-holder of this quarter, or of a party invited to the session the crisis was "
            "raised at, states one, for their own party."
        ),
    )
    if off_ramp.status in (OffRamp.Status.TAKEN_UP, OffRamp.Status.DROPPED):
        raise ApplicationError(
            _("The option is %(status)s: stances are closed.")
            % {"status": off_ramp.get_status_display().lower()},
            fields={"position": [_("Closed.")]},
        )
    stance = Stance.objects.create(
        off_ramp=off_ramp,
        party=speaking,
        position=position,
        note=_note(note),
        private=bool(private),
        stated_by=signed_in(user),
    )
    audit_record(
        kind=AuditEntry.Kind.CHANGE,
        user=user,
        obj=off_ramp,
        summary=f"Stance of {speaking.code}: {position}{' (private)' if private else ''}",
    )
    return stance


# --- Norms -----------------------------------------------------------------------------


@transaction.atomic
def norm_create(
    *,
    user: Actor,
    session: Session,
    title: str,
    text: str,
    source: str = "",
    distribution: str = Distribution.PARTICIPANTS,
) -> Norm:
    """Register a norm of behaviour the body discusses, at ``session``."""
    require_secretariat(user, _("register norms"))
    norm = Norm.objects.create(
        title=clean_text(title, field="title", label=_("The title"), max_length=200, visible=True),
        text=_rich_text(text, field="text", label=_("The text"), required=True),
        source=(source or "").strip()[:200],
        distribution=_distribution(distribution),
        session=session,
        created_by=signed_in(user),
    )
    audit_record(kind=AuditEntry.Kind.CHANGE, user=user, obj=norm, summary="Norm registered")
    return norm


@transaction.atomic
def norm_update(
    *, norm: Norm, user: Actor, title: str, text: str, source: str, distribution: str
) -> Norm:
    """Edit the norm's authoritative title and text, its source and distribution; a changed
    title or text outdates every translation. Saving it unchanged changes nothing."""
    require_secretariat(user, _("edit norms"))
    norm = Norm.objects.select_for_update().get(pk=norm.pk)
    values = {
        "title": clean_text(
            title, field="title", label=_("The title"), max_length=200, visible=True
        ),
        "text": _rich_text(text, field="text", label=_("The text"), required=True),
        "source": (source or "").strip()[:200],
        "distribution": _distribution(distribution),
    }
    return authoritative_update(norm, NORM_PARALLEL, user=user, values=values, said="Norm edited")


@transaction.atomic
def norm_translation_set(*, norm: Norm, user: Actor, language: str, title: str, text: str) -> Norm:
    """The norm's title and text in another working language than its authoritative one,
    as an unofficial translation (also when it rewrites a confirmed one)."""
    values = _translation(title, text)
    return translation_record(norm, NORM_PARALLEL, user=user, language=language, values=values)


@transaction.atomic
def norm_translation_confirm(*, norm: Norm, user: Actor, language: str) -> Norm:
    """Refused for a language the norm has no translation in, or an outdated one."""
    return translation_confirm_record(norm, NORM_PARALLEL, user=user, language=language)


@transaction.atomic
def norm_link(*, user: Actor, norm: Norm, communique: Communique, linked: bool = True) -> None:
    """Record (or withdraw) that a communiqué refers to the norm."""
    require_secretariat(user, _("link communiqués to a norm"))
    if linked:
        norm.communiques.add(communique)
    else:
        norm.communiques.remove(communique)
    audit_record(
        kind=AuditEntry.Kind.CHANGE,
        user=user,
        obj=norm,
        summary=f"{'Linked' if linked else 'Unlinked'} communiqué",
    )


def _read_norm(user: Actor, norm: Norm) -> None:
    if not access.can_read(norm, user, **NORM_FIELDS):
        raise PermissionDenied(_("You do not read this norm."))


@transaction.atomic
def adherence_state(
    *, user: Actor, norm: Norm, level: str, note: str = "", party: Party | None = None
) -> Adherence:
    """State the party's adherence to the norm: a new row, its current adherence from now."""
    _read_norm(user, norm)
    check_choice(level, Adherence.Level, field="level", label=_("The adherence"))
    speaking = _speaking_party(
        user=user,
        party=party,
        allowed=party_own_list(user=user),
        refusal=_("Only a delegate states adherence, for their own party."),
    )
    adherence = Adherence.objects.create(
        norm=norm, party=speaking, level=level, note=_note(note), stated_by=signed_in(user)
    )
    audit_record(
        kind=AuditEntry.Kind.CHANGE,
        user=user,
        obj=norm,
        summary=f"Adherence of {speaking.code}: {level}",
    )
    return adherence


@transaction.atomic
def incident_report(
    *,
    user: Actor,
    norm: Norm,
    occurred_on: date,
    place: str,
    parties_involved: Iterable[Party],
    description: str,
    distribution: str = Distribution.PARTICIPANTS,
    party: Party | None = None,
) -> Incident:
    """Report an incident under the norm, for the user's own party."""
    _read_norm(user, norm)
    speaking = _speaking_party(
        user=user,
        party=party,
        allowed=party_own_list(user=user),
        refusal=_("Only a delegate reports incidents, for their own party."),
    )
    if occurred_on > timezone.localdate():
        raise ApplicationError(
            _("An incident is reported once it has occurred: the date is in the future."),
            fields={"occurred_on": [_("In the future.")]},
        )
    involved = sorted({p.pk: p for p in parties_involved}.values(), key=lambda p: p.code)
    if not involved:
        raise ApplicationError(
            _("Name the parties involved."),
            fields={"parties_involved": [_("Choose parties.")]},
        )
    incident = Incident.objects.create(
        norm=norm,
        occurred_on=occurred_on,
        place=clean_text(place, field="place", label=_("The place"), max_length=200),
        reporting_party=speaking,
        description=clean_text(description, field="description", label=_("The description")),
        distribution=_distribution(distribution),
        reported_by=signed_in(user),
    )
    incident.parties_involved.set(involved)
    audit_record(kind=AuditEntry.Kind.CHANGE, user=user, obj=norm, summary="Incident reported")
    return incident


@transaction.atomic
def incident_respond(
    *, user: Actor, incident: Incident, text: str, party: Party | None = None
) -> IncidentResponse:
    """Another party's response to a reported incident."""
    readable = access.can_read(incident, user, **INCIDENT_FIELDS) and access.can_read(
        incident, user, **ADHERENCE_FIELDS
    )
    if not readable:
        raise PermissionDenied(_("You do not read this incident."))
    speaking = _speaking_party(
        user=user,
        party=party,
        allowed=party_own_list(user=user).exclude(pk=incident.reporting_party_id),
        refusal=_(
            "Only a delegate of another party than the reporting one responds, for their own party."
        ),
    )
    response = IncidentResponse.objects.create(
        incident=incident,
        party=speaking,
        text=clean_text(text, field="text", label=_("The response")),
        responded_by=signed_in(user),
    )
    audit_record(
        kind=AuditEntry.Kind.CHANGE, user=user, obj=incident.norm, summary="Incident response"
    )
    return response
