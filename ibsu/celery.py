import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ibsu.settings")

app = Celery("ibsu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "outbox-requeue-stuck": {
        "task": "outbox.tasks.requeue_stuck_messages",
        "schedule": crontab(minute="*/5"),
    },
    # Every minute: a document or data export whose worker died is taken again
    # as soon as its lease runs out (ibsu/lib/leases.py).
    "documents-requeue-stuck": {
        "task": "documents.tasks.requeue_stuck_documents",
        "schedule": crontab(minute="*"),
    },
    "privacy-requeue-stuck": {
        "task": "privacy.tasks.requeue_stuck_exports",
        "schedule": crontab(minute="*"),
    },
    "privacy-cleanup": {
        "task": "privacy.tasks.run_cleanup",
        "schedule": crontab(hour=2, minute=0),
    },
}
