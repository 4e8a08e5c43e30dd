from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("audit/", views.audit_entry_list_page, name="entry_list"),
]
