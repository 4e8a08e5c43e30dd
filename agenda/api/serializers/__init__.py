"""Serializers of the agenda API, one module per resource; nested summaries in ``summaries``."""
