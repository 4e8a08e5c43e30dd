from django.apps import AppConfig


class AgendaConfig(AppConfig):
    name = "agenda"
