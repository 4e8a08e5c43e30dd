"""Fixtures shared by the agenda tests."""

import pytest

from consult.celery import app as celery_app


@pytest.fixture(autouse=True)
def _plain_http(settings):
    # Production redirects HTTP to HTTPS; the test client speaks plain HTTP.
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def _eager_celery():
    # Tasks enqueued after commit (notice delivery) run in-process.
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous
