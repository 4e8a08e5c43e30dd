"""Where tasks go: Redis in production, bin/run's serverless broker, in-process otherwise."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
READ = (
    "import json; from django.conf import settings as s; print(json.dumps({"
    "'broker': s.CELERY_BROKER_URL, 'eager': s.CELERY_TASK_ALWAYS_EAGER,"
    "'options': s.CELERY_BROKER_TRANSPORT_OPTIONS}))"
)


def celery_settings(tmp_path: Path, **environ: str) -> dict:
    """The Celery settings a fresh process reads from ``environ`` (settings are read once)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DATABASE_URL"} and not key.startswith("CELERY_")
    }
    env |= {"DJANGO_SETTINGS_MODULE": "consult.settings", "CONSULT_DATA_DIR": str(tmp_path)}
    completed = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {READ}"],
        cwd=ROOT,
        env=env | environ,
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(completed.stdout.strip().splitlines()[-1]))


def test_the_run_command_broker_needs_no_server_and_tasks_leave_the_web_process(tmp_path):
    """bin/run's CELERY_BROKER_URL: files under the data folder, and nothing runs in-process."""
    found = celery_settings(tmp_path, CELERY_BROKER_URL="filesystem://")
    assert found["broker"] == "filesystem://"
    assert found["eager"] is False
    folders = {found["options"][name] for name in ("data_folder_in", "data_folder_out")}
    assert folders == {str(tmp_path / "broker" / "messages")}
    assert found["options"]["control_folder"] == str(tmp_path / "broker" / "control")


@pytest.mark.parametrize(
    ("environ", "broker", "eager"),
    [
        ({"REDIS_URL": "redis://redis:6379/0"}, "redis://redis:6379/0", False),
        ({}, "memory://", True),
    ],
    ids=["production on Redis", "no broker: in-process"],
)
def test_without_the_run_command_tasks_run_as_before(tmp_path, environ, broker, eager):
    """Production keeps Redis; with no broker at all, tasks still run in-process."""
    found = celery_settings(tmp_path, **environ)
    assert (found["broker"], found["eager"]) == (broker, eager)
    assert "data_folder_in" not in found["options"]
