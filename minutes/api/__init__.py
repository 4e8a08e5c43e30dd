"""The record's API: ``serializers``, ``filters`` (shared with the pages' selectors) and
``views`` (the viewsets ``consult/api.py`` registers)."""
