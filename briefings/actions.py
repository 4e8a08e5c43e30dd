"""The action centre: what is waiting for the signed-in user, each line linked to where it
is done.

It gathers from agenda, minutes and briefings, so it lives here, in the app
that may read all three. Every line is one query (or a fixed few) whatever
the number of sessions, papers or delegates, and every row passes the access
rule through the selectors it is built on: a delegate sees their own
delegation's objections and missing positions, never another's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import (
    CharField,
    Count,
    Exists,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.urls import reverse
from django.utils import timezone

from agenda.models import Agenda, ExtraordinaryRequest, Invitation, Objection, Session
from agenda.selectors.agendas import objection_list
from agenda.selectors.sessions import extraordinary_request_list, session_list
from briefings.models import BuildStatus, Pack, PackReceipt, PackRender
from consult import access
from members.models import Party, RotationTerm, SeatArrangement
from minutes.models import Communique, Minutes, Position
from minutes.selectors.communiques import communique_list
from minutes.selectors.record import minutes_list
from notices.selectors.notifications import notification_list

SHOWN = 10
"""At most this many rows per line; the line says how many more there are."""

_SEATED = "seat_holders_distribution"
UPCOMING = (Session.Status.DRAFT, Session.Status.SCHEDULED, Session.Status.IN_SESSION)


@dataclass(frozen=True)
class Action:
    """One thing to do: what, about which session, by when, and the link where it is done."""

    text: str
    url: str
    session: str = ""
    due: datetime | None = None
    zone: str = "UTC"
    """The zone ``due`` is shown in: the venue's, for anything about a session."""
    detail: str = ""
    status: str = ""


@dataclass
class ActionLine:
    key: str
    title: str
    empty: str
    actions: list[Action] = field(default_factory=list)
    more: int = 0


@dataclass
class ActionCentre:
    lines: list[ActionLine]

    @property
    def pending(self) -> int:
        return sum(len(line.actions) + line.more for line in self.lines)

    def line(self, key: str) -> ActionLine:
        return next(line for line in self.lines if line.key == key)


def _seated(queryset: QuerySet, user: Any, session: str) -> QuerySet:
    """Rows of sessions at which ``user``'s delegation holds a seat (the seat-holders rule)."""
    queryset = queryset.alias(
        **{_SEATED: Value(access.Distribution.SEAT_HOLDERS.value, output_field=CharField())}
    )
    return access.visible(queryset, user, distribution=_SEATED, session=session)


def _session_url(session: Session) -> str:
    return session.get_absolute_url()


def _url(name: str, public_id: Any) -> str:
    return reverse(name, kwargs={"public_id": public_id})


# A delegate's lines


def _rows[T: Model](
    key: str, title: str, empty: str, rows: QuerySet[T], action: Callable[[T], Action]
) -> ActionLine:
    """A line of the first ``SHOWN`` of ``rows`` (one query), saying whether there are more."""
    found = list(rows[: SHOWN + 1])
    return ActionLine(
        key,
        title,
        empty,
        actions=[action(row) for row in found[:SHOWN]],
        more=max(0, len(found) - SHOWN),
    )


def _next_session(user: Any, now: datetime) -> ActionLine:
    line = ActionLine("next_session", "Next session", "No session is scheduled for you.")
    packs = Pack.objects.filter(session=OuterRef("pk"), user=user).order_by("-created_at", "-pk")
    reads = PackReceipt.objects.filter(
        session=OuterRef("pk"), user=user, action=PackReceipt.Action.VIEW
    ).order_by("-created_at")
    session = (
        session_list(user=user, upcoming_after=now)
        .filter(status__in=(Session.Status.SCHEDULED, Session.Status.IN_SESSION))
        .annotate(
            pack_status=Subquery(packs.values("status")[:1]),
            pack_made=Subquery(packs.values("created_at")[:1]),
            last_read=Subquery(reads.values("created_at")[:1]),
        )
        .order_by("starts_at")
        .first()
    )
    if session is None:
        return line
    line.actions.append(
        Action(
            text=session.title or session.get_kind_display(),
            url=_session_url(session),
            session=session.number,
            due=session.starts_at,
            zone=session.venue_timezone,
            detail=session.venue,
        )
    )
    pack_status: str | None = session.pack_status
    if pack_status is None:
        return line
    if pack_status != BuildStatus.READY:
        text, status = "Your briefing pack is being prepared", "waiting"
    elif session.last_read is None:
        text, status = "Your briefing pack is ready: not read yet", "new"
    elif session.last_read < session.pack_made:
        text, status = "Your briefing pack was updated since you last read it", "updated"
    else:
        text, status = "Your briefing pack (read)", "read"
    line.actions.append(
        Action(
            text=text,
            url=_url("briefings:pack_detail", session.public_id),
            session=session.number,
            status=status,
        )
    )
    return line


def _objection_windows(user: Any, now: datetime) -> ActionLine:
    sessions = _seated(
        Session.objects.filter(
            agenda__status=Agenda.Status.CIRCULATED, agenda__objection_deadline__gt=now
        ),
        user,
        "pk",
    ).select_related("agenda")
    return _rows(
        "objection_windows",
        "Open objection windows",
        "No provisional agenda awaits objections.",
        sessions.order_by("agenda__objection_deadline"),
        lambda session: Action(
            text="Provisional agenda circulated: object before the window closes",
            url=_url("agenda:objection_create", session.public_id),
            session=session.number,
            due=session.agenda.objection_deadline,
            zone=session.venue_timezone,
        ),
    )


def _drafts_awaiting_position(user: Any, now: datetime) -> ActionLine:
    stated = Position.objects.filter(
        version=OuterRef("circulated_version"), party_id__in=access.active_party_ids(user)
    )
    drafts = (
        _seated(communique_list(user, status=Communique.Status.CIRCULATED), user, "session")
        .filter(Q(deadline__isnull=True) | Q(deadline__gt=now))
        .exclude(Exists(stated))
    )
    return _rows(
        "drafts_awaiting_position",
        "Drafts awaiting your delegation's position",
        "No circulated draft awaits your delegation's position.",
        drafts.order_by("deadline", "pk"),
        lambda communique: Action(
            text=f"State your position on “{communique.title}”",
            url=communique.get_absolute_url(),
            session=communique.session.number,
            due=communique.deadline,
            zone=communique.session.venue_timezone,
            detail="Silence procedure" if communique.silence_procedure else "",
        ),
    )


def _minutes_to_review(user: Any) -> ActionLine:
    return _rows(
        "minutes_to_review",
        "Minutes to review",
        "No minutes are circulated for amendments.",
        minutes_list(user)
        .filter(status=Minutes.Status.CIRCULATED)
        .order_by("-circulated_at", "pk"),
        lambda minutes: Action(
            text="Minutes circulated for amendments",
            url=minutes.get_absolute_url(),
            session=minutes.session.number,
        ),
    )


def _objection_state(objection: Objection) -> Action:
    answered = bool(objection.response)
    return Action(
        text=objection.text,
        url=_session_url(objection.agenda.session),
        session=objection.agenda.session.number,
        detail=f"Answer: {objection.response}" if answered else "Not answered yet",
        status="answered" if answered else "waiting",
    )


def _my_objections(user: Any) -> ActionLine:
    return _rows(
        "my_objections",
        "Your delegation's objections",
        "Your delegation has raised no objection.",
        objection_list(user=user)
        .filter(party_id__in=access.active_party_ids(user))
        .order_by("-created_at", "pk"),
        _objection_state,
    )


def _unread_notices(user: Any) -> ActionLine:
    return _rows(
        "unread_notices",
        "Unread notices",
        "No unread notices.",
        notification_list(user=user, unread=True),
        lambda notice: Action(
            text=notice.subject,
            url=reverse("notices:notice_list"),
            session=notice.session.number,
            detail=f"Sent {notice.sent_at:%d %B %Y, %H:%M} UTC",
        ),
    )


def delegate_actions(user: Any, *, now: datetime | None = None) -> ActionCentre:
    """A delegate's action centre."""
    now = now or timezone.now()
    return ActionCentre(
        lines=[
            _next_session(user, now),
            _objection_windows(user, now),
            _drafts_awaiting_position(user, now),
            _minutes_to_review(user),
            _my_objections(user),
            _unread_notices(user),
        ]
    )


# The secretariat's lines


def _session_lacks(session: Any, now: datetime) -> list[tuple[str, str]]:
    """What a session still lacks, each with the link where it is done."""
    lacks: list[tuple[str, str]] = []
    agenda_url = _url("agenda:agenda_build", session.public_id)
    if session.agenda_status in (None, Agenda.Status.DRAFT):
        lacks.append(("Agenda not circulated", agenda_url))
    elif session.agenda_status == Agenda.Status.CIRCULATED and (
        session.objection_deadline is None or session.objection_deadline <= now
    ):
        lacks.append(("Objection window closed: agenda to adopt", agenda_url))
    if session.unanswered:
        lacks.append(
            (
                f"{session.unanswered} of {session.invited} invitations unanswered",
                _session_url(session) + "#table",
            )
        )
    elif not session.invited:
        lacks.append(("No party invited", _url("agenda:invitation_create", session.public_id)))
    if session.status in UPCOMING and not session.pack_ready:
        lacks.append(("Briefing pack not built", _session_url(session) + "#briefing-pack"))
    if session.status == Session.Status.HELD:
        if session.minutes_id is None:
            # The list holds the button that opens them (a POST: a link cannot).
            opening = f"{reverse('minutes:minutes_list')}#open-{session.public_id}"
            lacks.append(("Minutes not opened", opening))
        elif session.minutes_status != Minutes.Status.APPROVED:
            minutes_url = _url("minutes:minutes_detail", session.minutes_id)
            lacks.append(("Minutes not approved", minutes_url))
    return lacks


def _sessions_lacking(user: Any, now: datetime) -> ActionLine:
    line = ActionLine(
        "sessions_lacking",
        "Upcoming sessions and what each still lacks",
        "Every upcoming session has what it needs.",
    )
    invited = Invitation.objects.filter(session=OuterRef("pk")).exclude(
        status=Invitation.Status.REVOKED
    )
    sessions = list(
        session_list(user=user)
        .filter(
            Q(status__in=UPCOMING, ends_at__gt=now)
            | (Q(status=Session.Status.HELD) & ~Q(minutes__status=Minutes.Status.APPROVED))
        )
        .annotate(
            agenda_status=Subquery(
                Agenda.objects.filter(session=OuterRef("pk")).values("status")[:1]
            ),
            objection_deadline=Subquery(
                Agenda.objects.filter(session=OuterRef("pk")).values("objection_deadline")[:1]
            ),
            invited=Subquery(
                invited.order_by().values("session").annotate(n=Count("pk")).values("n")[:1]
            ),
            unanswered=Subquery(
                invited.filter(status=Invitation.Status.SENT)
                .order_by()
                .values("session")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            pack_ready=Exists(
                PackRender.objects.filter(session=OuterRef("pk"), status=BuildStatus.READY)
            ),
            minutes_id=Subquery(
                Minutes.objects.filter(session=OuterRef("pk")).values("public_id")[:1]
            ),
            minutes_status=Subquery(
                Minutes.objects.filter(session=OuterRef("pk")).values("status")[:1]
            ),
        )
        .order_by("starts_at")[: SHOWN + 1]
    )
    for session in sessions[:SHOWN]:
        lacks = _session_lacks(session, now)
        if not lacks:
            continue
        line.actions.append(
            Action(
                text=session.title or session.get_kind_display(),
                url=_session_url(session),
                session=session.number,
                due=session.starts_at,
                zone=session.venue_timezone,
                detail=session.get_status_display(),
            )
        )
        line.actions.extend(
            Action(text=text, url=url, session=session.number, status="lacks")
            for text, url in lacks
        )
    line.more = max(0, len(sessions) - SHOWN)
    return line


def _extraordinary_requests(user: Any) -> ActionLine:
    return _rows(
        "extraordinary_requests",
        "Requests for extraordinary sessions",
        "No request for an extraordinary session is pending.",
        extraordinary_request_list(user=user, status=ExtraordinaryRequest.Status.PENDING).order_by(
            "created_at", "pk"
        ),
        lambda request: Action(
            text=f"{request.party.name_en} requests an extraordinary session",
            url=reverse("agenda:session_convene"),
            due=request.created_at,
            detail=request.reason,
        ),
    )


def _unanswered_objections(user: Any) -> ActionLine:
    return _rows(
        "unanswered_objections",
        "Unanswered objections",
        "Every objection is answered.",
        objection_list(user=user).filter(response="").order_by("created_at", "pk"),
        lambda objection: Action(
            text=f"{objection.party.name_en}: {objection.text}",
            url=_url("agenda:objection_answer", objection.public_id),
            session=objection.agenda.session.number,
            due=objection.agenda.objection_deadline,
            zone=objection.agenda.session.venue_timezone,
        ),
    )


def _seat_holders_by_quarter(quarters: set[str]) -> dict[str, set[int]]:
    """Each quarter's seat-holding parties, in two queries for all the quarters."""
    arrangements = list(
        SeatArrangement.objects.filter(seat__is_observer=False).values_list(
            "seat__party_id", "effective_from"
        )
    )
    holders: dict[str, set[int]] = defaultdict(set)
    for quarter, holder in RotationTerm.objects.filter(
        quarter__in=quarters, seat__is_observer=False
    ).values_list("quarter", "holder_id"):
        holders[quarter].add(holder)
    return {
        quarter: {party for party, since in arrangements if since <= quarter} | holders[quarter]
        for quarter in quarters
    }


def _positions_missing(user: Any, now: datetime) -> ActionLine:
    line = ActionLine(
        "positions_missing",
        "Positions missing before deadlines",
        "No circulated text is waiting for positions.",
    )
    drafts = list(
        communique_list(user, status=Communique.Status.CIRCULATED)
        .filter(deadline__gt=now, circulated_version__isnull=False)
        .order_by("deadline", "pk")[: SHOWN + 1]
    )
    shown = drafts[:SHOWN]
    stated: dict[int, set[int]] = defaultdict(set)
    for version, party in Position.objects.filter(
        version__in=[d.circulated_version_id for d in shown]
    ).values_list("version_id", "party_id"):
        stated[version].add(party)
    seated = _seat_holders_by_quarter({d.session.quarter for d in shown})
    missing_ids = {
        d.pk: seated[d.session.quarter] - stated[d.circulated_version_id or 0] for d in shown
    }
    codes = dict(
        Party.objects.filter(pk__in={p for ids in missing_ids.values() for p in ids}).values_list(
            "pk", "code"
        )
    )
    for communique in shown:
        missing = sorted(codes[p] for p in missing_ids[communique.pk])
        if not missing:
            continue
        line.actions.append(
            Action(
                text=f"“{communique.title}”: no position yet from {', '.join(missing)}",
                url=communique.get_absolute_url(),
                session=communique.session.number,
                due=communique.deadline,
                zone=communique.session.venue_timezone,
            )
        )
    line.more = max(0, len(drafts) - SHOWN)
    return line


def _failed_packs(user: Any) -> ActionLine:
    superseded = PackRender.objects.filter(
        session=OuterRef("session"), status=BuildStatus.READY, created_at__gt=OuterRef("created_at")
    )
    failed = (
        PackRender.objects.filter(
            status=BuildStatus.FAILED,
            session__in=session_list(user=user).order_by().values("pk"),
        )
        .exclude(Exists(superseded))
        .select_related("session")
    )
    return _rows(
        "failed_packs",
        "Failed packs",
        "No briefing pack failed.",
        failed.order_by("-updated_at", "pk"),
        lambda render: Action(
            text="Quarantined: rebuild by hand" if render.quarantined else "Build failed",
            url=_session_url(render.session) + "#briefing-pack",
            session=render.session.number,
            detail=render.reason,
            status="failed",
        ),
    )


def secretariat_actions(user: Any, *, now: datetime | None = None) -> ActionCentre:
    """The secretariat's action centre."""
    now = now or timezone.now()
    return ActionCentre(
        lines=[
            _sessions_lacking(user, now),
            _extraordinary_requests(user),
            _unanswered_objections(user),
            _positions_missing(user, now),
            _failed_packs(user),
        ]
    )


def action_centre(
    user: Any, *, secretariat: bool, delegate: bool, now: datetime | None = None
) -> ActionCentre | None:
    """The signed-in user's action centre: the secretariat's, a delegate's, or none.

    The caller says which roles ``user`` holds (the dashboard has read them already).
    """
    if secretariat:
        return secretariat_actions(user, now=now)
    if delegate:
        return delegate_actions(user, now=now)
    return None
