from django.urls import URLPattern, path

from notices.views import notifications, preferences

app_name = "notices"

urlpatterns: list[URLPattern] = [
    # The signed-in user's notices.
    path("notices/", notifications.notice_list, name="notice_list"),
    # The zone the viewer reads times in.
    path(
        "preferences/timezone/",
        preferences.viewer_timezone_set,
        name="viewer_timezone_set",
    ),
]
