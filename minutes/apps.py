from django.apps import AppConfig


class MinutesConfig(AppConfig):
    name = "minutes"
