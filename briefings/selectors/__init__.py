"""Reads of the briefings app; every one goes through the access rule first.

``audiences`` (what a reader may read of a session's pack), ``recipients``
(who receives it), ``versions`` (when it must be rebuilt), ``content`` (the
pack's material, loaded for the renderer and the browser reader), ``packs``
(a reader's own copies), ``receipts`` (the secretariat's read receipts and
progress) and ``actions*`` (the dashboard's action centre). Import from the
submodule that defines a name.
"""
