"""``python manage.py demo_code``: the demo accounts' current one-time code."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from consult.mfa import totp_current_code


class Command(BaseCommand):
    help = "Print the current one-time code of the demo accounts' second factor (DEMO_TOTP_SECRET)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(totp_current_code(settings.DEMO_TOTP_SECRET))
