# A second search index, of single characters, so a term under three characters (帳單) is
# found through an index too (servplan.search.public). Per database, as in 0002:
# - SQLite: an FTS5 table (unicode61) over the body with a space after every character, kept
#   in step by triggers; the spacing is servplan_spaced(), which servplan.search.apps
#   registers on every connection Django opens.
# - PostgreSQL: a GIN index on the expression to_tsvector('simple', body spaced the same way);
#   no column, so nothing that writes the passages changes.

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE public_searchdocument_chars USING fts5(chars, tokenize='unicode61')",
    """CREATE TRIGGER public_searchdocument_chars_insert AFTER INSERT ON public_searchdocument
    BEGIN INSERT INTO public_searchdocument_chars(rowid, chars)
    VALUES (new.id, servplan_spaced(new.body)); END""",
    """CREATE TRIGGER public_searchdocument_chars_delete AFTER DELETE ON public_searchdocument
    BEGIN DELETE FROM public_searchdocument_chars WHERE rowid = old.id; END""",
    """CREATE TRIGGER public_searchdocument_chars_update AFTER UPDATE ON public_searchdocument
    BEGIN DELETE FROM public_searchdocument_chars WHERE rowid = old.id;
    INSERT INTO public_searchdocument_chars(rowid, chars)
    VALUES (new.id, servplan_spaced(new.body)); END""",
    """INSERT INTO public_searchdocument_chars(rowid, chars)
    SELECT id, servplan_spaced(body) FROM public_searchdocument""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS public_searchdocument_chars_update",
    "DROP TRIGGER IF EXISTS public_searchdocument_chars_delete",
    "DROP TRIGGER IF EXISTS public_searchdocument_chars_insert",
    "DROP TABLE IF EXISTS public_searchdocument_chars",
]
POSTGRESQL = [
    "CREATE INDEX public_searchdocument_body_chars ON public_searchdocument USING gin"
    " (to_tsvector('simple'::regconfig, regexp_replace(body, '(.)', '\\1 ', 'g')))",
]
POSTGRESQL_REVERSE = ["DROP INDEX IF EXISTS public_searchdocument_body_chars"]


def _run(statements):
    def run(apps, schema_editor):
        chosen = statements.get(schema_editor.connection.vendor, [])
        with schema_editor.connection.cursor() as cursor:
            for sql in chosen:
                cursor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("public", "0002_results_and_search"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
