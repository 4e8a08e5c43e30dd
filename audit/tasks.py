from celery import shared_task

from audit.services import audit_prune


@shared_task
def audit_prune_task() -> int:
    return audit_prune()
