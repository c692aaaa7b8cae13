from django.urls import path

from servplan.plans import compare_views, publication_views, views

urlpatterns = [
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/compare/", compare_views.plan_compare, name="plan-compare"),
    path(
        "plans/<int:pk>/compare/export/<str:fmt>/",
        compare_views.plan_compare_export,
        name="plan-compare-export",
    ),
    path("plans/<int:pk>/publish/", publication_views.publish, name="plan-publish"),
    path("plans/<int:pk>/unpublish/", publication_views.unpublish, name="plan-unpublish"),
    path("plans/<int:pk>/submit/", views.plan_submit, name="plan-submit"),
    path("plans/<int:pk>/signoff/", views.plan_signoff, name="plan-signoff"),
    path("plans/<int:pk>/reopen/", views.plan_reopen, name="plan-reopen"),
    path("plans/<int:pk>/history/", views.plan_history, name="plan-history"),
]
