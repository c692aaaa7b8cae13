from django.urls import path

from servplan.programs import rubric_views, views

NODE = "hq/programs/<int:pk>/<str:kind>/<int:node_id>/"

urlpatterns = [
    path("hq/programs/", views.program_list, name="program-list"),
    path("hq/programs/new/", views.program_new, name="program-new"),
    path("hq/programs/start/", views.program_start, name="program-start"),
    path("hq/programs/<int:pk>/", views.program_edit, name="program-edit"),
    path("hq/programs/<int:pk>/header/", views.program_header, name="program-header"),
    path("hq/programs/<int:pk>/add/", views.program_node_add, name="program-node-add"),
    path(NODE, views.program_node_save, name="program-node-save"),
    path(f"{NODE}move/", views.program_node_move, name="program-node-move"),
    path(f"{NODE}remove/", views.program_node_remove, name="program-node-remove"),
    path("hq/programs/<int:pk>/publish/", views.program_publish, name="program-publish"),
    path("hq/programs/<int:pk>/versions/", views.program_new_version, name="program-new-version"),
    path("programs/<int:pk>/changes/", views.program_changes, name="program-changes"),
    path("hq/rubrics/", rubric_views.rubric_list, name="rubric-list"),
    path("hq/rubrics/new/", rubric_views.rubric_new, name="rubric-new"),
    path("hq/rubrics/start/", rubric_views.rubric_start, name="rubric-start"),
    path("hq/rubrics/<int:pk>/", rubric_views.rubric_edit, name="rubric-edit"),
    path("hq/rubrics/<int:pk>/save/", rubric_views.rubric_save, name="rubric-save"),
    path("hq/rubrics/<int:pk>/publish/", rubric_views.rubric_publish, name="rubric-publish"),
    path(
        "hq/rubrics/<int:pk>/versions/", rubric_views.rubric_new_version, name="rubric-new-version"
    ),
]
