from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = "Analysts' API"

    def ready(self) -> None:
        # Registers the token authentication's OpenAPI security scheme.
        from analytics import schema  # noqa: F401
