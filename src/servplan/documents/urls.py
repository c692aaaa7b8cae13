from django.urls import path

from servplan.documents import views

urlpatterns = [
    path(
        "assessments/<int:pk>/export/<str:fmt>/",
        views.assessment_export,
        name="assessment-export",
    ),
    path(
        "assessments/<int:pk>/signoffs/<int:signoff_id>/pdf/",
        views.signed_copy,
        name="assessment-signed-copy",
    ),
    path("plans/<int:pk>/export/<str:fmt>/", views.plan_export, name="plan-export"),
]
