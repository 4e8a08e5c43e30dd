"""Writes of the record: minutes (``record``, ``review``), ``action_points``, ``communiques``."""

from minutes.services.action_points import action_point_create, action_point_update_status
from minutes.services.communiques import (
    communique_circulate,
    communique_draft,
    communique_publish,
    communique_silence_conclude,
    communique_version_add,
)
from minutes.services.positions import position_state, silence_break
from minutes.services.record import (
    attendance_record,
    attendance_record_all,
    interpretative_statement_attach,
    minutes_create,
    statement_record,
)
from minutes.services.review import (
    amendment_decide,
    amendment_propose,
    minutes_approve,
    minutes_circulate,
)

__all__ = [
    "action_point_create",
    "action_point_update_status",
    "amendment_decide",
    "amendment_propose",
    "attendance_record",
    "attendance_record_all",
    "communique_circulate",
    "communique_draft",
    "communique_publish",
    "communique_silence_conclude",
    "communique_version_add",
    "interpretative_statement_attach",
    "minutes_approve",
    "minutes_circulate",
    "minutes_create",
    "position_state",
    "silence_break",
    "statement_record",
]
