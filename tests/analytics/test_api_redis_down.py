"""With REDIS_URL set and Redis down, reads keep answering and writes keep their work."""

import logging
import socket
from collections.abc import Iterator
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from consult import healthcheck
from notices.models import Notification
from notices.services.notifications import notifications_create, notifications_deliver_pending
from tests.factories import PASSWORD, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_redis_url() -> str:
    """A Redis URL on a loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


@pytest.fixture
def redis_down(closed_redis_url: str) -> Iterator[str]:
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": closed_redis_url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    with override_settings(REDIS_URL=closed_redis_url, CACHES=caches):
        yield closed_redis_url


def test_token_reads_answer_and_quotas_count_in_process(
    redis_down, analyst, token_client, caplog, settings
):
    """Token calls read as usual, say why in the log, and the burst quota still holds."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "token_burst": "3/minute",
        },
    }
    client, _, _ = token_client(analyst)
    with caplog.at_level(logging.WARNING, logger="analytics.throttling"):
        statuses = [client.get("/api/v1/sessions/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "Redis unreachable" in caplog.text


def test_a_password_still_buys_a_token(redis_down):
    """The sign-in quota counts in-process too: the token endpoint answers 200."""
    user = UserFactory()
    response = Client().post(
        "/api/v1/auth/token/",
        {"username": user.username, "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content


def test_pages_read_as_usual(redis_down, secretary):
    """Signed-in pages do not depend on Redis."""
    client = Client()
    client.force_login(secretary)
    assert client.get("/").status_code == 200
    assert client.get("/sessions/").status_code == 200


def test_notices_made_while_the_broker_is_down_are_delivered_by_the_sweep(
    django_capture_on_commit_callbacks, caplog
):
    """The write commits; the task not sent is logged, and the hourly sweep delivers the notice
    once its grace period passed."""
    session = SessionFactory()
    user = UserFactory()
    down = BrokerError("Error 111 connecting to 127.0.0.1. Connection refused.")
    with (
        mock.patch("notices.tasks.notifications_deliver_task.delay", side_effect=down),
        caplog.at_level(logging.WARNING, logger="consult.queue"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notifications_create(session=session, users=[user], key="change-1", subject="S", body="B")
    assert "Notification delivery not sent, the broker is unreachable" in caplog.text
    notice = Notification.objects.get()
    assert notice.delivered_at is None

    assert notifications_deliver_pending(now=timezone.now()) == 0
    assert notifications_deliver_pending(now=timezone.now() + timedelta(minutes=11)) == 1
    assert [message.to for message in mail.outbox] == [[user.email]]
    notice.refresh_from_db()
    assert notice.delivered_at is not None


def test_the_health_check_says_redis_is_down(redis_down, capsys):
    """The services check fails and names Redis, not the database."""
    assert not healthcheck.services()
    printed = capsys.readouterr().out
    assert "redis: down" in printed
    assert "database" not in printed
