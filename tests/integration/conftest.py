"""Real pieces for the integration tests: Redis, a Celery worker, an SMTP server.

Nothing here is mocked. The project's Celery app is switched from in-process
tasks to a real Redis broker for one test and switched back afterwards; a
Celery worker runs in a thread of this process, so it shares the test database
(hence `transaction=True`: it only sees committed rows); mail goes over SMTP to
an aiosmtpd server on a free local port.

The machine's Redis is shared, so each test uses DB 13 and a queue of its own,
and deletes only that queue's keys when it ends. Outages are played with a
throwaway `redis-server` started on a free port and killed by PID.
"""

import email
import email.policy
import os
import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Callable
from contextlib import ExitStack

import kombu.pools
import pytest
import redis
from aiosmtpd.controller import Controller
from celery import signals
from celery.contrib.testing.worker import start_worker
from django.db import connections

from ibsu.celery import app as ibsu_celery_app

REDIS_HOST = "127.0.0.1"
REDIS_PORT = 6379
REDIS_TEST_DB = 13
REDIS_TEST_URL = f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_TEST_DB}"
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
WAIT_SECONDS = 20


def running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def unavailable(reason: str) -> None:
    """Skip on a developer machine; fail in CI, where every piece must be there."""
    if running_in_ci():
        pytest.fail(f"{reason} (CI is set, so this is a failure)", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    """A local TCP port nothing listens on (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind((REDIS_HOST, 0))
        return sock.getsockname()[1]


def wait_until(condition: Callable[[], object], what: str, timeout=WAIT_SECONDS):
    """Poll `condition` until it is truthy; fail with `what` at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"gave up after {timeout} s waiting for {what}")
        time.sleep(0.05)


# --- Redis ---------------------------------------------------------------------


_redis_reachable: bool | None = None


@pytest.fixture(autouse=True)
def _require_redis():
    """Every integration test needs the machine's Redis (skip or fail without)."""
    global _redis_reachable
    if _redis_reachable is None:
        client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, socket_timeout=2)
        try:
            _redis_reachable = bool(client.ping())
        except redis.RedisError:
            _redis_reachable = False
        finally:
            client.close()
    if not _redis_reachable:
        unavailable(f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}")


@pytest.fixture
def redis_url():
    """The machine's Redis, on the database the tests may write to."""
    return REDIS_TEST_URL


class ThrowawayRedis:
    """A private redis-server on a free port, with no persistence, for outages."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://{REDIS_HOST}:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        assert self.process is None, "already running"
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                REDIS_HOST,
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(host=REDIS_HOST, port=self.port, socket_timeout=1)
        try:
            wait_until(lambda: self._answers(client), f"redis-server on {self.port}")
        finally:
            client.close()

    def _answers(self, client) -> bool:
        assert self.process.poll() is None, "redis-server exited"
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            return False

    def kill(self) -> None:
        """The broker dies: SIGKILL, no clean shutdown."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def throwaway_redis():
    if not os.access(REDIS_SERVER, os.X_OK):
        unavailable(f"redis-server is not installed at {REDIS_SERVER}")
    server = ThrowawayRedis()
    server.start()
    yield server
    server.kill()


# --- SMTP ----------------------------------------------------------------------


class Mailbox:
    """Collects every message an aiosmtpd server accepts."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.recipients: list[list[str]] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd hook
        message = email.message_from_bytes(
            envelope.original_content or envelope.content, policy=email.policy.default
        )
        with self._lock:
            self.messages.append(message)
            self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"

    def __len__(self) -> int:
        with self._lock:
            return len(self.messages)


@pytest.fixture
def smtp_port():
    """A port for the SMTP server; nothing listens there until one is started."""
    return free_port()


@pytest.fixture
def smtp_settings(settings, smtp_port):
    """Django sends real SMTP to 127.0.0.1:`smtp_port`."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = REDIS_HOST
    settings.EMAIL_PORT = smtp_port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    return settings


@pytest.fixture
def start_smtp(smtp_settings, smtp_port):
    """Start an SMTP server on `smtp_port` (when the test says so); returns its box."""
    controllers: list[Controller] = []

    def start() -> Mailbox:
        mailbox = Mailbox()
        controller = Controller(mailbox, hostname=REDIS_HOST, port=smtp_port)
        controller.start()
        controllers.append(controller)
        return mailbox

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def mailbox(start_smtp) -> Mailbox:
    """An SMTP server that is up for the whole test."""
    return start_smtp()


# --- Celery ---------------------------------------------------------------------


class CeleryHarness:
    """The project's Celery app pointed at a real broker, and workers for it."""

    def __init__(self, app, settings, monkeypatch):
        self.app = app
        self.settings = settings
        self.monkeypatch = monkeypatch
        self.queue = f"ibsu-test-{uuid.uuid4().hex[:12]}"
        self.broker_url: str | None = None
        self.finished: list[tuple[str, str, tuple]] = []
        self._lock = threading.Lock()
        self._workers = ExitStack()
        # Reading a setting loads the configuration; only then is `changes` the
        # plain dict of overrides (on top of the live Django settings).
        assert app.conf.task_default_queue
        self._saved_changes = dict(app.conf.changes)

    def use_broker(self, url: str) -> None:
        """Send tasks to `url` from now on (not eagerly), on this test's queue."""
        self.broker_url = url
        # Celery's broker_url gives these variables precedence over any setting.
        for suffix in ("URL", "READ_URL", "WRITE_URL"):
            self.monkeypatch.delenv(f"CELERY_BROKER_{suffix}", raising=False)
        self.settings.CELERY_BROKER_URL = url
        self.settings.CELERY_TASK_ALWAYS_EAGER = False
        self.app.conf.update(
            broker_url=url,
            task_always_eager=False,
            task_default_queue=self.queue,
            task_default_exchange=self.queue,
            task_default_routing_key=self.queue,
            # No pidbox queues or bindings left behind in the shared Redis.
            worker_enable_remote_control=False,
        )
        self._drop_connections()

    def _drop_connections(self) -> None:
        """Forget pooled broker connections, queues and routes made for the old URL."""
        kombu.pools.reset()
        self.app._pool = None
        self.app.__dict__.pop("amqp", None)

    def start_worker(self):
        """A worker thread consuming this test's queue; stopped at teardown."""
        return self._workers.enter_context(
            start_worker(
                self.app,
                pool="solo",
                perform_ping_check=False,
                loglevel="WARNING",
                shutdown_timeout=15,
            )
        )

    def stop_workers(self) -> None:
        self._workers.close()

    # Task bookkeeping, from the worker thread's task_postrun signal.

    def on_task_postrun(self, sender=None, args=None, state=None, **kwargs):
        with self._lock:
            self.finished.append((sender.name, state, tuple(args or ())))
        # The worker thread's own database connections must not outlive the task
        # (PostgreSQL refuses to drop a test database that is still in use).
        connections.close_all()

    def runs(self, task_name: str, state: str | None = None) -> list[tuple]:
        with self._lock:
            return [
                run
                for run in self.finished
                if run[0] == task_name and (state is None or run[1] == state)
            ]

    def wait_for_runs(self, task_name: str, state: str, count: int = 1) -> list:
        return wait_until(
            lambda: (
                len(self.runs(task_name, state)) >= count
                and self.runs(task_name, state)
            ),
            f"{count} run(s) of {task_name} ending in {state}",
        )

    def restore(self) -> None:
        self.stop_workers()
        changes = self.app.conf.changes
        changes.clear()
        changes.update(self._saved_changes)
        self._drop_connections()


@pytest.fixture
def celery(settings, monkeypatch):
    """Celery with a real broker and real workers, restored after the test."""
    harness = CeleryHarness(ibsu_celery_app, settings, monkeypatch)
    # The embedded worker would reconfigure process-wide logging and warning
    # filters (root handlers, logging.captureWarnings); pytest owns those here.
    monkeypatch.setattr(ibsu_celery_app.log, "setup", lambda *a, **kw: None)
    signals.task_postrun.connect(harness.on_task_postrun, weak=False)
    yield harness
    try:
        harness.restore()
    finally:
        signals.task_postrun.disconnect(harness.on_task_postrun)
        _delete_queue_keys(harness.queue)


def _delete_queue_keys(queue: str) -> None:
    """Remove what this test's queue left in the shared Redis (its DB only)."""
    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_TEST_DB)
    try:
        keys = list(client.scan_iter(match=f"*{queue}*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()
