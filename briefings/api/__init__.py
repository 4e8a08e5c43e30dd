"""``/api/v1/packs/``: the caller's own briefing-pack copies, their state and the PDF itself.

``serializers`` (a copy), ``filters`` (the list's filters) and ``views`` (the
viewset, on ``consult.api_base.ReadOnlyApiViewSet``). Import from the
submodule that defines a name.
"""
