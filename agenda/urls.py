from django.urls import URLPattern, path

from agenda.views import calendar, documents, invitations, items, sessions, translations

app_name = "agenda"

urlpatterns: list[URLPattern] = [
    # Sessions: delegates' pages, the secretariat's planning and convening.
    path("sessions/", sessions.session_list_view, name="session_list"),
    path("sessions/plan/", sessions.session_plan, name="session_plan"),
    path("sessions/convene/", sessions.session_convene, name="session_convene"),
    path(
        "sessions/request-extraordinary/",
        sessions.extraordinary_request_create,
        name="extraordinary_request_create",
    ),
    path("sessions/<uuid:public_id>/", sessions.session_detail, name="session_detail"),
    path("sessions/<uuid:public_id>/edit/", sessions.session_edit, name="session_edit"),
    path(
        "sessions/<uuid:public_id>/transition/",
        sessions.session_transition,
        name="session_transition",
    ),
    # Invitations and accreditation.
    path("invitations/", invitations.invitation_list_view, name="invitation_list"),
    path(
        "invitations/<uuid:public_id>/accept/",
        invitations.invitation_accept,
        name="invitation_accept",
    ),
    path(
        "invitations/<uuid:public_id>/decline/",
        invitations.invitation_decline,
        name="invitation_decline",
    ),
    path(
        "invitations/<uuid:public_id>/revoke/",
        invitations.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "sessions/<uuid:public_id>/invite/",
        invitations.invitation_create,
        name="invitation_create",
    ),
    path(
        "sessions/<uuid:public_id>/accredit/",
        invitations.accreditation_create,
        name="accreditation_create",
    ),
    # The calendar page and the secret-token feed.
    path("calendar/", calendar.calendar_page, name="calendar"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    # The provisional agenda and objections to it.
    path("sessions/<uuid:public_id>/agenda/", items.agenda_build, name="agenda_build"),
    path(
        "sessions/<uuid:public_id>/agenda/circulate/",
        items.agenda_circulate,
        name="agenda_circulate",
    ),
    path("sessions/<uuid:public_id>/agenda/adopt/", items.agenda_adopt, name="agenda_adopt"),
    path("sessions/<uuid:public_id>/agenda/reopen/", items.agenda_reopen, name="agenda_reopen"),
    path(
        "sessions/<uuid:public_id>/agenda/carry-over/",
        items.agenda_carry_over,
        name="agenda_carry_over",
    ),
    path(
        "sessions/<uuid:public_id>/agenda/objections/new/",
        items.objection_create,
        name="objection_create",
    ),
    path("agenda-items/<uuid:public_id>/edit/", items.agendaitem_edit, name="agendaitem_edit"),
    path("agenda-items/<uuid:public_id>/move/", items.agendaitem_move, name="agendaitem_move"),
    path(
        "agenda-items/<uuid:public_id>/remove/", items.agendaitem_remove, name="agendaitem_remove"
    ),
    path(
        "agenda-items/<uuid:public_id>/translations/",
        translations.agendaitem_translations,
        name="agendaitem_translations",
    ),
    path(
        "agenda-items/<uuid:public_id>/translations/confirm/",
        translations.agendaitem_translation_confirm,
        name="agendaitem_translation_confirm",
    ),
    path("objections/<uuid:public_id>/answer/", items.objection_answer, name="objection_answer"),
    # Papers, their downloads and the delegations' private notes.
    path(
        "sessions/<uuid:public_id>/documents/",
        documents.session_document_list,
        name="session_document_list",
    ),
    path(
        "sessions/<uuid:public_id>/documents/new/",
        documents.document_create,
        name="document_create",
    ),
    path("documents/<uuid:public_id>/", documents.document_detail, name="document_detail"),
    path(
        "documents/<uuid:public_id>/translations/",
        documents.document_translations,
        name="document_translations",
    ),
    path(
        "documents/<uuid:public_id>/translations/confirm/",
        documents.document_translation_confirm,
        name="document_translation_confirm",
    ),
    path(
        "documents/<uuid:public_id>/release/",
        documents.document_release,
        name="document_release",
    ),
    path(
        "documents/<uuid:public_id>/download/",
        documents.document_download,
        name="document_download",
    ),
    path(
        "documents/<uuid:public_id>/versions/new/",
        documents.document_version_create,
        name="document_version_create",
    ),
    path(
        "documents/<uuid:public_id>/versions/diff/",
        documents.document_version_diff,
        name="document_version_diff",
    ),
    path(
        "documents/<uuid:public_id>/versions/<int:number>/download/",
        documents.document_version_download,
        name="document_version_download",
    ),
    path("notes/", documents.note_list_view, name="note_list"),
    path("notes/new/", documents.note_create, name="note_create"),
    path("notes/<uuid:public_id>/edit/", documents.note_edit, name="note_edit"),
    path("documents/<uuid:public_id>/annotate/", documents.note_annotate, name="note_annotate"),
]
