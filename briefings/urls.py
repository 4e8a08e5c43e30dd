from django.urls import path

from briefings import views

app_name = "briefings"

urlpatterns = [
    path("sessions/<uuid:public_id>/pack/", views.pack_detail, name="pack_detail"),
    path("sessions/<uuid:public_id>/pack.pdf", views.pack_download, name="pack_download"),
    path("sessions/<uuid:public_id>/pack/receipts/", views.pack_receipts, name="pack_receipts"),
    path("sessions/<uuid:public_id>/pack/rebuild/", views.pack_rebuild, name="pack_rebuild"),
    path("packs/trace/", views.pack_trace_page, name="pack_trace"),
]
