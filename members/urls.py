from django.urls import URLPattern, path

from members import views

app_name = "members"

urlpatterns: list[URLPattern] = [
    # The language switcher on every page, signed in or not.
    path("language/", views.language_set, name="language_set"),
    path("rotation/", views.rotation, name="rotation"),
    path("rotation/plan/", views.rotation_plan, name="rotation_plan"),
    path(
        "rotation/terms/<uuid:public_id>/swap/", views.rotation_term_swap, name="rotation_term_swap"
    ),
]
