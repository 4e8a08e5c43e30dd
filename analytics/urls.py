from django.urls import path

from analytics import views

app_name = "analytics"

urlpatterns = [
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/<uuid:public_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("logout-everywhere/", views.logout_everywhere, name="logout_everywhere"),
]
