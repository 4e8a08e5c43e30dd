"""The platform's settings with e-mail written to a folder (tests.mail_spool), for tests
that run a real Celery worker and count the messages it sends."""

from consult.settings import *  # noqa: F403

MAILERS = {"default": {"BACKEND": "tests.mail_spool.SpoolBackend", "OPTIONS": {}}}
