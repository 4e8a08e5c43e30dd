"""`manage.py check --deploy` with the production environment."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def deploy_check(**variables: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("DJANGO_", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "SECURE_", "SESSION_", "CSRF_")
        )
    }
    env |= {
        "DEBUG": "false",
        "ALLOWED_HOSTS": "consult.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://consult.example.org",
        "DATABASE_URL": "postgres://consult:secret@db.internal:5432/consult",
        "REDIS_URL": "redis://redis.internal:6379/0",
        "EMAIL_URL": "smtp+tls://consult:secret@smtp.internal:587",
        **variables,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deploy_check() -> None:
    """With the production variables set, the deploy check reports nothing."""
    result = deploy_check(SECRET_KEY=secrets.token_urlsafe(64))

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_embedded_secret_key_fails_the_deploy_check() -> None:
    """Production without its own SECRET_KEY is refused (the embedded key is insecure)."""
    result = deploy_check()

    assert result.returncode != 0
    assert "security.W009" in result.stderr
