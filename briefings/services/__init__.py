"""Writes of the briefings app: scheduling, planning, rendering, stamping and reading packs.

The pipeline for a session: ``schedule.pack_rebuild_schedule`` asks for a
(debounced) build; ``planning.packs_plan`` groups the session's delegates by
audience and makes (idempotently, under unique constraints) one
``PackRender`` per audience and one ``Pack`` per delegate; each render is
produced by ``renders.pack_render_deliver`` in a limited child process
(``pdf_compose``) and then stamped into every delegate's copy by
``copies.pack_copies_stamp`` (``pdf_stamp``). Every task takes ids, is
enqueued after commit, and may run twice: a second run finds the rows it
would create, or the copies already stamped, and changes nothing. Work whose
worker died is re-queued by ``recovery`` once its lease (``leases``) lapses.
Import from the submodule that defines a name.
"""
