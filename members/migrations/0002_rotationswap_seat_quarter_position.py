import django.db.models.deletion
from django.db import migrations, models

import members.models


def copy_from_term(apps, schema_editor):
    RotationSwap = apps.get_model("members", "RotationSwap")
    for swap in RotationSwap.objects.select_related("term"):
        swap.seat_id = swap.term.seat_id
        swap.quarter = swap.term.quarter
        swap.position = swap.term.position
        swap.save(update_fields=["seat", "quarter", "position"])


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="rotationswap",
            name="seat",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="swaps",
                to="members.seat",
            ),
        ),
        migrations.AddField(
            model_name="rotationswap",
            name="quarter",
            field=members.models.QuarterField(default=""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="rotationswap",
            name="position",
            field=models.PositiveSmallIntegerField(default=1),
            preserve_default=False,
        ),
        migrations.RunPython(copy_from_term, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="rotationswap",
            name="seat",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="swaps",
                to="members.seat",
            ),
        ),
        migrations.AlterField(
            model_name="rotationswap",
            name="term",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="swaps",
                to="members.rotationterm",
            ),
        ),
    ]
