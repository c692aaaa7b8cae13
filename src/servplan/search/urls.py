from django.urls import path

from servplan.search import views

urlpatterns = [path("search/", views.staff_search, name="search")]
