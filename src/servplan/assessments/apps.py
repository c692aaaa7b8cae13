from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "servplan.assessments"
    label = "assessments"
    verbose_name = "自行考核"
