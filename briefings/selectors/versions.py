"""When a session's packs must be rebuilt: the *content version* and the delivery fingerprint.

The content version changes whenever anything shown in any audience's pack
changes, so packs are rebuilt then and only then.
"""

from __future__ import annotations

from django.db.models import Count, Max
from django.utils import timezone

from agenda.models import Agenda, AgendaItem, AgendaItemGrant, Document, Session, SessionGrant
from agenda.models.agendas import AGENDA_ITEM_PARALLEL
from briefings.selectors.audiences import content_digest
from briefings.selectors.recipients import recipient_list
from consult import access
from consult.parallel import translation_columns
from consult.quarters import Quarter
from crises.models import (
    Adherence,
    AfterActionReport,
    AssessmentRound,
    Crisis,
    Incident,
    IncidentResponse,
    Norm,
    OffRamp,
    Score,
    Stance,
    Threat,
)
from members.models import ChairTerm, RotationTerm
from minutes.models import ActionPoint, Communique, Statement
from minutes.models.communiques import COMMUNIQUE_PARALLEL
from minutes.selectors.communiques import previous_communique

# Bumped when the template or the stamp changes what a pack looks like.
LAYOUT_VERSION = "1"


def pack_content_version(*, session: Session) -> str:
    """A hash of everything any audience's pack shows; cheap aggregate queries only."""
    quarter = Quarter.parse(session.quarter)
    agenda = Agenda.objects.filter(session=session).values("pk", "status", "revision").first()
    items = list(
        AgendaItem.objects.filter(session=session)
        .order_by("pk")
        .values_list(
            "pk", "order", "title", "kind", "description", "distribution", "chatham_house",
            "proposer_id", "carried_from_id", "is_open", "starts_at", "duration_minutes",
            # Each language's pack shows its translation and the translation's state.
            "language", *translation_columns(AGENDA_ITEM_PARALLEL),
        )
    )  # fmt: skip
    documents = list(
        Document.objects.filter(session=session)
        .order_by("pk")
        .values_list("pk", "current_version", "updated_at", "distribution", "item_id", "owner_id")
    )
    points = ActionPoint.objects.filter(
        status=ActionPoint.Status.OPEN, minutes__session__starts_at__lt=session.starts_at
    ).aggregate(count=Count("pk"), latest=Max("updated_at"), last=Max("pk"))
    carried = [row[8] for row in items if row[8]]
    statements = Statement.objects.filter(item_id__in=carried).aggregate(
        count=Count("pk"), latest=Max("updated_at")
    )
    communique = previous_communique(session)
    # The threat picture: released rounds up to the session (their scores are frozen), the
    # threats' titles, and the session's own scores while still sealed (each delegation's
    # own pack shows them).
    threats = {
        "released": AssessmentRound.objects.filter(
            assessment__session__starts_at__lte=session.starts_at, released_at__isnull=False
        ).aggregate(count=Count("pk"), latest=Max("released_at"), last=Max("pk")),
        "threats": Threat.objects.aggregate(count=Count("pk"), latest=Max("updated_at")),
        "sealed": Score.objects.filter(
            round__assessment__session=session, round__released_at__isnull=True
        ).aggregate(count=Count("pk"), latest=Max("updated_at"), last=Max("pk")),
    }
    # The off-ramps of the crises on the agenda (under their crisis's title, in each
    # reader's language), their stances, and the norms with their adherence, incidents and
    # responses: a new row, an edit or a translation changes a count or a time.
    registers = {
        "crises": Crisis.objects.aggregate(count=Count("pk"), latest=Max("updated_at")),
        "links": Crisis.items.through.objects.filter(agendaitem__session=session).aggregate(
            count=Count("pk"), last=Max("pk")
        ),
        "off_ramps": OffRamp.objects.aggregate(count=Count("pk"), latest=Max("updated_at")),
        "stances": Stance.objects.aggregate(count=Count("pk"), last=Max("pk")),
        "norms": Norm.objects.aggregate(count=Count("pk"), latest=Max("updated_at")),
        "adherence": Adherence.objects.aggregate(count=Count("pk"), last=Max("pk")),
        "incidents": Incident.objects.aggregate(count=Count("pk"), last=Max("pk")),
        "responses": IncidentResponse.objects.aggregate(count=Count("pk"), last=Max("pk")),
        # The published after-action reports, in each reader's language: an edit, a
        # translation written or confirmed, or one outdated by an edit, changes a time.
        "reports": AfterActionReport.objects.filter(published_at__isnull=False).aggregate(
            count=Count("pk"), latest=Max("updated_at")
        ),
    }
    table = {
        "terms": list(
            RotationTerm.objects.filter(quarter=str(quarter))
            .order_by("seat_id", "position")
            .values_list("seat_id", "position", "holder_id")
        ),
        "chairs": list(
            ChairTerm.objects.filter(quarter__in=[str(quarter + step) for step in (-1, 0, 1)])
            .order_by("quarter")
            .values_list("quarter", "seat_id")
        ),
    }
    return content_digest(
        {
            "layout": LAYOUT_VERSION,
            "session": [
                session.number, session.title, session.kind, session.starts_at, session.ends_at,
                session.venue, session.venue_timezone, session.distribution,
            ],
            "agenda": agenda,
            "items": items,
            "documents": documents,
            "points": points,
            "statements": statements,
            "communique": _communique_version(communique) if communique else None,
            "table": table,
            "threats": threats,
            "registers": registers,
        }
    )  # fmt: skip


def _communique_version(communique: Communique) -> list[object]:
    """The previous communiqué as each language's pack shows it: its translations and their
    states (written, confirmed or outdated), besides the time of its last change. Columns of
    the row already loaded: no query."""
    return [
        communique.pk,
        communique.updated_at,
        communique.language,
        *(getattr(communique, name) for name in translation_columns(COMMUNIQUE_PARALLEL)),
    ]


def pack_delivery_fingerprint(*, session: Session) -> str:
    """Content and who receives it: a change of either calls for a (cheap) rebuild."""
    at = timezone.now()
    # A delegate who changes language gets a copy in the new one.
    recipients = [
        (r.user.pk, r.party.pk, r.language) for r in recipient_list(session=session, at=at)
    ]
    live = access.live_grant_q(at=at)
    grants = list(
        SessionGrant.objects.filter(live, content_object=session)
        .order_by("pk")
        .values_list("pk", "group_id", "permission_id")
    ) + list(
        AgendaItemGrant.objects.filter(live, content_object__session=session)
        .order_by("pk")
        .values_list("pk", "group_id", "content_object_id")
    )
    return content_digest([pack_content_version(session=session), recipients, grants])
