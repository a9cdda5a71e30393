"""Real pieces for the integration tests: Redis, a Celery worker, an SMTP server.

Nothing here is mocked. The project's Celery app is switched from in-process
tasks to a real Redis broker for one test and switched back afterwards. The
Celery worker runs in a thread of this process, so it uses the test database;
the tests use `transaction=True` because the worker only sees committed rows.
Mail goes over SMTP to an aiosmtpd server on a free local port.

The machine's Redis is shared, so each test uses database 13 and a queue of its
own, and deletes only that queue's keys when it ends; two test runs at once do
not take each other's tasks. Broker outages use a throwaway `redis-server` on a
free port, killed by PID.

Without Redis on 127.0.0.1:6379 these tests are skipped, except in CI (the CI
variable is set), where they fail: there every piece must be present.
"""

import email
import email.message
import email.policy
import functools
import os
import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any, NamedTuple

import kombu.pools
import pytest
import redis
from aiosmtpd.controller import Controller
from celery import signals
from celery.contrib.testing.worker import start_worker
from django.db import connections
from redis.backoff import NoBackoff
from redis.retry import Retry

from ibsu.celery import app as ibsu_celery_app

LOCALHOST = "127.0.0.1"
REDIS_PORT = 6379
REDIS_TEST_DB = 13
REDIS_TEST_URL = f"redis://{LOCALHOST}:{REDIS_PORT}/{REDIS_TEST_DB}"
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
    """A local TCP port that nothing listens on (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind((LOCALHOST, 0))
        return sock.getsockname()[1]


def wait_until(condition: Callable[[], Any], what: str, timeout=WAIT_SECONDS) -> None:
    """Poll `condition` until it is true; fail, naming `what`, at the deadline."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up after {timeout} s waiting for {what}")
        time.sleep(0.02)


# --- Redis ----------------------------------------------------------------------


def redis_client(port: int, db: int = 0) -> redis.Redis:
    """A client that answers at once, without redis-py's retries and back-off."""
    return redis.Redis(
        host=LOCALHOST, port=port, db=db, socket_timeout=2, retry=Retry(NoBackoff(), 0)
    )


@functools.cache
def shared_redis_answers() -> bool:
    client = redis_client(REDIS_PORT)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def pytest_runtest_setup(item):
    """Every test here needs the machine's Redis; checked before any fixture runs."""
    if not shared_redis_answers():
        unavailable(f"Redis is not reachable at {LOCALHOST}:{REDIS_PORT}")


@pytest.fixture
def redis_url() -> str:
    """The machine's Redis, on the database the tests may write to."""
    return REDIS_TEST_URL


@pytest.fixture
def unreachable_broker_url() -> str:
    """A Redis URL on a local port that nothing listens on."""
    return f"redis://{LOCALHOST}:{free_port()}/0"


class ThrowawayRedis:
    """A private redis-server on a free port, without persistence, for outages."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://{LOCALHOST}:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        assert self.process is None, "redis-server is already running"
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", LOCALHOST]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis_client(self.port)
        try:
            wait_until(lambda: self._answers(client), f"redis-server on {self.port}")
        finally:
            client.close()

    def _answers(self, client: redis.Redis) -> bool:
        assert self.process.poll() is None, "redis-server exited at start"
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            return False

    def kill(self) -> None:
        """The broker dies: SIGKILL, no clean shutdown, its queues are gone."""
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


def delete_queue_keys(queue: str) -> None:
    """Remove what one test's queue left in the shared Redis (its database only)."""
    client = redis_client(REDIS_PORT, db=REDIS_TEST_DB)
    try:
        keys = list(client.scan_iter(match=f"*{queue}*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


# --- SMTP -----------------------------------------------------------------------


class Mailbox:
    """Every message an aiosmtpd server accepted, parsed, with its recipients."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.recipients: list[list[str]] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook
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
def smtp_port() -> int:
    """The port Django sends mail to; closed until the test starts a server."""
    return free_port()


@pytest.fixture
def start_smtp(settings, smtp_port):
    """Django sends real SMTP to `smtp_port`; call this to start a server there."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = LOCALHOST
    settings.EMAIL_PORT = smtp_port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    controllers: list[Controller] = []

    def start() -> Mailbox:
        mailbox = Mailbox()
        controller = Controller(mailbox, hostname=LOCALHOST, port=smtp_port)
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


# --- Celery -----------------------------------------------------------------------


class TaskRun(NamedTuple):
    name: str
    state: str  # SUCCESS, RETRY, FAILURE …
    args: tuple
    retval: Any


class CeleryHarness:
    """The project's Celery app on a real broker, workers for it, and what ran."""

    def __init__(self, app, settings, monkeypatch):
        self.app = app
        self.settings = settings
        self.monkeypatch = monkeypatch
        self.queue = f"ibsu-test-{uuid.uuid4().hex[:12]}"
        self._runs: list[TaskRun] = []
        self._lock = threading.Lock()
        self._workers = ExitStack()
        # Reading a setting loads the configuration; only then is `changes` the
        # plain dict of overrides that sits on top of the live Django settings.
        app.conf.get("task_default_queue")
        self._saved_changes = dict(app.conf.changes)

    def use_broker(self, url: str) -> None:
        """Queue tasks on `url` from now on (not in-process), on this test's queue."""
        # Celery prefers these variables to any setting: they must not interfere.
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
        self._forget_connections()

    def _forget_connections(self) -> None:
        """Drop pooled broker connections and the queues/routes built for the old
        settings, so that the next .delay() connects to the broker now configured."""
        kombu.pools.reset()
        self.app._pool = None
        self.app.__dict__.pop("amqp", None)  # cached: queues, router, producers

    def start_worker(self) -> None:
        """A worker thread consuming this test's queue, until the test ends."""
        self._workers.enter_context(
            start_worker(
                self.app,
                pool="solo",
                perform_ping_check=False,
                loglevel="WARNING",
                shutdown_timeout=15,
            )
        )

    def queued(self) -> int:
        """How many task messages wait in this test's queue on the broker."""
        with self.app.connection_for_write() as conn:
            # Not passive: Redis drops an emptied queue, and that counts as 0.
            declared = conn.default_channel.queue_declare(self.queue)
            return declared.message_count

    def on_task_postrun(self, sender, args, state, retval, **kwargs) -> None:
        if getattr(sender.request, "is_eager", False):
            return
        with self._lock:
            self._runs.append(TaskRun(sender.name, state, tuple(args or ()), retval))
        # The worker thread's database connections must not outlive its task:
        # PostgreSQL will not drop a test database that is still in use.
        connections.close_all()

    def runs(self, name: str, state: str | None = None) -> list[TaskRun]:
        """Tasks the worker finished, oldest first."""
        with self._lock:
            return [
                run
                for run in self._runs
                if run.name == name and (state is None or run.state == state)
            ]

    def wait_for_runs(self, name: str, state: str, count: int = 1) -> None:
        wait_until(
            lambda: len(self.runs(name, state)) >= count,
            f"{count} run(s) of {name} ending in {state}",
        )

    def restore(self) -> None:
        self._workers.close()
        changes = self.app.conf.changes
        changes.clear()
        changes.update(self._saved_changes)
        self._forget_connections()


@pytest.fixture
def celery(settings, monkeypatch):
    """Celery with a real broker (see `use_broker`) and workers; undone afterwards."""
    harness = CeleryHarness(ibsu_celery_app, settings, monkeypatch)
    # An embedded worker reconfigures process-wide logging and warning filters
    # (root handlers, logging.captureWarnings); here pytest owns those.
    monkeypatch.setattr(ibsu_celery_app.log, "setup", lambda *args, **kwargs: None)
    signals.task_postrun.connect(harness.on_task_postrun, weak=False)
    try:
        yield harness
    finally:
        try:
            harness.restore()
        finally:
            signals.task_postrun.disconnect(harness.on_task_postrun)
            delete_queue_keys(harness.queue)
