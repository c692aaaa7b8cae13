"""Background jobs of the periods app, on the django-tasks queue (settings.TASKS; the worker
is `servplan db_worker`, which `servplan serve` and the demo start)."""

from django_tasks import task

from servplan.periods.exports import build_export


@task()
def build_period_export(export_id: int) -> None:
    """Build the period ZIP of PeriodExport `export_id` (periods.exports.build_export)."""
    build_export(export_id=export_id)
