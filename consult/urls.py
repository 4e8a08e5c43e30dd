from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from analytics.api.views import TokenObtainView
from briefings.views import dashboard, public_login
from consult.api import router

# The admin signs in through the same login page, second factor included.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    # allauth's login (second factor included) under the name the pages use, with the
    # published communiqués beside it; logging out is a POST only.
    path("accounts/login/", public_login, name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The rest of allauth: the second factor (2fa/), reauthentication, sessions, password.
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/auth/token/", TokenObtainView.as_view(), name="api-token"),
    path("account/", include("analytics.urls")),
    path("api/v1/", include("analytics.api.urls")),
    path("api/v1/", include("crises.api.urls")),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("", dashboard, name="dashboard"),
    path("", include("members.urls")),
    path("", include("notices.urls")),
    path("", include("agenda.urls")),
    path("", include("minutes.urls")),
    path("", include("crises.urls")),
    path("", include("briefings.urls")),
    path("", include("audit.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.STATIC_URL, document_root=settings.STATIC_ROOT)
