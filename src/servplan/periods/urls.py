from django.urls import path

from servplan.periods import aids_views, compare_views, export_views, mapping_views, views

urlpatterns = [
    path("review/periods/", views.period_list, name="period-list"),
    path("review/periods/new/", views.period_open, name="period-open"),
    path("review/periods/<str:slug>/", views.period_board, name="period-board"),
    path("review/periods/<str:slug>/deadline/", views.period_deadline, name="period-deadline"),
    path("review/periods/<str:slug>/close/", views.period_close, name="period-close"),
    # the period ZIP, built in the background
    path("review/periods/<str:slug>/exports/", export_views.export_panel, name="period-exports"),
    path(
        "review/periods/<str:slug>/exports/start/",
        export_views.export_start,
        name="period-export-start",
    ),
    path(
        "review/exports/<int:pk>/download/",
        export_views.export_download,
        name="period-export-download",
    ),
    path("review/assessments/<int:pk>/accept/", views.accept, name="review-accept"),
    path("review/assessments/<int:pk>/return/", views.return_submission, name="review-return"),
    # HQ's comparison and reviewer aids
    path(
        "review/periods/<str:slug>/comparison/",
        compare_views.comparison,
        name="period-comparison",
    ),
    path(
        "review/periods/<str:slug>/comparison/export/<str:fmt>/",
        compare_views.comparison_export,
        name="period-comparison-export",
    ),
    path(
        "review/periods/<str:slug>/comparison/heatmap.svg",
        compare_views.comparison_chart,
        name="period-comparison-chart",
    ),
    path("review/periods/<str:slug>/items/<str:key>/", compare_views.unit, name="period-unit"),
    path(
        "review/periods/<str:slug>/items/<str:key>/export/<str:fmt>/",
        compare_views.unit_export,
        name="period-unit-export",
    ),
    path(
        "review/periods/<str:slug>/items/<str:key>/chart.svg",
        compare_views.unit_chart,
        name="period-unit-chart",
    ),
    path("review/offices/<str:code>/trend/", compare_views.trend, name="period-office-trend"),
    path(
        "review/offices/<str:code>/trend/export/<str:fmt>/",
        compare_views.trend_export,
        name="period-office-trend-export",
    ),
    path(
        "review/offices/<str:code>/trend/chart.svg",
        compare_views.trend_chart,
        name="period-office-trend-chart",
    ),
    path("review/periods/<str:slug>/aids/", aids_views.aids, name="period-aids"),
    path("review/mappings/", mapping_views.mapping_list, name="period-mappings"),
    path(
        "review/mappings/<int:source>/<int:target>/",
        mapping_views.mapping,
        name="period-mapping",
    ),
    path(
        "review/mappings/<int:source>/<int:target>/save/",
        mapping_views.mapping_save,
        name="period-mapping-save",
    ),
    path("review/typos/", aids_views.typo_list, name="period-typos"),
    path("review/typos/add/", aids_views.typo_add, name="period-typo-add"),
    path("review/typos/<int:pk>/retire/", aids_views.typo_retire, name="period-typo-retire"),
]
