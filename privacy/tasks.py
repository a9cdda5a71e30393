from celery import shared_task
from django.conf import settings

from ibsu.lib.leases import time_limits
from privacy.services import (
    cleanup_run,
    data_export_build,
    data_exports_requeue_stuck,
)


# No automatic retry: a failed export is shown as failed and the member asks
# again, which starts a fresh one (only one may be pending at a time).
@shared_task(**time_limits(settings.DATA_EXPORT_LEASE))
def build_data_export(export_id: int) -> bool:
    return data_export_build(export_id=export_id) is not None


@shared_task
def run_cleanup() -> dict[str, int]:
    """Nightly at 02:00 (ibsu/celery.py); the same as `manage.py cleanup`."""
    return cleanup_run(dry_run=False)


@shared_task
def requeue_stuck_exports() -> int:
    """Every minute (ibsu/celery.py): exports whose worker died are taken again."""
    return data_exports_requeue_stuck()
