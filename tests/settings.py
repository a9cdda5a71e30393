"""Test settings: the real ones, with in-process tasks and in-memory mail.

DATABASE_URL still decides the database, so CI runs the suite on PostgreSQL.
Integration tests switch Celery to a real broker and mail to a real SMTP server
themselves (tests/integration/conftest.py).
"""

import tempfile
from pathlib import Path

from ibsu.settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
OUTBOX_RETRY_BASE_SECONDS = 1
OUTBOX_RETRY_MAX_SECONDS = 2
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
SITE_URL = "http://testserver"
LANGUAGE_CODE = "en"
# Sessions as production reads them (through the cache); the suite is one
# process, so its in-memory cache is shared like Redis would be.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Serve static files from the source folders; no collectstatic before tests.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Uploaded documents go to a throwaway folder, never the checkout's private/.
PRIVATE_ROOT = Path(tempfile.mkdtemp(prefix="ibsu-test-private-"))
STORAGES["private"] = {  # noqa: F405
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": PRIVATE_ROOT, "base_url": None},
}
