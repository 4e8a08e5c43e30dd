"""DRF serializers and viewsets of the agenda app, registered in ``consult.api``."""
