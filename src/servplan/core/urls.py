from django.contrib.auth import views as auth_views
from django.urls import path

from servplan.core import views
from servplan.core.forms import ThrottledAuthenticationForm

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=ThrottledAuthenticationForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
