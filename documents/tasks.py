from celery import shared_task

from documents.services import document_render, documents_requeue_stuck


@shared_task(autoretry_for=(Exception,), retry_backoff=10, max_retries=3)
def render_document(document_id: int) -> bool:
    return document_render(document_id=document_id) is not None


@shared_task
def requeue_stuck_documents() -> int:
    return documents_requeue_stuck()
