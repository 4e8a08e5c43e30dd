"""The secretariat's action centre: what each upcoming session still lacks, requests for
extraordinary sessions, unanswered objections, missing positions, failed packs."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    Subquery,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agenda.models import Agenda, ExtraordinaryRequest, Invitation, Session
from agenda.selectors.agendas import objection_list
from agenda.selectors.sessions import extraordinary_request_list, session_list
from briefings.models import BuildStatus, PackRender
from briefings.selectors.actions_base import (
    SHOWN,
    Action,
    ActionCentre,
    ActionLine,
    action_line,
    page_url,
    session_action,
    session_url,
)
from consult.actors import Actor
from members.models import Party, RotationTerm, SeatArrangement
from minutes.models import Communique, Minutes, Position
from minutes.selectors.communiques import communique_list

UPCOMING = (Session.Status.DRAFT, Session.Status.SCHEDULED, Session.Status.IN_SESSION)


def _session_lacks(session: Any, now: datetime) -> list[tuple[str, str]]:
    """What a session still lacks, each with the link where it is done."""
    lacks: list[tuple[str, str]] = []
    agenda_url = page_url("agenda:agenda_build", session.public_id)
    if session.agenda_status in (None, Agenda.Status.DRAFT):
        lacks.append((_("Agenda not circulated"), agenda_url))
    elif session.agenda_status == Agenda.Status.CIRCULATED and (
        session.objection_deadline is None or session.objection_deadline <= now
    ):
        lacks.append((_("Objection window closed: agenda to adopt"), agenda_url))
    if session.unanswered:
        lacks.append(
            (
                ngettext(
                    "%(unanswered)s of %(invited)s invitation unanswered",
                    "%(unanswered)s of %(invited)s invitations unanswered",
                    session.invited,
                )
                % {"unanswered": session.unanswered, "invited": session.invited},
                session_url(session) + "#table",
            )
        )
    elif not session.invited:
        lacks.append(
            (_("No party invited"), page_url("agenda:invitation_create", session.public_id))
        )
    if session.status in UPCOMING and not session.pack_ready:
        lacks.append((_("Briefing pack not built"), session_url(session) + "#briefing-pack"))
    if session.status == Session.Status.HELD:
        if session.minutes_id is None:
            # The list holds the button that opens them (a POST: a link cannot).
            opening = f"{reverse('minutes:minutes_list')}#open-{session.public_id}"
            lacks.append((_("Minutes not opened"), opening))
        elif session.minutes_status != Minutes.Status.APPROVED:
            minutes_url = page_url("minutes:minutes_detail", session.minutes_id)
            lacks.append((_("Minutes not approved"), minutes_url))
    return lacks


def _sessions_lacking(user: Actor, now: datetime) -> ActionLine:
    line = ActionLine(
        "sessions_lacking",
        _("Upcoming sessions and what each still lacks"),
        _("Every upcoming session has what it needs."),
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
        line.actions.append(session_action(session, detail=session.get_status_display()))
        line.actions.extend(
            Action(text=text, url=url, session=session.number, status="lacks")
            for text, url in lacks
        )
    line.more = max(0, len(sessions) - SHOWN)
    return line


def _extraordinary_requests(user: Actor) -> ActionLine:
    return action_line(
        "extraordinary_requests",
        _("Requests for extraordinary sessions"),
        _("No request for an extraordinary session is pending."),
        extraordinary_request_list(user=user, status=ExtraordinaryRequest.Status.PENDING).order_by(
            "created_at", "pk"
        ),
        lambda request: Action(
            text=_("%(party)s requests an extraordinary session")
            % {"party": request.party.display_name},
            url=reverse("agenda:session_convene"),
            due=request.created_at,
            detail=request.display_reason,
        ),
    )


def _unanswered_objections(user: Actor) -> ActionLine:
    return action_line(
        "unanswered_objections",
        _("Unanswered objections"),
        _("Every objection is answered."),
        objection_list(user=user).filter(response="").order_by("created_at", "pk"),
        lambda objection: Action(
            text=f"{objection.party.display_name}: {objection.text}",
            url=page_url("agenda:objection_answer", objection.public_id),
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


def _positions_missing(user: Actor, now: datetime) -> ActionLine:
    line = ActionLine(
        "positions_missing",
        _("Positions missing before deadlines"),
        _("No circulated text is waiting for positions."),
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
                text=_("“%(title)s”: no position yet from %(parties)s")
                % {"title": communique.title, "parties": ", ".join(missing)},
                url=communique.get_absolute_url(),
                session=communique.session.number,
                due=communique.deadline,
                zone=communique.session.venue_timezone,
            )
        )
    line.more = max(0, len(drafts) - SHOWN)
    return line


def _failed_packs(user: Actor) -> ActionLine:
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
    return action_line(
        "failed_packs",
        _("Failed packs"),
        _("No briefing pack failed."),
        failed.order_by("-updated_at", "pk"),
        lambda render: Action(
            text=_("Quarantined: rebuild by hand") if render.quarantined else _("Build failed"),
            url=session_url(render.session) + "#briefing-pack",
            session=render.session.number,
            detail=render.display_reason,
            status="failed",
        ),
    )


def secretariat_actions(*, user: Actor, now: datetime | None = None) -> ActionCentre:
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
