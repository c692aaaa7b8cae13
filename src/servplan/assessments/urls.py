from django.urls import path

from servplan.assessments import views

urlpatterns = [
    path("assessments/", views.assessment_list, name="assessment-list"),
    path("assessments/new/", views.assessment_create, name="assessment-create"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment-detail"),
    path("assessments/<int:pk>/cells/<int:cell_id>/", views.cell_save, name="assessment-cell"),
    path(
        "assessments/<int:pk>/cells/<int:cell_id>/row/", views.cell_row, name="assessment-cell-row"
    ),
    path(
        "assessments/<int:pk>/cells/<int:cell_id>/evidence/",
        views.evidence_upload,
        name="assessment-evidence-upload",
    ),
    path(
        "assessments/<int:pk>/evidence/<int:evidence_id>/",
        views.evidence_download,
        name="assessment-evidence",
    ),
    path(
        "assessments/<int:pk>/evidence/<int:evidence_id>/delete/",
        views.evidence_delete,
        name="assessment-evidence-delete",
    ),
    path(
        "assessments/<int:pk>/findings/<int:finding_id>/",
        views.finding_save,
        name="assessment-finding",
    ),
    path(
        "assessments/<int:pk>/findings/<int:finding_id>/row/",
        views.finding_row,
        name="assessment-finding-row",
    ),
    path("assessments/<int:pk>/follow-ups/", views.follow_ups, name="assessment-follow-ups"),
    path(
        "assessments/<int:pk>/improvements/<int:improvement_id>/follow-ups/",
        views.follow_up_add,
        name="assessment-follow-up-add",
    ),
    path(
        "assessments/<int:pk>/assessed-on/", views.assessed_on_save, name="assessment-assessed-on"
    ),
    path("assessments/<int:pk>/submit/", views.submit, name="assessment-submit"),
    path("assessments/<int:pk>/signoffs/", views.signoff, name="assessment-signoff"),
    path("assessments/<int:pk>/reopen/", views.reopen, name="assessment-reopen"),
    path("assessments/<int:pk>/history/", views.history, name="assessment-history"),
]
