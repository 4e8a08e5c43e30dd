from django.urls import URLPattern, path

from crises.views import alerts, assessments, crises, exercises, registers, threats

app_name = "crises"

urlpatterns: list[URLPattern] = [
    # Crisis dossiers: readers follow them; the secretariat opens, moves and links them.
    path("crises/", crises.crisis_list_page, name="crisis_list"),
    path("crises/new/", crises.crisis_create, name="crisis_create"),
    path("crises/<uuid:public_id>/", crises.crisis_detail, name="crisis_detail"),
    path("crises/<uuid:public_id>/edit/", crises.crisis_edit, name="crisis_edit"),
    path("crises/<uuid:public_id>/status/", crises.crisis_transition, name="crisis_transition"),
    path("crises/<uuid:public_id>/link/", crises.crisis_link, name="crisis_link"),
    path("crises/<uuid:public_id>/unlink/", crises.crisis_unlink, name="crisis_unlink"),
    path(
        "crises/<uuid:public_id>/translations/",
        crises.crisis_translations,
        name="crisis_translations",
    ),
    path(
        "crises/<uuid:public_id>/translations/confirm/",
        crises.crisis_translation_confirm,
        name="crisis_translation_confirm",
    ),
    # Off-ramps: the board of a crisis, an option with its stances.
    path(
        "crises/<uuid:public_id>/off-ramps/",
        registers.off_ramp_board_page,
        name="off_ramp_board",
    ),
    path(
        "crises/<uuid:public_id>/off-ramps/new/",
        registers.off_ramp_create,
        name="off_ramp_create",
    ),
    path("off-ramps/<uuid:public_id>/", registers.off_ramp_detail, name="off_ramp_detail"),
    path("off-ramps/<uuid:public_id>/edit/", registers.off_ramp_edit, name="off_ramp_edit"),
    path(
        "off-ramps/<uuid:public_id>/status/",
        registers.off_ramp_transition,
        name="off_ramp_transition",
    ),
    path(
        "off-ramps/<uuid:public_id>/translations/",
        registers.off_ramp_translations,
        name="off_ramp_translations",
    ),
    path(
        "off-ramps/<uuid:public_id>/translations/confirm/",
        registers.off_ramp_translation_confirm,
        name="off_ramp_translation_confirm",
    ),
    # The register of norms of behaviour.
    path("norms/", registers.norm_list_page, name="norm_list"),
    path("norms/new/", registers.norm_create, name="norm_create"),
    path("norms/<uuid:public_id>/", registers.norm_detail, name="norm_detail"),
    path("norms/<uuid:public_id>/edit/", registers.norm_edit, name="norm_edit"),
    path("norms/<uuid:public_id>/adherence/", registers.adherence_state, name="adherence_state"),
    path(
        "norms/<uuid:public_id>/translations/",
        registers.norm_translations,
        name="norm_translations",
    ),
    path(
        "norms/<uuid:public_id>/translations/confirm/",
        registers.norm_translation_confirm,
        name="norm_translation_confirm",
    ),
    path(
        "norms/<uuid:public_id>/incidents/new/",
        registers.incident_report,
        name="incident_report",
    ),
    path(
        "incidents/<uuid:public_id>/respond/",
        registers.incident_respond,
        name="incident_respond",
    ),
    # The shared threat list and the threat picture over quarters.
    path("threats/", threats.threat_list_page, name="threat_list"),
    path("threats/new/", threats.threat_create, name="threat_create"),
    path("threats/trend/", threats.threat_trend, name="threat_trend"),
    path("threats/<uuid:public_id>/edit/", threats.threat_edit, name="threat_edit"),
    path("threats/<uuid:public_id>/retire/", threats.threat_retire, name="threat_retire"),
    path(
        "threats/<uuid:public_id>/translations/",
        threats.threat_translations,
        name="threat_translations",
    ),
    path(
        "threats/<uuid:public_id>/translations/confirm/",
        threats.threat_translation_confirm,
        name="threat_translation_confirm",
    ),
    # Threat assessments in Delphi rounds.
    path("assessments/", assessments.assessment_list_page, name="assessment_list"),
    path("assessments/new/", assessments.assessment_open, name="assessment_open"),
    path("assessments/<uuid:public_id>/", assessments.assessment_detail, name="assessment_detail"),
    path("assessments/<uuid:public_id>/release/", assessments.round_release, name="round_release"),
    path(
        "assessments/<uuid:public_id>/rounds/new/",
        assessments.round_open_next,
        name="round_open_next",
    ),
    # Crisis alerts: raised by a seat-holder's head, acknowledged by every recipient.
    path("alerts/", alerts.alert_list_page, name="alert_list"),
    path("alerts/new/", alerts.alert_raise, name="alert_raise"),
    path("alerts/live/", alerts.alerts_live, name="alerts_live"),
    path("alerts/<uuid:public_id>/", alerts.alert_detail, name="alert_detail"),
    path(
        "alerts/<uuid:public_id>/acknowledge/",
        alerts.alert_acknowledge,
        name="alert_acknowledge",
    ),
    path(
        "alerts/<uuid:public_id>/request-session/",
        alerts.alert_request_session,
        name="alert_request_session",
    ),
    # Tabletop exercises: the facilitator's and the players' pages, the live channel, the AAR.
    path("exercises/", exercises.exercise_list_page, name="exercise_list"),
    path("exercises/<uuid:public_id>/", exercises.exercise_detail, name="exercise_detail"),
    path("exercises/<uuid:public_id>/live/", exercises.exercise_live, name="exercise_live"),
    path(
        "exercises/<uuid:public_id>/translations/",
        exercises.exercise_translations,
        name="exercise_translations",
    ),
    path(
        "exercises/<uuid:public_id>/translations/confirm/",
        exercises.exercise_translation_confirm,
        name="exercise_translation_confirm",
    ),
    path("exercises/<uuid:public_id>/start/", exercises.exercise_start, name="exercise_start"),
    path("exercises/<uuid:public_id>/pause/", exercises.exercise_pause, name="exercise_pause"),
    path("exercises/<uuid:public_id>/end/", exercises.exercise_end, name="exercise_end"),
    path("exercises/<uuid:public_id>/report/", exercises.exercise_report, name="exercise_report"),
    path("exercises/<uuid:public_id>/report/draft/", exercises.aar_draft, name="aar_draft"),
    path("exercises/<uuid:public_id>/report/confirm/", exercises.aar_confirm, name="aar_confirm"),
    path(
        "exercises/<uuid:public_id>/report/translations/",
        exercises.aar_translations,
        name="aar_translations",
    ),
    path(
        "exercises/<uuid:public_id>/report/translations/confirm/",
        exercises.aar_translation_confirm,
        name="aar_translation_confirm",
    ),
    path("injects/<uuid:public_id>/edit/", exercises.inject_edit, name="inject_edit"),
    path("injects/<uuid:public_id>/release/", exercises.inject_release, name="inject_release"),
    path(
        "injects/<uuid:public_id>/translations/",
        exercises.inject_translations,
        name="inject_translations",
    ),
    path(
        "injects/<uuid:public_id>/translations/confirm/",
        exercises.inject_translation_confirm,
        name="inject_translation_confirm",
    ),
    path("injects/<uuid:public_id>/disclose/", exercises.inject_disclose, name="inject_disclose"),
    path("injects/<uuid:public_id>/respond/", exercises.response_record, name="response_record"),
]
