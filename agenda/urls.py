from django.urls import URLPattern

app_name = "agenda"

urlpatterns: list[URLPattern] = []
