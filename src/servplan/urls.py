from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("servplan.core.urls")),
    path("", include("servplan.offices.urls")),
    path("", include("servplan.plans.urls")),
    path("", include("servplan.assessments.urls")),
]
