"""Reads of crisis alerts.

Who reads an alert: its recipients (a delivery row names them: the heads of the seat-holders'
delegations and the secretariat when it was raised) and the current members of the raising
party's delegation; the secretariat reads every alert. This is a filter on the delivery rows
rather than a distribution (an alert is addressed to people, see crises/models/alerts.py);
a refused read answers 404 like a missing alert. Who has acknowledged is the secretariat's to
see (and each recipient sees their own).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from consult.access import active_party_ids, is_secretariat
from consult.actors import Actor
from crises.models import Alert, AlertDelivery
from members.selectors.parties import party_headed_list


def _crisis_readable(user: Actor, path: str) -> Exists:
    """An alert reaches every head of a seat-holder, the crisis's dossier perhaps not."""
    # Imported here: the dossier's timeline (crises.selectors.crises) lists alerts.
    from crises.selectors.crises import crisis_readable

    return crisis_readable(user, path)


def _readable(user: Actor) -> Q:
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if is_secretariat(user):
        return Q()
    addressed = Exists(AlertDelivery.objects.filter(alert=OuterRef("pk"), user_id=user.pk))
    return Q(addressed) | Q(party_id__in=active_party_ids(user))


def alert_list(*, user: Actor, crisis: Any = None) -> QuerySet[Alert]:
    """The alerts ``user`` reads, newest first, each with the caller's own delivery
    (``my_delivery``, ``my_acknowledged_at``) and the counts of recipients and
    acknowledgements: a constant number of queries whatever the rows."""
    own = AlertDelivery.objects.filter(alert=OuterRef("pk"), user_id=user.pk or 0)
    alerts = (
        Alert.objects.filter(_readable(user))
        .select_related("party", "crisis", "raised_by", "extraordinary_request")
        .annotate(
            my_delivery=Subquery(own.values("pk")[:1]),
            my_acknowledged_at=Subquery(own.values("acknowledged_at")[:1]),
            crisis_readable=_crisis_readable(user, "crisis_id"),
            recipient_count=Count("deliveries", distinct=True),
            acknowledged_count=Count(
                "deliveries", filter=Q(deliveries__acknowledged_at__isnull=False), distinct=True
            ),
        )
    )
    if crisis is not None:
        alerts = alerts.filter(crisis=crisis)
    return alerts.order_by("-raised_at", "-pk")


def alert_get(*, user: Actor, public_id: UUID | str) -> Alert:
    alert = alert_list(user=user).filter(public_id=public_id).first()
    if alert is None:
        raise Http404("Not found.")
    return alert


def alert_delivery_list(*, user: Actor, alert: Alert) -> QuerySet[AlertDelivery]:
    """Who received an alert and who has acknowledged it: the secretariat sees every
    recipient, anyone else only their own row."""
    deliveries = AlertDelivery.objects.filter(alert=alert).select_related("user", "party")
    if not is_secretariat(user):
        deliveries = deliveries.filter(user_id=user.pk or 0)
    return deliveries.order_by("acknowledged_at", "party__code", "user__username")


def alert_unacknowledged_list(*, user: Actor, after: int = 0) -> list[AlertDelivery]:
    """The banner: ``user``'s alerts not yet acknowledged, newest first; with ``after``, only
    the deliveries made since that one (the live channel's news). Every page reads it, so
    its one query is a plain one; only when an alert names a crisis does a second ask
    which of those crises ``user`` reads (``crisis_readable`` on each delivery)."""
    if not user.is_authenticated:
        return []
    deliveries = list(
        AlertDelivery.objects.filter(user_id=user.pk, acknowledged_at__isnull=True, pk__gt=after)
        .select_related("alert__party", "alert__crisis")
        .order_by("-alert__raised_at")
    )
    crisis_ids = {
        delivery.alert.crisis_id for delivery in deliveries if delivery.alert.crisis_id is not None
    }
    readable: set[int] = set()
    if crisis_ids:
        # Imported here: the dossier's timeline (crises.selectors.crises) lists alerts.
        from crises.selectors.crises import crisis_list

        readable = set(
            crisis_list(user=user).filter(pk__in=crisis_ids).values_list("pk", flat=True)
        )
    for delivery in deliveries:
        delivery.crisis_readable = delivery.alert.crisis_id in readable  # type: ignore[attr-defined]
    return deliveries


def alert_live_served(*, user: Actor) -> bool:
    """Whether the alerts' live channel has anything for ``user``: alerts are addressed only
    to the secretariat and to heads of delegation, so anyone else is told to come back
    much later (the channel's reads are ``alert_unacknowledged_list``, the user's own)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return is_secretariat(user) or party_headed_list(user=user).exists()
