"""The record's list pages read through these: each list selector narrowed by the
FilterSet the API applies to it (``minutes.filters``), bound to the page's query."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from consult import access
from consult.actors import Actor
from minutes.filters import ActionPointFilter, CommuniqueFilter, MinutesFilter, StatementFilter
from minutes.models import Communique
from minutes.selectors.communiques import communique_list, published_communique_list
from minutes.selectors.record import action_point_list, minutes_list, statement_list


def minutes_filter(user: Actor, *, params: Mapping[str, Any]) -> MinutesFilter:
    """Minutes ``user`` may read, latest session first, filtered as the API does."""
    return MinutesFilter(params, queryset=minutes_list(user).order_by("-session__starts_at", "pk"))


def statement_filter_set(user: Actor, *, params: Mapping[str, Any]) -> StatementFilter:
    """Statements ``user`` may read, latest session first, filtered as the API does
    (the Chatham House rule included)."""
    return StatementFilter(params, queryset=statement_list(user), user=user)


def action_point_filter(user: Actor, *, params: Mapping[str, Any]) -> ActionPointFilter:
    """Action points: all of them for the secretariat, a delegation's own for delegates;
    by due date, filtered as the API does."""
    owners = None if access.is_secretariat(user) else access.active_party_ids(user)
    points = action_point_list(user, owners=owners).order_by("due_date", "created_at", "pk")
    return ActionPointFilter(params, queryset=points)


def published_communique_filter(params: Mapping[str, Any]) -> CommuniqueFilter:
    """The published texts, whoever asks, latest first, filtered as the API does."""
    published = published_communique_list().order_by("-published_at", "-created_at", "pk")
    return CommuniqueFilter(params, queryset=published)


def draft_communique_list(user: Actor) -> QuerySet[Communique]:
    """The texts being drafted that ``user`` follows (none for an anonymous reader)."""
    return communique_list(user).exclude(status=Communique.Status.PUBLISHED)
