from django.db import migrations, models


def plan_entries(apps, schema_editor):
    """The entries already written about a plan's sections and practices belong to it."""
    AuditEntry = apps.get_model("audit", "AuditEntry")
    OfficePlan = apps.get_model("plans", "OfficePlan")
    Practice = apps.get_model("programs", "Practice")
    for plan_id, outline_id in OfficePlan.objects.values_list("id", "outline_id"):
        AuditEntry.objects.filter(object_type="plans.officeplan", object_id=plan_id).update(
            plan_id=plan_id
        )
        practices = Practice.objects.filter(measure__strategy__facet__outline_id=outline_id)
        AuditEntry.objects.filter(
            object_type="programs.practice", object_id__in=list(practices.values_list("id", flat=True))
        ).update(plan_id=plan_id)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("plans", "0002_plan_year_version_submitted"),
        ("programs", "0002_practice_origin_version_target"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="plan_id",
            field=models.BigIntegerField(blank=True, db_index=True, null=True),
        ),
        migrations.RunPython(plan_entries, migrations.RunPython.noop),
    ]
