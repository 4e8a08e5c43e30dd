"""docker-compose.yml does what the README's Production section says.

Rendered with ``docker-compose config`` (the Debian package, which
bin/with-services installs); skipped only where docker-compose is absent.
"""

import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DJANGO_SERVICES = ["migrate", "web", "worker", "beat"]
# Wired to the file's own postgres and redis services, not taken from .env.
WIRED = {
    "DATABASE_URL": "postgres://consult:consult@postgres:5432/consult",
    "REDIS_URL": "redis://redis:6379/0",
}

pytestmark = pytest.mark.skipif(
    shutil.which("docker-compose") is None,
    reason="docker-compose is not installed (bin/with-services installs it as root)",
)


def documented_variables() -> list[str]:
    """The variables of the README's table, in its first column."""
    production = (ROOT / "README.md").read_text().split("## Production", 1)[1]
    names = []
    for line in production.splitlines():
        if line.startswith("| `"):
            names += re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split("|")[1])
    return names


def compose_config(tmp_path: Path, variables: dict[str, str]) -> dict[str, Any]:
    """The compose file as docker-compose renders it with ``variables`` in .env."""
    env_file = tmp_path / ".env"
    env_file.write_text("".join(f"{name}={value}\n" for name, value in variables.items()))
    # Only .env speaks: none of the documented variables from this environment.
    documented = set(documented_variables())
    env = {key: value for key, value in os.environ.items() if key not in documented}
    result = subprocess.run(
        ["docker-compose", "--env-file", str(env_file), "-f", str(ROOT / "docker-compose.yml"),
         "config"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return dict(yaml.safe_load(result.stdout)["services"])


def test_every_documented_variable_set_in_env_reaches_each_process(tmp_path: Path) -> None:
    """A variable of the README's table set in .env is in web's, worker's, beat's environment."""
    names = documented_variables()
    assert {"SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "CELERY_TASK_TIME_LIMIT"} <= set(names)
    values = {name: f"from-env-{name.lower()}" for name in names}

    services = compose_config(tmp_path, values)

    for service in DJANGO_SERVICES:
        environment = services[service]["environment"]
        for name in names:
            expected = WIRED.get(name, values[name])
            assert environment.get(name) == expected, f"{name} in {service}"
    assert "--concurrency=from-env-worker_concurrency" in services["worker"]["command"]


def test_unset_variables_fall_back_to_the_settings_defaults(tmp_path: Path) -> None:
    """Unset, a variable whose default the settings derive is not passed at all."""
    services = compose_config(tmp_path, {"SECRET_KEY": "set"})

    environment = services["worker"]["environment"]
    assert environment["CELERY_VISIBILITY_TIMEOUT"] is None
    assert environment["SESSION_COOKIE_SECURE"] == "true"
    assert environment["EMAIL_URL"] == "consolemail://"


def test_migrate_stops_with_the_reason_when_email_url_is_left_at_its_default(
    tmp_path: Path,
) -> None:
    """The migrate service's own command, run with its environment: mail.E001, explained."""
    services = compose_config(
        tmp_path,
        {
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "consult.example.org",
            "CSRF_TRUSTED_ORIGINS": "https://consult.example.org",
        },
    )
    migrate = services["migrate"]
    environment = {
        key: str(value) for key, value in migrate["environment"].items() if value is not None
    }
    # The image's PATH puts its virtualenv first; so does this.
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"

    result = subprocess.run(
        migrate["command"],
        cwd=ROOT, env={**environment, "PATH": path}, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip

    assert result.returncode == 1, result.stdout + result.stderr
    assert "mail.E001" in result.stderr
    assert "mail.E001 means EMAIL_URL is unset" in result.stderr
    assert "Operations to perform" not in result.stdout  # stopped before migrating


def test_no_production_service_seeds_the_demo_accounts(tmp_path: Path) -> None:
    """seed_demo, whose accounts share a documented password, is in no service's command."""
    services = compose_config(tmp_path, {"SECRET_KEY": "set"})

    for name, service in services.items():
        assert "seed_demo" not in " ".join(service.get("command") or []), name
        assert "seed_demo" not in " ".join(service.get("entrypoint") or []), name
