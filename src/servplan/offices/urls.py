from django.urls import path

from servplan.offices import views

urlpatterns = [
    path("offices/", views.office_list, name="office-list"),
]
