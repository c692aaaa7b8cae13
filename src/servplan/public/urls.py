"""The public site (/public/): no login, only what is published."""

from django.urls import path

from servplan.public import views

urlpatterns = [
    path("plans/", views.plan_index, name="public-plan-index"),
    path("plans/<slug:office_code>/<int:roc_year>/", views.plan_page, name="public-plan-detail"),
    path(
        "plans/<slug:office_code>/<int:roc_year>/plan.pdf",
        views.plan_document,
        {"fmt": "pdf"},
        name="public-plan-pdf",
    ),
    path(
        "plans/<slug:office_code>/<int:roc_year>/plan.odt",
        views.plan_document,
        {"fmt": "odt"},
        name="public-plan-odt",
    ),
]
