from django.urls import URLPattern, path

from minutes.views import action_points, communiques, record, revisions, signing, statements

app_name = "minutes"

urlpatterns: list[URLPattern] = [
    # Minutes: the secretariat records and steers; delegates read and amend.
    path("minutes/", record.minutes_list, name="minutes_list"),
    path("minutes/open/<uuid:session_id>/", record.minutes_create, name="minutes_create"),
    path("minutes/statements/", statements.statement_search, name="statement_search"),
    path("minutes/action-points/", action_points.action_point_list, name="actionpoint_list"),
    path(
        "minutes/action-points/<uuid:public_id>/status/",
        action_points.action_point_status,
        name="actionpoint_status",
    ),
    path(
        "minutes/amendments/<uuid:public_id>/decide/",
        revisions.amendment_decide,
        name="amendment_decide",
    ),
    path("minutes/<uuid:public_id>/", record.minutes_detail, name="minutes_detail"),
    path("minutes/<uuid:public_id>/record/", record.statement_record, name="statement_record"),
    path(
        "minutes/<uuid:public_id>/attendance/all/",
        record.attendance_sheet,
        name="attendance_sheet",
    ),
    path(
        "minutes/<uuid:public_id>/attendance/", record.attendance_record, name="attendance_record"
    ),
    path("minutes/<uuid:public_id>/circulate/", record.minutes_circulate, name="minutes_circulate"),
    path("minutes/<uuid:public_id>/approve/", record.minutes_approve, name="minutes_approve"),
    path("minutes/<uuid:public_id>/amend/", record.amendment_propose, name="amendment_propose"),
    path(
        "minutes/<uuid:public_id>/interpretative/",
        record.interpretative_statement_attach,
        name="interpretative_attach",
    ),
    path(
        "minutes/<uuid:public_id>/action-points/new/",
        record.action_point_create,
        name="actionpoint_create",
    ),
    path("minutes/<uuid:public_id>/revisions/", revisions.revision_diff, name="revision_diff"),
    path(
        "minutes/<uuid:public_id>/statements.csv",
        statements.statements_export,
        name="statements_export",
    ),
    # Communiqués: public index, pages and feed; drafting for the secretariat and seat-holders.
    path("communiques/", communiques.communique_list, name="communique_list"),
    path("communiques/feed/", communiques.CommuniqueFeed(), name="communique_feed"),
    path(
        "communiques/feed/<slug:language>/",
        communiques.CommuniqueFeed(),
        name="communique_feed_language",
    ),
    path("communiques/new/", communiques.communique_draft, name="communique_draft"),
    path("communiques/<uuid:public_id>/", communiques.communique_detail, name="communique_detail"),
    # The body's signatures: signed PDF and JSON of a published text, its keys, verification.
    path("communiques/keys/", signing.signing_key_list, name="signing_key_list"),
    path("communiques/keys/<slug:key_id>.pem", signing.signing_key_pem, name="signing_key_pem"),
    path("communiques/verify/", signing.communique_verify, name="communique_verify"),
    path(
        "communiques/<uuid:public_id>/signed.pdf",
        signing.communique_signed_pdf,
        name="communique_signed_pdf",
    ),
    path(
        "communiques/<uuid:public_id>/signed.json",
        signing.communique_signed_json,
        name="communique_signed_json",
    ),
    path(
        "communiques/<uuid:public_id>/versions/new/",
        communiques.communique_version_add,
        name="communique_version_add",
    ),
    path(
        "communiques/<uuid:public_id>/versions/diff/",
        communiques.communique_version_diff,
        name="communique_version_diff",
    ),
    path(
        "communiques/<uuid:public_id>/translations/",
        communiques.communique_translations,
        name="communique_translations",
    ),
    path(
        "communiques/<uuid:public_id>/translations/confirm/",
        communiques.communique_translation_confirm,
        name="communique_translation_confirm",
    ),
    path(
        "communiques/<uuid:public_id>/circulate/",
        communiques.communique_circulate,
        name="communique_circulate",
    ),
    path(
        "communiques/<uuid:public_id>/publish/",
        communiques.communique_publish,
        name="communique_publish",
    ),
    path(
        "communiques/<uuid:public_id>/position/", communiques.position_state, name="position_state"
    ),
    path(
        "communiques/<uuid:public_id>/silence-break/",
        communiques.silence_break,
        name="silence_break",
    ),
]
