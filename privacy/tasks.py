from celery import shared_task

from privacy.services import cleanup_run, data_export_build


# No automatic retry: a failed export is shown as failed and the member asks
# again, which starts a fresh one (only one may be pending at a time).
@shared_task
def build_data_export(export_id: int) -> bool:
    return data_export_build(export_id=export_id) is not None


@shared_task
def run_cleanup() -> dict[str, int]:
    """Nightly at 02:00 (ibsu/celery.py); the same as `manage.py cleanup`."""
    return cleanup_run(dry_run=False)
