"""Reads of the minutes, filtered by the access rule and anonymised in SQL.

The Chatham House rule is applied here and only here: every statement read
carries ``display_party``, ``display_party_code`` and ``display_speaker``,
computed by the database (and ``display_party_name``, the party's name in the
reader's language for pages and packs; ``display_party`` keeps the English
one, the API's). For anyone outside the secretariat they read
"a participant" (and no code) on a Chatham House item. Pages, the API,
exports, search and briefing packs show only these fields; filters and
search never match a hidden party or speaker, so no result set reveals one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypedDict, Unpack
from uuid import UUID

from django.db.models import Case, CharField, F, Model, Prefetch, Q, QuerySet, Value, When
from django.http import Http404

from agenda.models import AgendaItem, Document, Session
from agenda.selectors.documents import DOCUMENT_FIELDS
from consult import access
from consult.access import reads_as_secretariat
from consult.actors import Actor
from consult.diff import TextDiff, word_diff
from members.models import Party
from members.selectors.parties import party_name_column
from minutes.models import ActionPoint, Amendment, Attendance, Minutes, MinutesRevision, Statement
from minutes.snapshots import A_PARTICIPANT, Viewer, snapshot_lines

# An ad hoc party (its ``view_session`` grant) opens the minutes themselves, as
# it opens the session: inside, it reads the statements and action points of
# the items it was invited to, and its own amendments.
MINUTES_FIELDS: dict[str, Any] = {
    "distribution": "distribution",
    "session": "session",
    "session_view": True,
}
STATEMENT_FIELDS: dict[str, Any] = {
    "distribution": "distribution",
    "session": "minutes__session",
    "item": "item",
}
ACTION_POINT_FIELDS: dict[str, Any] = {
    "distribution": "distribution",
    "session": "minutes__session",
    "item": "item",
    "owner": "owner",
}
# Amendments are secretariat material that the proposing delegation also reads.
AMENDMENT_FIELDS: dict[str, Any] = {
    "distribution": "distribution",
    "session": "minutes__session",
    "owner": "party",
}


def _hide_drafts[M: Model](queryset: QuerySet[M], user: Actor, path: str) -> QuerySet[M]:
    # Draft minutes are the secretariat's working copy until circulated.
    if reads_as_secretariat(user):
        return queryset
    return queryset.exclude(**{path: Minutes.Status.DRAFT})


def minutes_list(user: Actor, *, session: Session | None = None) -> QuerySet[Minutes]:
    minutes = Minutes.objects.select_related("session")
    if session is not None:
        minutes = minutes.filter(session=session)
    minutes = access.visible(minutes, user, **MINUTES_FIELDS)
    return _hide_drafts(minutes, user, "status").order_by("-session__starts_at")


def minutes_get(user: Actor, *, public_id: UUID | str) -> Minutes:
    return access.get_visible_or_404(
        _hide_drafts(Minutes.objects.select_related("session", "session__chair"), user, "status"),
        user,
        fields=MINUTES_FIELDS,
        public_id=public_id,
    )


def minutes_for_session(user: Actor, *, session: Session) -> Minutes | None:
    return minutes_list(user, session=session).first()


def _with_display(statements: QuerySet[Statement], user: Actor) -> QuerySet[Statement]:
    if reads_as_secretariat(user):
        return statements.annotate(
            display_party=F("party__name_en"),
            display_party_name=party_name_column("party__"),
            display_party_code=F("party__code"),
            display_speaker=F("speaker_name"),
        )
    hidden = Q(item__chatham_house=True)
    return statements.annotate(
        display_party=Case(
            When(hidden, then=Value(A_PARTICIPANT)),
            default=F("party__name_en"),
            output_field=CharField(),
        ),
        display_party_name=Case(
            When(hidden, then=Value(A_PARTICIPANT)),
            default=party_name_column("party__"),
            output_field=CharField(),
        ),
        display_party_code=Case(
            When(hidden, then=Value("")), default=F("party__code"), output_field=CharField()
        ),
        display_speaker=Case(
            When(hidden, then=Value(A_PARTICIPANT)),
            default=F("speaker_name"),
            output_field=CharField(),
        ),
    )


def visible_documents(
    user: Actor, *, to_attr: str = "visible_documents"
) -> Prefetch[str, QuerySet[Document], str]:
    """The referred papers the reader may open; the others are not even named."""
    return Prefetch(
        "documents",
        queryset=access.visible(Document.objects.order_by("symbol"), user, **DOCUMENT_FIELDS),
        to_attr=to_attr,
    )


class StatementFilters(TypedDict, total=False):
    minutes: Minutes | None
    session: Session | None
    item: AgendaItem | None
    party: Party | None
    kind: str | None
    date_from: date | None
    date_to: date | None
    q: str | None
    quarter: str | None
    distribution: str | None


def statement_list(user: Actor, **filters: Unpack[StatementFilters]) -> QuerySet[Statement]:
    """Statements ``user`` may read, in speaking order, with display fields.

    ``filters`` are those of ``statement_filter``.
    """
    statements = Statement.objects.select_related("item", "minutes__session")
    statements = access.visible(statements, user, **STATEMENT_FIELDS)
    statements = _hide_drafts(statements, user, "minutes__status")
    statements = _with_display(statements, user).prefetch_related(visible_documents(user))
    statements = statements.order_by("-minutes__session__starts_at", "item__order", "order")
    return statement_filter(statements, user, **filters)


def statement_filter(
    statements: QuerySet[Statement],
    user: Actor,
    *,
    minutes: Minutes | None = None,
    session: Session | None = None,
    item: AgendaItem | None = None,
    party: Party | None = None,
    kind: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    q: str | None = None,
    quarter: str | None = None,
    distribution: str | None = None,
) -> QuerySet[Statement]:
    """Narrow ``statement_list(user)``: the API's filters apply it to the list it already built.

    Dates are the session's start (UTC). Outside the secretariat, ``party``
    matches no statement on a Chatham House item, and ``q`` searches the
    summary, the text and the displayed party and speaker only.
    """
    if minutes is not None:
        statements = statements.filter(minutes=minutes)
    if session is not None:
        statements = statements.filter(minutes__session=session)
    if item is not None:
        statements = statements.filter(item=item)
    if kind is not None:
        statements = statements.filter(kind=kind)
    if quarter is not None:
        statements = statements.filter(minutes__session__quarter=quarter)
    if distribution is not None:
        statements = statements.filter(distribution=distribution)
    if date_from is not None:
        statements = statements.filter(minutes__session__starts_at__date__gte=date_from)
    if date_to is not None:
        statements = statements.filter(minutes__session__starts_at__date__lte=date_to)
    if party is not None:
        statements = statements.filter(party=party)
        if not reads_as_secretariat(user):
            statements = statements.filter(item__chatham_house=False)
    if q:
        statements = statements.filter(
            Q(summary__icontains=q)
            | Q(full_text__icontains=q)
            | Q(display_party__icontains=q)
            | Q(display_speaker__icontains=q)
        )
    return statements


def statement_get(user: Actor, *, public_id: UUID | str) -> Statement:
    try:
        return statement_list(user).get(public_id=public_id)
    except (Statement.DoesNotExist, ValueError) as exc:
        raise Http404("Not found.") from exc


def attendance_list(user: Actor, *, minutes: Minutes) -> QuerySet[Attendance]:
    """Who attended; readable by whoever reads the minutes themselves."""
    readable = minutes_list(user).filter(pk=minutes.pk)
    return (
        Attendance.objects.filter(minutes__in=readable)
        .select_related("party")
        .prefetch_related("delegates")
        .order_by("party__name_en")
    )


def attending_party_list(user: Actor, *, minutes: Minutes) -> QuerySet[Party]:
    """The parties recorded as attending, by English name: those who may speak or own
    an action point."""
    attending = attendance_list(user, minutes=minutes).order_by().values("party")
    return Party.objects.filter(pk__in=attending).order_by("name_en")


def action_point_list(
    user: Actor,
    *,
    minutes: Minutes | None = None,
    owner: Party | None = None,
    owners: Any = None,
    status: str | None = None,
    session: Session | None = None,
) -> QuerySet[ActionPoint]:
    points = ActionPoint.objects.select_related("owner", "item", "minutes__session")
    if minutes is not None:
        points = points.filter(minutes=minutes)
    if session is not None:
        points = points.filter(minutes__session=session)
    if owner is not None:
        points = points.filter(owner=owner)
    if owners is not None:
        points = points.filter(owner__in=owners)
    if status is not None:
        points = points.filter(status=status)
    return access.visible(points, user, **ACTION_POINT_FIELDS).order_by("due_date", "created_at")


def action_point_get(user: Actor, *, public_id: UUID | str) -> ActionPoint:
    return access.get_visible_or_404(
        ActionPoint.objects.select_related("owner", "item", "minutes__session"),
        user,
        fields=ACTION_POINT_FIELDS,
        public_id=public_id,
    )


def open_action_points(
    user: Actor, *, session: Session | None = None, party: Party | None = None
) -> QuerySet[ActionPoint]:
    """Open action points ``user`` may read, from sessions before ``session`` (if given).

    What a briefing pack and the dashboard carry until each point is done.
    """
    points = action_point_list(user, owner=party, status=ActionPoint.Status.OPEN)
    if session is not None:
        points = points.filter(minutes__session__starts_at__lt=session.starts_at)
    return points


def amendment_list(user: Actor, *, minutes: Minutes) -> QuerySet[Amendment]:
    amendments = Amendment.objects.filter(minutes=minutes).select_related(
        "party", "statement__item", "decided_by"
    )
    return access.visible(amendments, user, **AMENDMENT_FIELDS).order_by("created_at")


def amendment_get(user: Actor, *, public_id: UUID | str) -> Amendment:
    return access.get_visible_or_404(
        Amendment.objects.select_related("minutes__session", "party", "statement"),
        user,
        fields=AMENDMENT_FIELDS,
        public_id=public_id,
    )


def revision_list(minutes: Minutes) -> QuerySet[MinutesRevision]:
    """The kept revisions of minutes the caller has already read through ``minutes_get``."""
    return MinutesRevision.objects.filter(minutes=minutes).defer("snapshot").order_by("number")


def _viewer(user: Actor, minutes: Minutes) -> Viewer:
    if reads_as_secretariat(user):
        return Viewer(reveal=True, statements=None, action_points=None, chatham_items=())
    statements = statement_list(user, minutes=minutes).values_list("public_id", flat=True)
    points = action_point_list(user, minutes=minutes).values_list("public_id", flat=True)
    chatham = AgendaItem.objects.filter(session=minutes.session_id, chatham_house=True)
    return Viewer(
        reveal=False,
        statements={str(public_id) for public_id in statements},
        action_points={str(public_id) for public_id in points},
        chatham_items={str(public_id) for public_id in chatham.values_list("public_id", flat=True)},
    )


@dataclass(frozen=True, slots=True)
class RevisionDiff:
    older: MinutesRevision
    newer: MinutesRevision
    text: TextDiff


def revision_lines(user: Actor, *, revision: MinutesRevision) -> list[str]:
    return snapshot_lines(revision.snapshot, _viewer(user, revision.minutes))


def revision_diff(user: Actor, *, minutes: Minutes, older: int, newer: int) -> RevisionDiff:
    """Two revisions of minutes the caller reads, compared as rendered for this caller."""
    revisions = {
        revision.number: revision
        for revision in MinutesRevision.objects.filter(minutes=minutes, number__in=[older, newer])
    }
    if older not in revisions or newer not in revisions:
        raise Http404("Not found.")
    viewer = _viewer(user, minutes)
    text = word_diff(
        snapshot_lines(revisions[older].snapshot, viewer),
        snapshot_lines(revisions[newer].snapshot, viewer),
        context=2,
    )
    return RevisionDiff(older=revisions[older], newer=revisions[newer], text=text)
