from django.urls import path

from servplan.periods import views

urlpatterns = [
    path("review/periods/", views.period_list, name="period-list"),
    path("review/periods/new/", views.period_open, name="period-open"),
    path("review/periods/<str:slug>/", views.period_board, name="period-board"),
    path("review/periods/<str:slug>/deadline/", views.period_deadline, name="period-deadline"),
    path("review/periods/<str:slug>/close/", views.period_close, name="period-close"),
    path("review/assessments/<int:pk>/accept/", views.accept, name="review-accept"),
    path("review/assessments/<int:pk>/return/", views.return_submission, name="review-return"),
]
