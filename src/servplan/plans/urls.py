from django.urls import path

from servplan.plans import compare_views, editor, publication_views, views

urlpatterns = [
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/new/", editor.plan_new, name="plan-new"),
    path("plans/<int:pk>/sections/", editor.sections_save, name="plan-sections"),
    path("plans/<int:pk>/sections/form/", editor.sections_form, name="plan-sections-form"),
    path("plans/<int:pk>/checks/", editor.checks, name="plan-checks"),
    path("plans/<int:pk>/facets/<int:facet_id>/", editor.facet, name="plan-facet"),
    path(
        "plans/<int:pk>/facets/<int:facet_id>/strategies/",
        editor.strategy_add,
        name="plan-strategy-add",
    ),
    path(
        "plans/<int:pk>/strategies/<int:strategy_id>/", editor.strategy_save, name="plan-strategy"
    ),
    path(
        "plans/<int:pk>/strategies/<int:strategy_id>/remove/",
        editor.strategy_remove,
        name="plan-strategy-remove",
    ),
    path(
        "plans/<int:pk>/measures/<int:measure_id>/practices/",
        editor.practice_add,
        name="plan-practice-add",
    ),
    path("plans/<int:pk>/practices/<int:practice_id>/", editor.practice_save, name="plan-practice"),
    path(
        "plans/<int:pk>/practices/<int:practice_id>/row/",
        editor.practice_row,
        name="plan-practice-row",
    ),
    path(
        "plans/<int:pk>/practices/<int:practice_id>/move/",
        editor.practice_move,
        name="plan-practice-move",
    ),
    path(
        "plans/<int:pk>/practices/<int:practice_id>/remove/",
        editor.practice_remove,
        name="plan-practice-remove",
    ),
    path(
        "plans/<int:pk>/practices/<int:practice_id>/not-applicable/",
        editor.practice_not_applicable,
        name="plan-practice-not-applicable",
    ),
    path(
        "plans/<int:pk>/practices/<int:practice_id>/applicable/",
        editor.practice_applicable,
        name="plan-practice-applicable",
    ),
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
