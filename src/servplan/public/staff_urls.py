"""HQ's publishing of an office's results, from the review page (public.domain)."""

from django.urls import path

from servplan.public import staff_views

urlpatterns = [
    path(
        "review/assessments/<int:pk>/publish/",
        staff_views.publish,
        name="results-publish",
    ),
    path(
        "review/assessments/<int:pk>/unpublish/",
        staff_views.unpublish,
        name="results-unpublish",
    ),
]
