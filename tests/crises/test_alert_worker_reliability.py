"""An alert reaches every head of delegation and the secretariat exactly once, even with
the worker killed (SIGKILL) in the middle of its e-mails.

A real ``celery worker`` and ``celery beat`` (the production schedule, whose minute's sweep
picks up what a dead worker left) run against the test PostgreSQL and the suite's Redis, on
a queue of this test's own. Their e-mail goes to a folder, one file per message
(tests/mail_spool.py); the first worker's mail server stops answering after two messages,
and the worker is killed there: two notices sent and recorded, the third in flight.
"""

from __future__ import annotations

import email
import os
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from consult.celery import app as celery_app
from crises.models import Alert, AlertDelivery
from crises.services.alerts import alert_raise
from notices.models import Notification
from tests.briefings.test_tasks_reliability import Workers, _wait_for
from tests.crises.conftest import CrisisWorld, build_crisis_world
from tests.mail_spool import HELD, spooled

pytestmark = pytest.mark.integration

RECIPIENTS = {"us", "ru", "nato", "eu", "fr", "sec"}
HOLD_AFTER = 2
# Beat's sweep runs each minute and takes deliveries older than DELIVERY_GRACE (20 s).
FINISHED_WITHIN_SECONDS = 150


class AlertWorkers(Workers):
    """Workers and beat on this test's queue, with e-mail spooled to ``mail_dir``."""

    def __init__(self, tmp_path: Path, media_root: Path, config: pytest.Config) -> None:
        super().__init__(tmp_path, media_root, config)
        self.queue = f"alerts-{uuid.uuid4().hex[:12]}"
        self.mail_dir = tmp_path / "mail"
        self.mail_dir.mkdir()
        self.hold_after: int | None = None

    def _env(self, redis_url: str) -> dict[str, str]:
        env = {
            **super()._env(redis_url),
            "DJANGO_SETTINGS_MODULE": "tests.settings_spool_mail",
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "SPOOL_MAIL_DIR": str(self.mail_dir),
        }
        env.pop("SPOOL_MAIL_HOLD_AFTER", None)
        if self.hold_after is not None:
            env["SPOOL_MAIL_HOLD_AFTER"] = str(self.hold_after)
        return env


@pytest.fixture
def alert_workers(
    transactional_db: None, tmp_path: Path, media_root: Path, pytestconfig: pytest.Config
) -> Iterator[AlertWorkers]:
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.fail("This test needs the Redis of bin/with-services: run it with bin/test.")
    started = AlertWorkers(tmp_path, media_root, pytestconfig)
    conf = celery_app.conf
    previous = conf.task_always_eager, conf.task_default_queue
    # Tasks sent by the test go through Redis to this test's queue (not run in-process).
    conf.task_always_eager = False
    conf.task_default_queue = started.queue
    yield started
    started.stop_all()
    conf.task_always_eager, conf.task_default_queue = previous


def _messages(directory: Path) -> list[email.message.Message]:
    return [email.message_from_bytes(path.read_bytes()) for path in spooled(directory)]


def _all_sent(cw: CrisisWorld, directory: Path) -> bool:
    return (
        len(spooled(directory)) >= len(RECIPIENTS)
        and not Notification.objects.filter(
            key__startswith="alert-", delivered_at__isnull=True
        ).exists()
    )


def test_a_worker_killed_mid_delivery_still_alerts_everyone_once(
    alert_workers: AlertWorkers,
) -> None:
    cw = build_crisis_world()
    redis_url = os.environ["REDIS_URL"]
    alert_workers.start_beat(redis_url)
    alert_workers.hold_after = HOLD_AFTER
    first = alert_workers.start(redis_url)

    alert = alert_raise(
        user=cw.user("us"),
        text="A collision at sea near Gotland; we request consultations.",
        crisis=cw.crisis,
        urgency=Alert.Urgency.FLASH,
    )
    _wait_for(
        lambda: (alert_workers.mail_dir / HELD).exists(),
        timeout=120,
        what="the worker to be mid-way through the alert's e-mails",
        log=alert_workers.log,
    )
    alert_workers.kill(first)

    # Killed mid-way: the deliveries are recorded, two e-mails left and are recorded, and
    # the third was in flight; nobody has had theirs twice.
    assert AlertDelivery.objects.filter(alert=alert, delivered_at__isnull=False).count() == 6
    notices = Notification.objects.filter(key=f"alert-{alert.public_id}")
    assert notices.count() == len(RECIPIENTS)
    assert notices.filter(delivered_at__isnull=False).count() == HOLD_AFTER
    assert len(spooled(alert_workers.mail_dir)) == HOLD_AFTER

    alert_workers.hold_after = None
    alert_workers.start(redis_url)
    _wait_for(
        lambda: _all_sent(cw, alert_workers.mail_dir),
        timeout=FINISHED_WITHIN_SECONDS,
        what="every alert e-mail to leave after the restart",
        log=alert_workers.log,
    )
    # Another minute's sweep: anything sent twice would show now.
    sweeps = alert_workers.log.read_text().count("crises.tasks.alerts_sweep_task")
    _wait_for(
        lambda: alert_workers.log.read_text().count("crises.tasks.alerts_sweep_task") > sweeps,
        timeout=90,
        what="one more sweep",
        log=alert_workers.log,
    )

    deliveries = AlertDelivery.objects.filter(alert=alert)
    assert set(deliveries.values_list("user__username", flat=True)) == RECIPIENTS
    assert not deliveries.filter(delivered_at__isnull=True).exists()
    assert notices.filter(delivered_at__isnull=False).count() == len(RECIPIENTS)
    messages = _messages(alert_workers.mail_dir)
    to = Counter(message["To"] for message in messages)
    assert to == Counter({cw.user(name).email: 1 for name in RECIPIENTS})
    assert all("Gotland" in message.get_payload() for message in messages)
    assert len({message["Message-ID"] for message in messages}) == len(RECIPIENTS)
