from django.urls import path

from servplan.plans import views

urlpatterns = [
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
]
