from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "servplan.review"
    label = "review"
    verbose_name = "總處複評"
