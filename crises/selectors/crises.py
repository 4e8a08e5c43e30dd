"""Reads of crisis dossiers and their timeline, through the one access rule.

A dossier's distribution is read against the session it was raised at. Its
timeline lists the linked items, papers, statements, action points and
communiqués each through its own app's selector, so a reader sees a linked
record only where the rule lets them read it (and a Chatham House statement
without its speaker), and the dossier's readers never learn of the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agenda.models import AgendaItem, Session
from agenda.models.agendas import AGENDA_ITEM_PARALLEL
from agenda.models.documents import DOCUMENT_PARALLEL
from agenda.selectors.agendas import agenda_item_list
from agenda.selectors.documents import document_list
from consult import access, parallel
from consult.actors import Actor
from crises.models import Crisis, CrisisTransition
from crises.selectors.alerts import alert_list
from minutes.models.communiques import COMMUNIQUE_PARALLEL
from minutes.selectors.communiques import communique_list
from minutes.selectors.record import action_point_list, statement_list

CRISIS_FIELDS: dict[str, Any] = {"distribution": "distribution", "session": "session"}


def crisis_list(
    *,
    user: Actor,
    status: str | None = None,
    region: str | None = None,
    session: Session | None = None,
    item: AgendaItem | None = None,
) -> QuerySet[Crisis]:
    """The dossiers ``user`` may read, by title; ``session``/``item``: those touching it."""
    crises = Crisis.objects.select_related("session")
    if status:
        crises = crises.filter(status=status)
    if region:
        crises = crises.filter(region__icontains=region)
    if session is not None:
        crises = crises.filter(items__session=session).distinct()
    if item is not None:
        crises = crises.filter(items=item)
    return access.visible(crises, user, **CRISIS_FIELDS).order_by("title")


def crisis_readable(user: Actor, path: str) -> Exists:
    """True where the crisis at ``path`` (e.g. ``"crisis_id"``) is one ``user`` may read.
    Records that reach further than their crisis's dossier (a threat of an assessment, an
    exercise, an alert) name the crisis only when this holds."""
    return Exists(crisis_list(user=user).filter(pk=OuterRef(path)))


@dataclass(frozen=True, slots=True)
class CrisesTouching:
    """The dossiers touching a session's page: all of them, and those of each item."""

    crises: list[Crisis]
    by_item: dict[int, list[Crisis]]

    def of_item(self, item: AgendaItem) -> list[Crisis]:
        return self.by_item.get(item.pk, [])


def crises_touching(*, user: Actor, session: Session) -> CrisesTouching:
    """The dossiers ``user`` reads that are linked to an item of ``session`` that ``user``
    reads (so a dossier never tells of an item hidden from its reader): one query."""
    links = (
        Crisis.items.through.objects.filter(
            crisis__in=crisis_list(user=user).values("pk"),
            agendaitem__in=agenda_item_list(user=user, session=session).values("pk"),
        )
        .select_related("crisis")
        .order_by("crisis__title", "crisis_id")
    )
    crises: dict[int, Crisis] = {}
    by_item: dict[int, list[Crisis]] = {}
    for link in links:
        crisis = crises.setdefault(link.crisis_id, link.crisis)
        by_item.setdefault(link.agendaitem_id, []).append(crisis)
    return CrisesTouching(crises=list(crises.values()), by_item=by_item)


# The records a dossier links, by kind: the model's field on Crisis and a label.
LINK_KINDS: dict[str, str | Promise] = {
    "items": gettext_lazy("Agenda items"),
    "documents": gettext_lazy("Papers"),
    "statements": gettext_lazy("Statements"),
    "action_points": gettext_lazy("Action points"),
    "communiques": gettext_lazy("Communiqués"),
}


def _linkable(user: Actor, kind: str, session: Session | None) -> QuerySet[Any]:
    if kind == "items":
        return agenda_item_list(user=user, session=session).order_by("session", "order")
    if kind == "documents":
        return document_list(user=user, session=session).order_by("symbol", "pk")
    if kind == "statements":
        return statement_list(user, session=session)
    if kind == "action_points":
        return action_point_list(user, session=session)
    if kind == "communiques":
        return communique_list(user, session=session)
    raise Http404("Not found.")


def _link_label(kind: str, record: Any) -> str:
    if kind == "items":
        # Titles in the reader's language (consult/parallel.py), from the record's own row.
        title = parallel.served_title(record, AGENDA_ITEM_PARALLEL)
        return _("Item %(order)s: %(title)s") % {"order": record.order, "title": title}
    if kind == "documents":
        return f"{record.symbol}: {parallel.served_title(record, DOCUMENT_PARALLEL)}"
    if kind == "statements":
        return _("Item %(order)s, %(party)s: %(summary)s") % {
            "order": record.item.order,
            "party": record.display_party_name,
            "summary": record.summary[:80],
        }
    if kind == "action_points":
        return _("%(what)s (due %(due)s)") % {
            "what": record.description[:80],
            "due": date_format(record.due_date, "j M Y"),
        }
    title = parallel.served_title(record, COMMUNIQUE_PARALLEL)
    return f"{title} ({record.get_status_display()})"


LinkChoices = list[tuple[str, list[tuple[str, str]]]]


def crisis_link_choices(*, user: Actor, session: Session) -> LinkChoices:
    """The records of ``session`` that ``user`` reads, grouped by kind, as ``kind:public_id``
    choices for linking to a dossier: one query per kind, whatever the session's size."""
    return [
        (
            str(label),
            [
                (f"{kind}:{record.public_id}", _link_label(kind, record))
                for record in _linkable(user, kind, session)
            ],
        )
        for kind, label in LINK_KINDS.items()
    ]


def crisis_linkable_get(*, user: Actor, value: str) -> Any:
    """The record a ``kind:public_id`` choice names, if ``user`` reads it; else 404."""
    kind, _sep, public_id = value.partition(":")
    if kind not in LINK_KINDS:
        raise Http404("Not found.")
    try:
        UUID(public_id)
    except ValueError as exc:
        raise Http404("Not found.") from exc
    record = _linkable(user, kind, None).filter(public_id=public_id).first()
    if record is None:
        raise Http404("Not found.")
    return record


def crisis_get(*, user: Actor, public_id: UUID | str) -> Crisis:
    return access.get_visible_or_404(
        Crisis.objects.select_related("session"),
        user,
        fields=CRISIS_FIELDS,
        public_id=public_id,
    )


def crisis_transition_list(*, crisis: Crisis) -> QuerySet[CrisisTransition]:
    """A readable dossier's status history, oldest first."""
    return CrisisTransition.objects.filter(crisis=crisis).order_by("on", "created_at")


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One dated line of a dossier's timeline."""

    at: datetime | date
    kind: str  # "item", "paper", "statement", "action_point", "communique", "alert", "status"
    title: str
    detail: str
    session_number: str
    url: str
    record: Any

    @property
    def day(self) -> date:
        return self.at.date() if isinstance(self.at, datetime) else self.at


def _day(value: datetime | date) -> date:
    if isinstance(value, datetime):
        return timezone.localdate(value)
    return value


def crisis_timeline(*, user: Actor, crisis: Crisis) -> list[TimelineEntry]:
    """Every record linked to the dossier that ``user`` may read, with its status changes,
    in date order: one query per kind of record, whatever the dossier's length."""
    entries: list[TimelineEntry] = []
    for item in agenda_item_list(user=user).filter(crises=crisis):
        entries.append(
            TimelineEntry(
                at=item.session.starts_at,
                kind="item",
                title=parallel.served_title(item, AGENDA_ITEM_PARALLEL),
                detail=_("Item %(order)s") % {"order": item.order},
                session_number=item.session.number,
                url=f"{item.session.get_absolute_url()}#item-{item.order}",
                record=item,
            )
        )
    for document in document_list(user=user).filter(crises=crisis).select_related("session"):
        entries.append(
            TimelineEntry(
                at=document.created_at,
                kind="paper",
                title=parallel.served_title(document, DOCUMENT_PARALLEL),
                detail=document.symbol,
                session_number=document.session.number,
                url=reverse("agenda:document_detail", kwargs={"public_id": document.public_id}),
                record=document,
            )
        )
    for statement in statement_list(user).filter(crises=crisis):
        entries.append(
            TimelineEntry(
                at=statement.minutes.session.starts_at,
                kind="statement",
                title=statement.summary,
                detail=str(statement.display_party_name),  # type: ignore[attr-defined]
                session_number=statement.minutes.session.number,
                url=statement.minutes.get_absolute_url(),
                record=statement,
            )
        )
    for point in action_point_list(user).filter(crises=crisis):
        entries.append(
            TimelineEntry(
                at=point.created_at,
                kind="action_point",
                title=point.description,
                detail=_("Due %(due)s · %(status)s")
                % {
                    "due": date_format(point.due_date, "j M Y"),
                    "status": point.get_status_display(),
                },
                session_number=point.minutes.session.number,
                url=point.minutes.get_absolute_url(),
                record=point,
            )
        )
    for communique in communique_list(user).filter(crises=crisis):
        entries.append(
            TimelineEntry(
                at=communique.published_at or communique.created_at,
                kind="communique",
                title=parallel.served_title(communique, COMMUNIQUE_PARALLEL),
                detail=communique.get_status_display(),
                session_number=communique.session.number,
                url=communique.get_absolute_url(),
                record=communique,
            )
        )
    for alert in alert_list(user=user, crisis=crisis):
        entries.append(
            TimelineEntry(
                at=alert.raised_at,
                kind="alert",
                title=_("%(urgency)s alert from %(party)s")
                % {"urgency": alert.get_urgency_display(), "party": alert.party.display_name},
                detail=alert.text,
                session_number="",
                url=alert.get_absolute_url(),
                record=alert,
            )
        )
    for transition in crisis_transition_list(crisis=crisis):
        entries.append(
            TimelineEntry(
                at=transition.on,
                kind="status",
                title=_("Status: %(status)s") % {"status": transition.get_to_status_display()},
                detail=transition.display_reason,
                session_number="",
                url="",
                record=transition,
            )
        )
    entries.sort(key=lambda entry: (_day(entry.at), entry.kind == "status"))
    return entries
