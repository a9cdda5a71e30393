"""What a bench run uses: its scale, its database and Redis, its environment.

Shared by the orchestrator (bench/run.py, which never imports Django) and the
Django-side helpers it starts (bench/dataset.py, bench/measure.py).
"""

import os
import secrets
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / "bench"
RESULTS_DIR = BENCH_DIR / "results"
PYTHON = sys.executable
# Bumped when bench/dataset.py changes what it builds: an older dataset is rebuilt.
DATASET_VERSION = 2
# The heavy member, who is never one of the generated ones.
HEAVY_KPJ = "77000000001"
HEAVY_PASSWORD = "Bench-Heavy-Member-2026!"  # noqa: S105 - a throwaway bench account
MEMBER_PASSWORD = "Bench-Member-Pass-2026!"  # noqa: S105 - a throwaway bench account


@dataclass(frozen=True)
class Scale:
    name: str
    database: str
    redis_db: int
    members: int
    min_years: int
    max_years: int
    employers: int
    # Sessions per load item: requests rotate over them, as many members would.
    sessions: int
    workers: int  # gunicorn sync workers, the same for portal and baseline
    threads: int  # wrk threads
    connections: int  # wrk connections
    warmup_seconds: int
    seconds: int
    login_iterations: int
    pdf_iterations: int
    import_rows: int
    # Peak memory the importing process may reach: "bounded" made a number.
    import_memory_limit_mb: int


FULL = Scale(
    name="full",
    database="ibsu_bench",
    redis_db=14,
    members=10_000,
    min_years=10,
    max_years=25,
    employers=400,
    sessions=200,
    workers=4,
    threads=2,
    connections=8,
    warmup_seconds=3,
    seconds=10,
    login_iterations=60,
    pdf_iterations=7,
    import_rows=1_000_000,
    import_memory_limit_mb=256,
)
SMOKE = Scale(
    name="smoke",
    database="ibsu_bench_smoke",
    redis_db=15,
    members=20,
    min_years=10,
    max_years=12,
    employers=5,
    sessions=5,
    workers=2,
    threads=1,
    connections=2,
    warmup_seconds=1,
    seconds=1,
    login_iterations=3,
    pdf_iterations=1,
    import_rows=2_000,
    import_memory_limit_mb=256,
)
SCALES = {scale.name: scale for scale in (FULL, SMOKE)}


def work_dir(scale: Scale) -> Path:
    """Scratch space outside the checkout: static files, PDFs, CSV files, logs."""
    root = Path(os.environ.get("BENCH_WORK_DIR", "/tmp/ibsu-bench"))  # noqa: S108
    path = root / scale.name
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url(scale: Scale) -> str:
    """BENCH_DATABASE_URL, else DATABASE_URL's server with the bench's own database."""
    if url := os.environ.get("BENCH_DATABASE_URL"):
        return url
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{scale.database}"))


def server_url(url: str) -> str:
    """The same server's maintenance database, to create the bench's one."""
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def redis_url(scale: Scale) -> str:
    base = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379")
    return f"{base.rstrip('/')}/{scale.redis_db}"


def django_env(scale: Scale, secret_key: str | None = None) -> dict[str, str]:
    """Production-like settings for every Django process of the run."""
    work = work_dir(scale)
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        BENCH_SCALE=scale.name,
        BENCH_STATIC_ROOT=str(work / "static"),
        DEBUG="0",
        SECRET_KEY=secret_key or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database_url(scale),
        DB_CONN_MAX_AGE="60",
        CACHE_URL=redis_url(scale),
        CELERY_BROKER_URL=redis_url(scale),
        EMAIL_URL="locmem://",
        PRIVATE_ROOT=str(work / "private"),
        SITE_URL="http://127.0.0.1",
        # The bench's own switch, never the checkout's maintenance.flag.
        MAINTENANCE_MODE="0",
        MAINTENANCE_FLAG_FILE=str(work / "maintenance.flag"),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(BASE_DIR),
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.pop("SECRET_KEY_FILE", None)
    return env


def scale_dict(scale: Scale) -> dict:
    return asdict(scale)


def dataset_key(scale: Scale) -> dict:
    """What the dataset depends on: when it changes, the dataset is rebuilt."""
    return {
        "version": DATASET_VERSION,
        "members": scale.members,
        "min_years": scale.min_years,
        "max_years": scale.max_years,
        "employers": scale.employers,
    }
