"""A delegate's action centre: their next session and pack, objection windows, drafts
awaiting their delegation's position, minutes to review, their objections, unread notices."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    Exists,
    OuterRef,
    Q,
    Subquery,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agenda.models import Agenda, Objection, Session
from agenda.selectors.agendas import objection_list
from agenda.selectors.sessions import session_list
from briefings.models import BuildStatus, Pack, PackReceipt
from briefings.selectors.actions_base import (
    Action,
    ActionCentre,
    ActionLine,
    action_line,
    page_url,
    seat_holders_only,
    session_action,
    session_url,
)
from consult import access
from consult.actors import Actor
from consult.times import format_in_zone
from minutes.models import Communique, Minutes, Position
from minutes.selectors.communiques import communique_list
from minutes.selectors.record import minutes_list
from notices.selectors.notifications import notification_list


def _next_session(user: Actor, now: datetime) -> ActionLine:
    line = ActionLine("next_session", _("Next session"), _("No session is scheduled for you."))
    if isinstance(user, AnonymousUser):
        return line
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
    line.actions.append(session_action(session, detail=session.venue))
    pack_status: str | None = session.pack_status
    if pack_status is None:
        return line
    if pack_status != BuildStatus.READY:
        text, status = _("Your briefing pack is being prepared"), "waiting"
    elif session.last_read is None:
        text, status = _("Your briefing pack is ready: not read yet"), "new"
    elif session.last_read < session.pack_made:
        text, status = _("Your briefing pack was updated since you last read it"), "updated"
    else:
        text, status = _("Your briefing pack (read)"), "read"
    line.actions.append(
        Action(
            text=text,
            url=page_url("briefings:pack_detail", session.public_id),
            session=session.number,
            status=status,
        )
    )
    return line


def _objection_windows(user: Actor, now: datetime) -> ActionLine:
    sessions = seat_holders_only(
        Session.objects.filter(
            agenda__status=Agenda.Status.CIRCULATED, agenda__objection_deadline__gt=now
        ),
        user,
        "pk",
    ).select_related("agenda")
    return action_line(
        "objection_windows",
        _("Open objection windows"),
        _("No provisional agenda awaits objections."),
        sessions.order_by("agenda__objection_deadline"),
        lambda session: Action(
            text=_("Provisional agenda circulated: object before the window closes"),
            url=page_url("agenda:objection_create", session.public_id),
            session=session.number,
            due=session.agenda.objection_deadline,
            zone=session.venue_timezone,
        ),
    )


def _drafts_awaiting_position(user: Actor, now: datetime) -> ActionLine:
    stated = Position.objects.filter(
        version=OuterRef("circulated_version"), party_id__in=access.active_party_ids(user)
    )
    drafts = (
        seat_holders_only(
            communique_list(user, status=Communique.Status.CIRCULATED), user, "session"
        )
        .filter(Q(deadline__isnull=True) | Q(deadline__gt=now))
        .exclude(Exists(stated))
    )
    return action_line(
        "drafts_awaiting_position",
        _("Drafts awaiting your delegation's position"),
        _("No circulated draft awaits your delegation's position."),
        drafts.order_by("deadline", "pk"),
        lambda communique: Action(
            text=_("State your position on “%(title)s”") % {"title": communique.title},
            url=communique.get_absolute_url(),
            session=communique.session.number,
            due=communique.deadline,
            zone=communique.session.venue_timezone,
            detail=_("Silence procedure") if communique.silence_procedure else "",
        ),
    )


def _minutes_to_review(user: Actor) -> ActionLine:
    return action_line(
        "minutes_to_review",
        _("Minutes to review"),
        _("No minutes are circulated for amendments."),
        minutes_list(user)
        .filter(status=Minutes.Status.CIRCULATED)
        .order_by("-circulated_at", "pk"),
        lambda minutes: Action(
            text=_("Minutes circulated for amendments"),
            url=minutes.get_absolute_url(),
            session=minutes.session.number,
        ),
    )


def _objection_state(objection: Objection) -> Action:
    answered = bool(objection.response)
    return Action(
        text=objection.text,
        url=session_url(objection.agenda.session),
        session=objection.agenda.session.number,
        detail=_("Answer: %(answer)s") % {"answer": objection.response}
        if answered
        else _("Not answered yet"),
        status="answered" if answered else "waiting",
    )


def _my_objections(user: Actor) -> ActionLine:
    return action_line(
        "my_objections",
        _("Your delegation's objections"),
        _("Your delegation has raised no objection."),
        objection_list(user=user)
        .filter(party_id__in=access.active_party_ids(user))
        .order_by("-created_at", "pk"),
        _objection_state,
    )


def _unread_notices(user: Actor) -> ActionLine:
    return action_line(
        "unread_notices",
        _("Unread notices"),
        _("No unread notices."),
        notification_list(user=user, unread=True),
        lambda notice: Action(
            text=notice.subject,
            url=reverse("notices:notice_list"),
            session=notice.session.number,
            detail=_("Sent %(sent)s UTC")
            % {"sent": format_in_zone(notice.sent_at, "UTC", "j E Y, H:i")},
        ),
    )


def delegate_actions(*, user: Actor, now: datetime | None = None) -> ActionCentre:
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
