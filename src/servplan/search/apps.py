from django.apps import AppConfig
from django.db.backends.signals import connection_created


def spaced(text: str | None) -> str | None:
    """`text` with a space after every character: each is a token of the character index."""
    return None if text is None else "".join(ch + " " for ch in text)


def _register_spaced(sender, connection, **kwargs) -> None:
    # SQLite has no function to space the text; the character index's triggers call this one.
    if connection.vendor == "sqlite":
        connection.connection.create_function("servplan_spaced", 1, spaced, deterministic=True)


class SearchConfig(AppConfig):
    name = "servplan.search"
    label = "search"
    verbose_name = "搜尋"

    def ready(self) -> None:
        connection_created.connect(_register_spaced, dispatch_uid="servplan_spaced")
