"""'Heir' becomes the one word for the people a member names (ahli waris):
the Nominee model is renamed, rows and ids kept; its constraints renamed."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_member_two_factor_flag_removed"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="nominee", name="accounts_nominee_once_per_member"
        ),
        migrations.RemoveConstraint(model_name="nominee", name="accounts_nominee_one_spouse"),
        migrations.RemoveConstraint(
            model_name="nominee", name="accounts_nominee_share_1_to_100"
        ),
        migrations.RenameModel(old_name="Nominee", new_name="Heir"),
        migrations.AlterModelOptions(
            name="heir",
            options={"ordering": ["pk"], "verbose_name": "heir", "verbose_name_plural": "heirs"},
        ),
        migrations.AlterField(
            model_name="heir",
            name="member",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="heirs",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="heir",
            constraint=models.UniqueConstraint(
                fields=("member", "nik"), name="accounts_heir_once_per_member"
            ),
        ),
        migrations.AddConstraint(
            model_name="heir",
            constraint=models.UniqueConstraint(
                condition=models.Q(("relationship", "spouse")),
                fields=("member",),
                name="accounts_heir_one_spouse",
            ),
        ),
        migrations.AddConstraint(
            model_name="heir",
            constraint=models.CheckConstraint(
                condition=models.Q(("share_percent__gte", 1), ("share_percent__lte", 100)),
                name="accounts_heir_share_1_to_100",
            ),
        ),
    ]
