from django.urls import path

from servplan.review import views

urlpatterns = [
    path("review/", views.review_list, name="review-list"),
    path("review/releases/", views.release, name="review-release"),
    path("review/releases/withdraw/", views.withdraw, name="review-withdraw"),
    path(
        "review/periods/<str:period>/release/", views.release_confirm, name="review-release-confirm"
    ),
    path(
        "review/periods/<str:period>/withdraw/",
        views.withdraw_confirm,
        name="review-withdraw-confirm",
    ),
    path("review/assessments/<int:pk>/", views.review_detail, name="review-detail"),
    path("review/assessments/<int:pk>/cells/<int:cell_id>/", views.review_cell, name="review-cell"),
    path("review/assessments/<int:pk>/reviewed/", views.mark_reviewed, name="review-mark"),
]
