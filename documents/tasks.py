from celery import shared_task
from django.conf import settings

from documents.services import document_render, documents_requeue_stuck
from ibsu.lib.leases import time_limits


@shared_task(
    autoretry_for=(Exception,),
    retry_backoff=10,
    max_retries=3,
    **time_limits(settings.DOCUMENT_RENDER_LEASE),
)
def render_document(document_id: int) -> bool:
    return document_render(document_id=document_id) is not None


@shared_task
def requeue_stuck_documents() -> int:
    return documents_requeue_stuck()
