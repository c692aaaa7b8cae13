from django.contrib import admin
from django.urls import include, path

from servplan.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("servplan.core.urls")),
    path("", include("servplan.offices.urls")),
    path("", include("servplan.plans.urls")),
    path("", include("servplan.assessments.urls")),
    path("", include("servplan.review.urls")),
    path("", include("servplan.documents.urls")),
    path("", include("servplan.imports.urls")),
]
