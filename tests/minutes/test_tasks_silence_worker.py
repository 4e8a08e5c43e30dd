"""The silence procedure on a real Celery worker: the task waits for the deadline."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from minutes.models import Communique
from minutes.services import communiques as communiques_services

pytestmark = pytest.mark.integration


def test_worker_concludes_the_silence_procedure_at_its_deadline(live_celery_worker, world):
    """Circulated under silence, the text stays circulated until the deadline, then is agreed."""
    communique = communiques_services.communique_draft(
        session=world.session, user=world.user("sec"), title="Silent text", text="<p>x</p>"
    )
    deadline = timezone.now() + timedelta(seconds=4)
    communiques_services.communique_circulate(
        communique=communique, user=world.user("sec"), deadline=deadline, silence_procedure=True
    )
    assert Communique.objects.get(pk=communique.pk).status == Communique.Status.CIRCULATED
    give_up = time.monotonic() + 60
    while time.monotonic() < give_up:
        concluded = Communique.objects.get(pk=communique.pk)
        if concluded.status == Communique.Status.PUBLISHED:
            break
        time.sleep(0.5)
    assert concluded.status == Communique.Status.PUBLISHED
    assert concluded.silence_outcome == Communique.SilenceOutcome.AGREED
    assert concluded.published_at is not None
    assert concluded.published_at >= deadline
