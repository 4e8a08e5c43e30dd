"""Celery tasks of the members app: thin and idempotent."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from consult.quarters import Quarter
from members.services.terms import chair_plan, rotation_plan

PLANNING_HORIZON = 8


@shared_task(
    name="members.tasks.rotation_plan_ahead_task",
    autoretry_for=(OperationalError,),
    retry_backoff=30,
    max_retries=5,
)
def rotation_plan_ahead_task() -> int:
    """Keep the rotation and the chair planned for the next eight quarters.

    Re-planning confirms what is stored, so running it again changes nothing
    unless memberships or arrangements changed; swaps are kept.
    """
    start = Quarter.current()
    terms = rotation_plan(start=start, count=PLANNING_HORIZON)
    chair_plan(start=start, count=PLANNING_HORIZON)
    return len(terms)
