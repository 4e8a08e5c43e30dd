"""Background work of the record: concluding silence procedures at their deadline.

Each circulation under the silence procedure enqueues one task for its
deadline; a periodic sweep catches any whose task was lost (a worker restart,
a broker flush). Concluding is idempotent, so both may run.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from minutes.models import Communique
from minutes.services.communiques import communique_silence_conclude

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def communique_silence_deadline_task(communique_id: int, version_id: int | None = None) -> str:
    communique = communique_silence_conclude(communique_id=communique_id, version_id=version_id)
    return communique.silence_outcome if communique is not None else "unchanged"


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def communique_silence_sweep_task() -> int:
    """Conclude every silence procedure whose deadline has passed; returns how many."""
    due = Communique.objects.filter(
        status=Communique.Status.CIRCULATED,
        silence_procedure=True,
        silence_outcome=Communique.SilenceOutcome.NONE,
        deadline__lte=timezone.now(),
    ).values_list("pk", flat=True)
    concluded = 0
    for communique_id in list(due):
        if communique_silence_conclude(communique_id=communique_id) is not None:
            concluded += 1
    return concluded


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def communique_sign_task(version_id: int) -> str:
    """Sign a published version (PDF and canonical JSON); slow, so never in the request."""
    from consult.errors import ApplicationError
    from minutes.services.signing import communique_sign

    try:
        signature = communique_sign(version_id=version_id)
    except ApplicationError as error:
        logger.warning("Communiqué version %s not signed: %s", version_id, error)
        return "unsigned"
    return "signed" if signature is not None else "not published"


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def communiques_sign_pending_task() -> int:
    """Each publication queues its own signing; this signs what a lost task left."""
    from minutes.services.signing import communiques_sign_pending

    return communiques_sign_pending()
