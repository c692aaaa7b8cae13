from django.db import migrations, models


def years_from_programs(apps, schema_editor):
    OfficePlan = apps.get_model("plans", "OfficePlan")
    for plan in OfficePlan.objects.select_related("program"):
        plan.roc_year = plan.program.roc_year
        plan.save(update_fields=["roc_year"])


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0001_initial"),
        ("programs", "0002_practice_origin_version_target"),
    ]

    operations = [
        migrations.AddField(
            model_name="officeplan",
            name="roc_year",
            field=models.PositiveSmallIntegerField(null=True, verbose_name="年度"),
        ),
        migrations.RunPython(years_from_programs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="officeplan",
            name="roc_year",
            field=models.PositiveSmallIntegerField(verbose_name="年度"),
        ),
        migrations.RemoveConstraint(
            model_name="officeplan", name="plan_one_per_office_program"
        ),
        migrations.AddConstraint(
            model_name="officeplan",
            constraint=models.UniqueConstraint(
                fields=("office", "roc_year"), name="plan_one_per_office_year"
            ),
        ),
        migrations.AddField(
            model_name="officeplan",
            name="version",
            field=models.PositiveIntegerField(default=1, verbose_name="版本"),
        ),
        migrations.AlterField(
            model_name="officeplan",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "草稿"),
                    ("submitted", "已送出"),
                    ("approved", "陳准實施"),
                    ("published", "已公開"),
                ],
                default="draft",
                max_length=20,
                verbose_name="狀態",
            ),
        ),
        migrations.AlterModelOptions(
            name="officeplan",
            options={
                "ordering": ["-roc_year", "office__position"],
                "verbose_name": "區營業處執行計畫",
                "verbose_name_plural": "區營業處執行計畫",
            },
        ),
    ]
