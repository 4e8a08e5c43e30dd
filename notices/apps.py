from django.apps import AppConfig


class NoticesConfig(AppConfig):
    """How the platform tells each person things: their notices and how they read times."""

    name = "notices"
