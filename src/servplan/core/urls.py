from django.contrib.auth import views as auth_views
from django.urls import path

from servplan.core import views

urlpatterns = [
    path("", views.home, name="home"),
    # Throttled by django-axes (its authentication backend), as /admin/login/ is.
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
