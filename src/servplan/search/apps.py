from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "servplan.search"
    label = "search"
    verbose_name = "搜尋"
