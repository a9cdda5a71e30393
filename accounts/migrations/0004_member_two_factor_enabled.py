from django.db import migrations, models
from django.db.models import Exists, OuterRef, Q


def flag_members_with_second_factors(apps, schema_editor):
    Member = apps.get_model("accounts", "Member")
    confirmed = [
        Exists(
            apps.get_model(app, model).objects.filter(
                user=OuterRef("pk"), confirmed=True
            )
        )
        for app, model in (("otp_totp", "TOTPDevice"), ("otp_email", "EmailDevice"))
    ]
    Member.objects.filter(Q(confirmed[0]) | Q(confirmed[1])).update(
        two_factor_enabled=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_member_figures_version"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_email", "0006_add_timestamps"),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="two_factor_enabled",
            field=models.BooleanField(
                default=False,
                editable=False,
                verbose_name="two-step verification on",
            ),
        ),
        migrations.RunPython(
            flag_members_with_second_factors, migrations.RunPython.noop
        ),
    ]
