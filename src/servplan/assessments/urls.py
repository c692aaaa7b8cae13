from django.urls import path

from servplan.assessments import views

urlpatterns = [
    path("assessments/", views.assessment_list, name="assessment-list"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment-detail"),
]
