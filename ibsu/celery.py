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
    "documents-requeue-stuck": {
        "task": "documents.tasks.requeue_stuck_documents",
        "schedule": crontab(minute="*/5"),
    },
    "privacy-cleanup": {
        "task": "privacy.tasks.run_cleanup",
        "schedule": crontab(hour=2, minute=0),
    },
}
