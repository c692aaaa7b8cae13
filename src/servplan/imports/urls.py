from django.urls import path

from servplan.imports import views

urlpatterns = [
    path("imports/", views.upload, name="import-upload"),
    path("imports/uploads/<int:pk>/", views.upload_preview, name="import-preview"),
    path("imports/uploads/<int:pk>/confirm/", views.upload_confirm, name="import-confirm"),
    path("imports/uploads/<int:pk>/cancel/", views.upload_cancel, name="import-cancel"),
]
