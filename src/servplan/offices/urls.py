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
    path("offices/<slug:code>/deputies/", views.deputy_list, name="deputy-list"),
    path("offices/<slug:code>/deputies/add/", views.deputy_add, name="deputy-add"),
    path(
        "offices/<slug:code>/deputies/<int:deputy_id>/end/",
        views.deputy_end,
        name="deputy-end",
    ),
]
