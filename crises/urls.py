from django.urls import URLPattern, path

from crises.views import assessments, crises, exercises, threats

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
    # The shared threat list and the threat picture over quarters.
    path("threats/", threats.threat_list_page, name="threat_list"),
    path("threats/new/", threats.threat_create, name="threat_create"),
    path("threats/trend/", threats.threat_trend, name="threat_trend"),
    path("threats/<uuid:public_id>/edit/", threats.threat_edit, name="threat_edit"),
    path("threats/<uuid:public_id>/retire/", threats.threat_retire, name="threat_retire"),
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
    # Tabletop exercises: the facilitator's and the players' pages, the live channel, the AAR.
    path("exercises/", exercises.exercise_list_page, name="exercise_list"),
    path("exercises/<uuid:public_id>/", exercises.exercise_detail, name="exercise_detail"),
    path("exercises/<uuid:public_id>/live/", exercises.exercise_live, name="exercise_live"),
    path("exercises/<uuid:public_id>/start/", exercises.exercise_start, name="exercise_start"),
    path("exercises/<uuid:public_id>/pause/", exercises.exercise_pause, name="exercise_pause"),
    path("exercises/<uuid:public_id>/end/", exercises.exercise_end, name="exercise_end"),
    path("exercises/<uuid:public_id>/report/", exercises.exercise_report, name="exercise_report"),
    path("exercises/<uuid:public_id>/report/draft/", exercises.aar_draft, name="aar_draft"),
    path("exercises/<uuid:public_id>/report/confirm/", exercises.aar_confirm, name="aar_confirm"),
    path("injects/<uuid:public_id>/release/", exercises.inject_release, name="inject_release"),
    path("injects/<uuid:public_id>/disclose/", exercises.inject_disclose, name="inject_disclose"),
    path("injects/<uuid:public_id>/respond/", exercises.response_record, name="response_record"),
]
