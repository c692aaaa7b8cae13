from django.urls import path

from servplan.offices import views

urlpatterns = [
    path("offices/", views.office_list, name="office-list"),
    path("settings/notifications/", views.notification_settings, name="notification-settings"),
    path(
        "settings/notifications/save/",
        views.notification_settings_save,
        name="notification-settings-save",
    ),
]
