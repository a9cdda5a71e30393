"""Staff roles with exactly the permissions they need.

Claims officer: read members and their claims, and decide claims.
Member support: find members, unlock accounts (change member), read login
history and claims; cannot decide claims.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Claims officer": [
        ("accounts", "view_member"),
        ("claims", "view_claim"),
        ("claims", "view_claimdocument"),
        ("claims", "view_claimevent"),
        ("claims", "decide_claim"),
    ],
    "Member support": [
        ("accounts", "view_member"),
        ("accounts", "change_member"),
        ("accounts", "view_loginevent"),
        ("claims", "view_claim"),
        ("claims", "view_claimevent"),
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations; roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.get(content_type__app_label=app, codename=code)
            for app, code in codes
        )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial"),
        ("accounts", "0002_profile_and_nominees"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
