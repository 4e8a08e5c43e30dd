"""Celery tasks of the analysts' API: thin, idempotent, retried on transient failures."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from analytics.services.search_index import search_index_refresh


@shared_task(
    name="analytics.tasks.search_index_refresh_task",
    autoretry_for=(OperationalError,),
    retry_backoff=10,
    max_retries=3,
)
def search_index_refresh_task(full: bool = False) -> dict[str, int]:
    return search_index_refresh(full=full)
