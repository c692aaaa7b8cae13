from django.contrib import admin
from django.urls import include, path

from servplan.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("servplan.core.urls")),
    path("", include("servplan.offices.urls")),
    path("", include("servplan.plans.urls")),
    path("", include("servplan.programs.urls")),
    path("", include("servplan.assessments.urls")),
    path("", include("servplan.review.urls")),
    path("", include("servplan.periods.urls")),
    path("", include("servplan.documents.urls")),
    path("", include("servplan.imports.urls")),
    path("", include("servplan.public.staff_urls")),
    path("", include("servplan.search.urls")),
    path("public/", include("servplan.public.urls")),
]

# Error pages in the site's layout with the reason; 500 stays Django's view, whose page
# (500.html) needs neither the request nor the database.
handler400 = "servplan.core.views.bad_request"
handler403 = "servplan.core.views.permission_denied"
handler404 = "servplan.core.views.page_not_found"
