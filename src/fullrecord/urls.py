from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from fullrecord.core import health, metrics, todo_api
from fullrecord.core import views as core_views
from fullrecord.media import stream

api_patterns = [
    path("", include("fullrecord.cases.api.urls")),
    path("", include("fullrecord.accounts.api.urls")),
    path("", include("fullrecord.calendars.api.urls")),
    path("", include("fullrecord.media.api.urls")),
    path("", include("fullrecord.access.api.urls")),
    path("", include("fullrecord.documents.api.urls")),
    path("retention/", include("fullrecord.retention.api.urls")),
    path("", include("fullrecord.retention.api.urls_root")),
    path("", include("fullrecord.devices.api.urls")),
    path("", include("fullrecord.supervision.api.urls")),
    path("uploads/", include("fullrecord.media.tus_urls")),
    path("audit/", include("fullrecord.audit.api.urls")),
    path("", include("fullrecord.security.api.urls")),
    path("todo/", todo_api.TodoView.as_view(), name="todo"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("docs/redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]

urlpatterns = [
    path("", core_views.dashboard, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.view, name="metrics"),
    # Browsers ask for /favicon.ico on pages without a <link rel=icon> (e.g. plain 404s).
    path("favicon.ico", RedirectView.as_view(url=static("core/favicon.svg"), permanent=True)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("fullrecord.accounts.urls")),
    path("cases/", include("fullrecord.cases.urls")),
    path("media/", include("fullrecord.media.urls")),
    path("access/", include("fullrecord.access.urls")),
    path("documents/", include("fullrecord.documents.urls")),
    path("retention/", include("fullrecord.retention.urls")),
    path("devices/", include("fullrecord.devices.urls")),
    path("notifications/", include("fullrecord.notifications.urls")),
    path("audit/", include("fullrecord.audit.urls")),
    path("", include("fullrecord.security.urls")),
    path("supervision/", include("fullrecord.supervision.urls")),
    path("", include("fullrecord.core.urls")),
    path("api/", include((api_patterns, "api"))),
    # Signed playback URLs; in production fullrecord/wsgi.py answers them before Django.
    path(
        "playback/<int:grant_id>/<int:expires>/<str:signature>",
        stream.serve_signed,
        name="playback",
    ),
    path("admin/", admin.site.urls),
]

admin.site.site_header = _("fullrecord: full-process recording of land-law enforcement")
admin.site.site_title = _("fullrecord administration")

# Our own error pages, in the site's layout and the user's language (core/errors.py).
handler400 = "fullrecord.core.errors.bad_request"
handler403 = "fullrecord.core.errors.permission_denied"
handler404 = "fullrecord.core.errors.page_not_found"
handler500 = "fullrecord.core.errors.server_error"
