"""The public site (/public/): no login, only what is published."""

from django.urls import path

from servplan.public import views

RESULTS = "results/<slug:office_code>/<int:roc_year>-<int:start_month>-<int:end_month>/"

urlpatterns = [
    path("", views.index, name="public-index"),
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
    path(RESULTS, views.results_page, name="public-results-detail"),
    *(
        path(RESULTS + name, views.results_document, {"fmt": fmt}, name=f"public-results-{fmt}")
        for fmt, name in views.RESULTS_FILES.items()
    ),
    path("search/", views.search_page, name="public-search"),
    path("datasets/", views.dataset_page, name="public-datasets"),
]
