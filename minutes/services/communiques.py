"""The non-binding communiqué: drafted in versions, circulated, positions, publication.

The body is consultative, so nobody can block a text: when a seat-holder
dissociates from the circulated version (or breaks silence under the silence
procedure), the text is still published, but as a chair's statement, under
the chair's own responsibility. Reservations are published as footnotes
attributed to their party. Positions are stated on the circulated version;
a new version sends the text back to draft, and earlier positions stay on
record with the version they were stated on.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from agenda.models import Session
from audit.models import AuditEntry
from audit.services import audit_record
from consult import parallel_services
from consult.access import Distribution, require_secretariat
from consult.actors import Actor, signed_in
from consult.errors import ApplicationError
from consult.parallel import translations_outdate
from consult.queue import send_on_commit
from consult.sanitize import sanitize_html
from consult.validation import check_choice, clean_text
from members.selectors.parties import party_name_column
from minutes.models import Communique, CommuniqueVersion, Position, SilenceBreak
from minutes.models.communiques import COMMUNIQUE_PARALLEL
from minutes.selectors.publication import compose_wording
from minutes.services.rules import (
    communique_locked,
    communique_locking,
    session_seat_holders,
    utc_when,
)


def _clean_body(text: str) -> str:
    sanitised = sanitize_html(text or "")
    if sanitised.is_blank:
        raise ApplicationError(
            gettext("The text is required."), fields={"text": [gettext("This field is required.")]}
        )
    return sanitised.html


def _enqueue_silence_deadline(communique: Communique) -> None:
    from minutes.tasks import communique_silence_deadline_task

    communique_id = communique.pk
    version_id = communique.circulated_version_id
    deadline = communique.deadline
    assert deadline is not None
    # Lost when Redis is down; communique_silence_sweep_task concludes it all the same.
    send_on_commit(
        lambda: communique_silence_deadline_task.apply_async(
            args=(communique_id, version_id), eta=deadline
        ),
        what="Silence deadline",
    )


def _enqueue_signing(version: CommuniqueVersion) -> None:
    """The published version is signed (PDF and canonical JSON) by a task after commit."""
    from minutes.tasks import communique_sign_task

    version_id = version.pk
    send_on_commit(lambda: communique_sign_task.delay(version_id), what="Communiqué signing")


@transaction.atomic
def communique_draft(
    *,
    session: Session,
    user: Actor,
    title: str,
    text: str,
    kind: str = Communique.Kind.COMMUNIQUE,
    silence_procedure: bool = False,
    note: str = "",
) -> Communique:
    """Open a draft text with its first version."""
    require_secretariat(user, gettext("draft communiqués"))
    check_choice(kind, Communique.Kind, field="kind", label=gettext("Kind"))
    if session.status == Session.Status.CANCELLED:
        raise ApplicationError(
            gettext("%(number)s was cancelled; it issues no text.") % {"number": session.number}
        )
    communique = Communique.objects.create(
        session=session,
        title=clean_text(
            title, field="title", label=gettext("The title"), max_length=200, visible=True
        ),
        kind=kind,
        silence_procedure=silence_procedure,
        created_by=signed_in(user),
    )
    CommuniqueVersion.objects.create(
        communique=communique,
        number=1,
        text=_clean_body(text),
        note=(note or "").strip()[:200],
        created_by=signed_in(user),
    )
    audit_record(
        kind=AuditEntry.Kind.CHANGE,
        user=user,
        obj=communique,
        summary=f"Drafted “{communique.title}” for {session.number}.",
    )
    return communique


@transaction.atomic
def communique_version_add(
    *, communique: Communique, user: Actor, text: str, note: str = "", title: str | None = None
) -> CommuniqueVersion:
    """A new version of the text; a circulated text goes back to draft for a new circulation."""
    require_secretariat(user, gettext("revise communiqués"))
    communique = communique_locked(communique)
    if communique.status == Communique.Status.PUBLISHED:
        raise ApplicationError(
            gettext("“%(text)s” is published; its text can no longer change.")
            % {"text": communique}
        )
    body = _clean_body(text)
    last = communique.versions.order_by("-number").first()
    version = CommuniqueVersion.objects.create(
        communique=communique,
        number=(last.number if last else 0) + 1,
        text=body,
        note=(note or "").strip()[:200],
        created_by=signed_in(user),
    )
    fields = ["updated_at"]
    if title is not None:
        communique.title = clean_text(
            title, field="title", label=gettext("The title"), max_length=200, visible=True
        )
        fields.append("title")
    # The authoritative text changed: every translation is outdated until rewritten.
    fields += translations_outdate(communique, COMMUNIQUE_PARALLEL)
    if communique.status == Communique.Status.CIRCULATED:
        communique.status = Communique.Status.DRAFT
        communique.circulated_version = None
        communique.circulated_at = None
        communique.deadline = None
        communique.silence_outcome = Communique.SilenceOutcome.NONE
        communique.silence_concluded_at = None
        fields += [
            "status",
            "circulated_version",
            "circulated_at",
            "deadline",
            "silence_outcome",
            "silence_concluded_at",
        ]
    communique.save(update_fields=fields)
    audit_record(
        kind=AuditEntry.Kind.CHANGE,
        user=user,
        obj=communique,
        summary=f"Added version {version.number} of “{communique.title}”.",
    )
    return version


@transaction.atomic
def communique_circulate(
    *,
    communique: Communique,
    user: Actor,
    deadline: datetime,
    silence_procedure: bool | None = None,
) -> Communique:
    """Circulate the latest version to the seat-holders until ``deadline``."""
    require_secretariat(user, gettext("circulate communiqués"))
    communique = communique_locked(communique)
    if communique.status != Communique.Status.DRAFT:
        raise ApplicationError(
            gettext("“%(text)s” is %(status)s; only a draft is circulated.")
            % {"text": communique, "status": communique.get_status_display().lower()}
        )
    latest = communique.versions.order_by("-number").first()
    if latest is None:
        raise ApplicationError(
            gettext("“%(title)s” has no version to circulate; add its text first.")
            % {"title": communique.title}
        )
    if deadline <= timezone.now():
        raise ApplicationError(
            gettext("The deadline must be in the future."),
            fields={"deadline": [gettext("In the past.")]},
        )
    if silence_procedure is not None:
        communique.silence_procedure = silence_procedure
    communique.status = Communique.Status.CIRCULATED
    communique.circulated_version = latest
    communique.circulated_at = timezone.now()
    communique.deadline = deadline
    communique.silence_outcome = Communique.SilenceOutcome.NONE
    communique.silence_concluded_at = None
    communique.save()
    if communique.silence_procedure:
        _enqueue_silence_deadline(communique)
    audit_record(
        kind=AuditEntry.Kind.TRANSITION,
        user=user,
        obj=communique,
        summary=f"Circulated “{communique.title}” until {deadline:%Y-%m-%d %H:%M} UTC.",
    )
    return communique


def _every_seat_holder_joined(communique: Communique, version: CommuniqueVersion) -> bool:
    """Each seat-holder of the session associated (with or without a reservation)."""
    joined = (
        Position.objects.filter(version=version)
        .exclude(stance=Position.Stance.DISSOCIATES)
        .values("party")
    )
    return not session_seat_holders(communique.session).exclude(pk__in=joined).exists()


def _publish(communique: Communique, *, user: Actor | None, now: datetime) -> Communique:
    """Publish the circulated version as the participants' text or as a chair's statement.

    Silence is not agreement: without the silence procedure, a text is the
    participants' only if every seat-holder joined it.
    """
    version = communique.circulated_version
    assert version is not None
    dissociated = Position.objects.filter(
        version=version, stance=Position.Stance.DISSOCIATES
    ).exists()
    silence_broken = SilenceBreak.objects.filter(version=version).exists()
    session = communique.session
    if (
        communique.kind == Communique.Kind.CHAIR_STATEMENT
        or dissociated
        or (communique.silence_procedure and silence_broken)
        or (not communique.silence_procedure and not _every_seat_holder_joined(communique, version))
    ):
        communique.kind = Communique.Kind.CHAIR_STATEMENT
        procedure = Communique.Procedure.CHAIR
    elif communique.silence_procedure:
        procedure = Communique.Procedure.SILENCE
    else:
        procedure = Communique.Procedure.ALL_PARTICIPANTS
    # In the text's authoritative language, as the signature covers them.
    wording = compose_wording(
        procedure=procedure, session=session, title=communique.title, language=communique.language
    )
    communique.published_title = wording.title
    communique.published_preamble = wording.preamble
    communique.published_attribution = wording.attribution
    communique.status = Communique.Status.PUBLISHED
    communique.distribution = Distribution.PUBLIC
    communique.published_version = version
    communique.published_at = now
    communique.published_by = None if user is None else signed_in(user)
    communique.save()
    _enqueue_signing(version)
    audit_record(
        kind=AuditEntry.Kind.PUBLICATION,
        user=user,
        obj=communique,
        summary=f"Published “{communique.published_title}”"
        + ("" if user is not None else " at the end of the silence procedure")
        + ".",
    )
    return communique


@transaction.atomic
def communique_publish(*, communique: Communique, user: Actor) -> Communique:
    """Publish the circulated version; a dissociation makes it a chair's statement."""
    require_secretariat(user, gettext("publish communiqués"))
    communique = communique_locked(communique)
    if communique.status == Communique.Status.PUBLISHED:
        raise ApplicationError(gettext("“%(text)s” is already published.") % {"text": communique})
    if communique.status != Communique.Status.CIRCULATED or communique.circulated_version is None:
        raise ApplicationError(
            gettext(
                "“%(title)s” has no circulated version; circulate it to the seat-holders "
                "before publishing."
            )
            % {"title": communique.title}
        )
    now = timezone.now()
    if communique.deadline is not None and now < communique.deadline:
        if communique.silence_procedure:
            raise ApplicationError(
                gettext(
                    "The silence procedure on “%(title)s” runs until %(deadline)s; the text is "
                    "published then unless silence is broken."
                )
                % {
                    "title": communique.title,
                    "deadline": utc_when(communique.deadline),
                }
            )
        stated = Position.objects.filter(version=communique.circulated_version).values("party")
        awaited = list(
            session_seat_holders(communique.session)
            .exclude(pk__in=stated)
            .values_list(party_name_column(), flat=True)
        )
        if awaited:
            raise ApplicationError(
                gettext(
                    "Positions are awaited from %(parties)s until %(deadline)s; publish after "
                    "the deadline or once every seat-holder has stated its position."
                )
                % {
                    "parties": ", ".join(awaited),
                    "deadline": utc_when(communique.deadline),
                }
            )
    return _publish(communique, user=user, now=now)


@transaction.atomic
def communique_silence_conclude(
    *, communique_id: int, version_id: int | None = None
) -> Communique | None:
    """At the deadline of a silence procedure: agreed (and published) unless silence was broken.

    Idempotent: a text already concluded, recirculated (another version), or
    whose deadline has not come yet is left as it is and None is returned.
    """
    communique = communique_locking().filter(pk=communique_id).first()
    if communique is None:
        return None
    now = timezone.now()
    if (
        communique.status != Communique.Status.CIRCULATED
        or not communique.silence_procedure
        or communique.silence_outcome
        or communique.deadline is None
        or communique.deadline > now
        or (version_id is not None and communique.circulated_version_id != version_id)
    ):
        return None
    communique.silence_concluded_at = now
    if SilenceBreak.objects.filter(version=communique.circulated_version).exists():
        communique.silence_outcome = Communique.SilenceOutcome.BROKEN
        communique.save(update_fields=["silence_outcome", "silence_concluded_at", "updated_at"])
        return communique
    communique.silence_outcome = Communique.SilenceOutcome.AGREED
    return _publish(communique, user=None, now=now)


@transaction.atomic
def communique_translation_set(
    *, communique: Communique, user: Actor, language: str, title: str, text: str
) -> Communique:
    """Add or rewrite the translation of a text into ``language``: an unofficial translation
    until the secretariat confirms it. The authoritative text, its versions and signature
    are untouched."""

    def values(locked: Communique) -> dict[str, str]:
        title_cleaned = clean_text(
            title, field="title", label=gettext("The title"), max_length=240, visible=True
        )
        return {"title": title_cleaned, "text": _clean_body(text)}

    return parallel_services.translation_record(
        communique,
        COMMUNIQUE_PARALLEL,
        user=user,
        language=language,
        values=values,
        may=parallel_services.secretariat(gettext_lazy("translate communiqués")),
        locking=communique_locking(),
    )


@transaction.atomic
def communique_translation_confirm(
    *, communique: Communique, user: Actor, language: str
) -> Communique:
    """The secretariat confirms a current translation; a missing or outdated one is refused."""
    return parallel_services.translation_confirm_record(
        communique,
        COMMUNIQUE_PARALLEL,
        user=user,
        language=language,
        may=parallel_services.secretariat(gettext_lazy("confirm translations")),
        locking=communique_locking(),
    )
