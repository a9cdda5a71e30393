"""`make bench` / `make bench-smoke`: the portal beside this machine's own ceiling.

    python -m bench.run            # the full bench (~10 min; dataset reused)
    python -m bench.run --smoke    # the same code path at a tiny scale, for CI
    python -m bench.run --only http,login   # some phases only (while working)

Every figure is judged as a ratio to a baseline measured in the same run:
pages against a bare Django view served by the same gunicorn set-up, the
authentication path against a bare Argon2 verify, PDFs against bare WeasyPrint
documents, the import against PostgreSQL's own COPY. Prints one table and
writes bench/results/latest.json (smoke.json for --smoke).

Exit status: 1 when anything failed (an error, a failed request, a document
rendered inside a request); targets missed only change it with --strict (3).
This module never imports Django: the Django work happens in the processes it
starts (bench/dataset.py, bench/measure.py, gunicorn).
"""

import argparse
import contextlib
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import time
import traceback
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

from bench import loadgen
from bench.config import (
    BASE_DIR,
    FULL,
    PYTHON,
    RESULTS_DIR,
    SMOKE,
    Scale,
    database_url,
    dataset_key,
    django_env,
    redis_url,
    scale_dict,
    server_url,
    work_dir,
)

PHASES = ("http", "queries", "login", "pdf", "import")
PAGE_TARGET = "≥ 0.50 req/s, p99 ≤ 3×"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass
class Item:
    """One row of the table and of latest.json."""

    name: str
    group: str
    req_per_s: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    queries: int | None = None
    peak_mem_mb: float | None = None
    baseline: str | None = None
    ratio: float | None = None  # the figure the target is about
    p99_ratio: float | None = None
    target: str = "—"
    met: bool | None = None  # None: reported only, no target
    failed: int = 0
    notes: str = ""
    extra: dict = field(default_factory=dict)


class Run:
    def __init__(self, scale: Scale, phases: set[str], strict: bool, rebuild=False):
        self.rebuild = rebuild
        self.scale = scale
        self.phases = phases
        self.strict = strict
        self.work = work_dir(scale)
        self.env = django_env(scale)  # one SECRET_KEY for every process
        self.items: list[Item] = []
        self.errors: list[str] = []
        self.info: dict = {}

    # --- helpers -------------------------------------------------------------

    def django(self, *args: str, timeout: float = 1800) -> dict:
        """Run a Django-side helper; its last stdout line is JSON."""
        command = [PYTHON, *args]
        done = subprocess.run(  # noqa: S603
            command,
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-4000:]}"
            )
        return json.loads(done.stdout.strip().splitlines()[-1])

    def manage(self, *args: str) -> None:
        subprocess.run(  # noqa: S603
            [PYTHON, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def phase(self, name: str, function) -> None:
        if name not in self.phases:
            return
        started = time.monotonic()
        log(f"{name} ...")
        try:
            function()
        except Exception as error:  # reported, and the run fails at the end
            traceback.print_exc()
            self.errors.append(f"{name}: {type(error).__name__}: {error}")
        log(f"{name} done in {time.monotonic() - started:.0f} s")

    # --- set-up --------------------------------------------------------------

    def prepare(self) -> None:
        url = database_url(self.scale)
        name = urlsplit(url).path.lstrip("/")
        if not name.startswith("ibsu_bench"):
            raise SystemExit(
                f"refusing to use {name!r}: bench databases are ibsu_bench*"
            )
        with psycopg.connect(server_url(url), autocommit=True) as server:
            exists = server.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if exists and (self.rebuild or not self._dataset_matches(url)):
                log(f"dropping {name}: rebuilding its dataset")
                server.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
                exists = None
            if not exists:
                server.execute(f'CREATE DATABASE "{name}"')
        self.manage("migrate", "--noinput", "-v0")
        log(f"dataset in {name} (built once, then reused) ...")
        self.info["dataset"] = self.django("-m", "bench.dataset", "build")
        self.manage("collectstatic", "--noinput", "-v0")
        self._flush_redis()

    def _dataset_matches(self, url: str) -> bool:
        with psycopg.connect(url) as db:
            if db.execute("SELECT to_regclass('bench_dataset')").fetchone()[0] is None:
                return False
            row = db.execute(
                "SELECT value FROM bench_dataset WHERE key = 'dataset'"
            ).fetchone()
        if not row:
            return False
        stored, wanted = json.loads(row[0]), dataset_key(self.scale)
        return {key: stored.get(key) for key in wanted} == wanted

    def _flush_redis(self) -> None:
        import redis

        redis.Redis.from_url(redis_url(self.scale)).flushdb()

    # --- HTTP ----------------------------------------------------------------

    def http(self) -> None:
        sessions = self.django("-m", "bench.dataset", "sessions")
        files = {}
        for key in ("members", "heavy"):
            files[key] = self.work / f"sessions-{key}.txt"
            files[key].write_text("\n".join(sessions[key]) + "\n")
        files["none"] = self.work / "sessions-none.txt"
        files["none"].write_text("-\n")
        self.sessions = sessions
        claim = f"/claims/{sessions['claim_id']}/"
        portal = Gunicorn("ibsu.wsgi:application", "portal", self)
        baseline = Gunicorn("bench.baseline:application", "baseline", self)
        pages = [
            ("dashboard", "/", "members"),
            ("dashboard (heavy member)", "/", "heavy"),
            ("contributions (heavy member)", "/contributions/", "heavy"),
            ("claims list", "/claims/", "heavy"),
            ("claim detail", claim, "heavy"),
            ("documents list", "/documents/", "heavy"),
        ]
        self.pages = pages
        wrk = loadgen.ensure_wrk()
        self.info["load_generator"] = "wrk" if wrk else "python (wrk unavailable)"
        try:
            portal.start()
            baseline.start()
            portal.wait_ready("/healthz")
            baseline.wait_ready("/")
            for name, path, who in pages:
                portal.check(path, sessions[who][0], name)
            # The baseline before every page and after the last: each page is
            # judged against the two baseline runs around it, so a change in
            # the machine's load during the run moves both sides alike.
            measured = {
                "baseline": [
                    self._measure(wrk, baseline, "baseline", "/", files["none"])
                ]
            }
            for name, path, who in pages:
                measured[name] = self._measure(wrk, portal, name, path, files[who])
                measured["baseline"].append(
                    self._measure(wrk, baseline, "baseline", "/", files["none"])
                )
        finally:
            portal.stop()
            baseline.stop()
        self._page_items(measured)

    def _measure(self, wrk, server, name, path, cookies) -> dict:
        data = self._load(wrk, server, path, cookies)
        result = data["result"]
        log(
            f"  {name}: {result.requests} requests, {result.req_per_s:.1f} req/s, "
            f"p50 {_round(result.p50_ms, 1)} ms, p99 {_round(result.p99_ms, 1)} ms, "
            f"failed {result.failed + data['warmup_failed']}"
        )
        return data

    def _load(self, wrk, server, path, cookies) -> dict:
        scale = self.scale
        common = {
            "wrk": wrk,
            "port": server.port,
            "path": path,
            "cookies_file": cookies,
            "threads": scale.threads,
            "connections": scale.connections,
            "work": self.work,
        }
        warmup = loadgen.run_load(seconds=scale.warmup_seconds, **common)
        server.drain()
        server.reset_peaks()
        result = loadgen.run_load(seconds=scale.seconds, **common)
        peak = server.peak()
        # Requests still queued when wrk stopped would otherwise slow the next item.
        server.drain()
        return {"result": result, "warmup_failed": warmup.failed, "peak": peak}

    def _page_items(self, measured: dict) -> None:
        baselines = measured["baseline"]
        if not all(run["result"].requests for run in baselines):
            raise RuntimeError("a baseline run answered no request")
        results = [run["result"] for run in baselines]
        self.items.append(
            Item(
                name="baseline: bare Django view",
                group="pages",
                req_per_s=_mean(r.req_per_s for r in results),
                p50_ms=_mean(r.p50_ms for r in results),
                p99_ms=_mean(r.p99_ms for r in results),
                queries=0,
                peak_mem_mb=max(run["peak"] for run in baselines),
                failed=sum(
                    r.failed + run["warmup_failed"]
                    for r, run in zip(results, baselines, strict=True)
                ),
                notes=f"mean of {len(results)} runs, one before each page and one "
                "after the last; each page's ratios use the two runs around it",
                extra={"runs": [_load_dict(r) for r in results]},
            )
        )
        for index, (name, _path, _who) in enumerate(self.pages):
            data = measured[name]
            result = data["result"]
            around = results[index : index + 2]
            base_rps = _mean(r.req_per_s for r in around)
            base_p99 = _mean(r.p99_ms for r in around)
            ratio = result.req_per_s / base_rps
            p99_ratio = None if result.p99_ms is None else result.p99_ms / base_p99
            failed = result.failed + data["warmup_failed"]
            if name.startswith("contributions"):
                target = "≥ 0.25 req/s"
                met = ratio >= 0.25 and failed == 0
            else:
                target = PAGE_TARGET
                met = (
                    ratio >= 0.5
                    and p99_ratio is not None
                    and p99_ratio <= 3
                    and failed == 0
                )
            notes = "assumed the pages' target" if name == "documents list" else ""
            if not result.requests:
                notes = (
                    f"no response within the {self.scale.seconds} s run: every "
                    "request took longer"
                )
            self.items.append(
                Item(
                    name=name,
                    group="pages",
                    req_per_s=result.req_per_s,
                    p50_ms=result.p50_ms,
                    p99_ms=result.p99_ms,
                    peak_mem_mb=data["peak"],
                    baseline="baseline: bare Django view",
                    ratio=ratio,
                    p99_ratio=p99_ratio,
                    target=target,
                    met=met,
                    failed=failed,
                    notes=notes,
                    extra={
                        "load": _load_dict(result),
                        "baseline_around": {
                            "req_per_s": round(base_rps, 1),
                            "p99_ms": round(base_p99, 2),
                        },
                    },
                )
            )

    # --- queries per request -----------------------------------------------------

    def queries(self) -> None:
        sessions = getattr(self, "sessions", None) or self.django(
            "-m", "bench.dataset", "sessions"
        )
        claim = f"/claims/{sessions['claim_id']}/"
        pages = getattr(self, "pages", None) or [
            ("dashboard", "/", "members"),
            ("dashboard (heavy member)", "/", "heavy"),
            ("contributions (heavy member)", "/contributions/", "heavy"),
            ("claims list", "/claims/", "heavy"),
            ("claim detail", claim, "heavy"),
            ("documents list", "/documents/", "heavy"),
        ]
        spec = [
            {"name": name, "path": path, "cookie": sessions[who][-1]}
            for name, path, who in pages
        ]
        spec_file = self.work / "queries.json"
        spec_file.write_text(json.dumps(spec))
        counted = self.django("-m", "bench.measure", "queries", str(spec_file))
        by_name = {item.name: item for item in self.items}
        for name, _path, _who in pages:
            figures = counted[name]
            if figures["status"] != 200:
                raise RuntimeError(f"{name} answered {figures['status']} in-process")
            item = by_name.get(name) or self._add(Item(name=name, group="pages"))
            item.queries = figures["queries"]
            item.extra["in_process"] = {
                key: figures[key]
                for key in (
                    "ms",
                    "sql_ms",
                    "template_ms",
                    "other_ms",
                    "slowest_queries",
                )
            }
        request = counted["statement request"]
        rendered = request["render_calls"] > 0 or request["weasyprint_imported"]
        ok = request["status"] == 302 and not rendered
        if not ok:
            self.errors.append(f"statement request: {request}")
        self._add(
            Item(
                name="statement request (POST /documents/)",
                group="pdf",
                p50_ms=request["ms"],
                queries=request["queries"],
                target="not rendered in the request",
                met=ok,
                failed=0 if ok else 1,
                notes=f"render_pdf calls: {request['render_calls']}, "
                f"WeasyPrint imported: {request['weasyprint_imported']}, "
                f"document left {request['document_status']} for the worker",
                extra=request,
            )
        )

    def _add(self, item: Item) -> Item:
        self.items.append(item)
        return item

    # --- login ---------------------------------------------------------------

    def login(self) -> None:
        data = self.django(
            "-m", "bench.measure", "login", str(self.scale.login_iterations)
        )
        raw, auth, view = data["argon2"], data["auth"], data["view"]
        params = data["params"]
        base_name = (
            f"baseline: Argon2id verify (t={params['time_cost']}, "
            f"m={params['memory_cost_kib'] // 1024} MiB, p={params['parallelism']})"
        )
        self.items.append(
            Item(
                name=base_name,
                group="login",
                req_per_s=raw["per_s"],
                p50_ms=raw["p50_ms"],
                p99_ms=raw["p99_ms"],
                queries=0,
                notes="argon2-cffi PasswordHasher.verify, the portal's parameters",
                extra=raw,
            )
        )
        ratio = auth["per_s"] / raw["per_s"]
        self.items.append(
            Item(
                name="login: authentication path",
                group="login",
                req_per_s=auth["per_s"],
                p50_ms=auth["p50_ms"],
                p99_ms=auth["p99_ms"],
                queries=auth["queries"],
                peak_mem_mb=auth["peak_mb"],
                baseline=base_name,
                ratio=ratio,
                target="≥ 0.80 of Argon2",
                met=ratio >= 0.8,
                notes="accounts.services.login_attempt alone (no HTTP, no CAPTCHA), "
                "one process, alternating with the Argon2 baseline",
                extra=auth,
            )
        )
        timing = data["unknown_vs_wrong"]
        same_cost = timing["unknown"]["p50_ms"] / timing["wrong"]["p50_ms"]
        self.items.append(
            Item(
                name="login: unknown account vs wrong password",
                group="login",
                req_per_s=timing["unknown"]["per_s"],
                p50_ms=timing["unknown"]["p50_ms"],
                p99_ms=timing["unknown"]["p99_ms"],
                ratio=same_cost,
                target="0.5–2 × a wrong password",
                met=0.5 < same_cost < 2,
                notes="login_attempt for an unknown KPJ against a known one with a "
                "wrong password, alternately: timing must not tell them apart",
                extra=timing,
            )
        )
        self.items.append(
            Item(
                name="login POST, whole view (in-process)",
                group="login",
                req_per_s=view["per_s"],
                p50_ms=view["p50_ms"],
                p99_ms=view["p99_ms"],
                queries=view["queries"],
                peak_mem_mb=view["peak_mb"],
                baseline=base_name,
                ratio=view["per_s"] / raw["per_s"],
                target="reported only",
                failed=view["failures"],
                notes="django.test.Client POST /accounts/login/ with the real CAPTCHA "
                "check (answer read from its store), sign-in, new-device email queued",
                extra=view,
            )
        )

    # --- PDF -----------------------------------------------------------------

    def pdf(self) -> None:
        cold_kinds = ("statement", "bare_table", "card", "bare_card")
        if self.scale is SMOKE:
            cold_kinds = ("statement", "bare_table")
        cold = {
            kind: self.django("-m", "bench.measure", "pdf-cold", kind)
            for kind in cold_kinds
        }
        warm = self.django(
            "-m", "bench.measure", "pdf-warm", str(self.scale.pdf_iterations)
        )
        labels = {
            "statement": "statement PDF (120 rows)",
            "card": "membership card PDF",
            "bare_table": "baseline: bare WeasyPrint, 120-row table",
            "bare_card": "baseline: bare WeasyPrint, card-sized page",
        }
        for portal_kind, bare_kind in (
            ("statement", "bare_table"),
            ("card", "bare_card"),
        ):
            for mode in ("warm", "cold"):
                if mode == "warm":
                    mine, bare = warm[portal_kind], warm[bare_kind]
                    p50, bare_p50 = mine["p50_ms"], bare["p50_ms"]
                    p99 = mine["p99_ms"]
                else:
                    if portal_kind not in cold or bare_kind not in cold:
                        continue
                    mine, bare = cold[portal_kind], cold[bare_kind]
                    p50 = p99 = mine["ms"]
                    bare_p50 = bare["ms"]
                base_name = f"{labels[bare_kind]} ({mode})"
                self.items.append(
                    Item(
                        name=base_name,
                        group="pdf",
                        req_per_s=1000 / bare_p50,
                        p50_ms=bare_p50,
                        p99_ms=bare.get("p99_ms", bare_p50),
                        queries=0,
                        peak_mem_mb=bare["peak_mb"],
                        notes=f"{bare['pages']} page(s)",
                    )
                )
                ratio = p50 / bare_p50
                self.items.append(
                    Item(
                        name=f"{labels[portal_kind]} ({mode})",
                        group="pdf",
                        req_per_s=1000 / p50,
                        p50_ms=p50,
                        p99_ms=p99,
                        peak_mem_mb=mine["peak_mb"],
                        baseline=base_name,
                        ratio=ratio,
                        target="≤ 1.5× the bare render's time",
                        met=ratio <= 1.5,
                        notes=_pdf_notes(mine, mode, warm["data_ms"][portal_kind]),
                        extra={"portal": mine, "bare": bare},
                    )
                )
        self.info["pdf"] = {"warm": warm, "cold": cold}

    # --- import --------------------------------------------------------------

    def import_(self) -> None:
        csv_file, ids_file = self.work / "import.csv", self.work / "import-ids.csv"
        made = self.django(
            "-m", "bench.dataset", "import-file", str(csv_file), str(ids_file)
        )
        rows = made["rows"]
        for path in (csv_file, ids_file):  # both read from the page cache alike
            with path.open("rb") as file:
                while file.read(1 << 24):
                    pass
        try:
            self._checkpoint()
            copy_csv = self.django("-m", "bench.measure", "copy", "csv", str(csv_file))
            self._checkpoint()
            imported = self.django("-m", "bench.measure", "import", str(csv_file))
            self._checkpoint()
            copy_table = self.django(
                "-m", "bench.measure", "copy", "table", str(ids_file)
            )
        finally:
            self.info["import_cleanup"] = self.django(
                "-m", "bench.dataset", "import-cleanup"
            )
            csv_file.unlink(missing_ok=True)
            ids_file.unlink(missing_ok=True)
        if imported["inserted"] != rows or copy_csv["stored"] != rows:
            raise RuntimeError(f"rows differ: {rows} {imported} {copy_csv}")
        base_name = "baseline: PostgreSQL COPY, same file"
        base_rps = rows / copy_csv["seconds"]
        self.items.append(
            Item(
                name=base_name,
                group="import",
                req_per_s=base_rps,
                queries=1,
                peak_mem_mb=copy_csv["peak_mb"],
                notes="rows/s; COPY FROM STDIN of the CSV into a table of its "
                "columns with the contributions table's keys, checks, indexes "
                f"and foreign keys; {copy_csv['seconds']:.1f} s",
                extra=copy_csv,
            )
        )
        table_rps = rows / copy_table["seconds"]
        self.items.append(
            Item(
                name="COPY, same rows in the table's own shape",
                group="import",
                req_per_s=table_rps,
                queries=1,
                peak_mem_mb=copy_table["peak_mb"],
                target="reported only",
                notes="rows/s; ids resolved beforehand, into LIKE "
                "contributions_contribution INCLUDING ALL + its foreign keys; "
                f"{copy_table['seconds']:.1f} s",
                extra=copy_table,
            )
        )
        import_rps = rows / imported["seconds"]
        ratio = import_rps / base_rps
        limit = self.scale.import_memory_limit_mb
        self.items.append(
            Item(
                name=f"import_contributions, {rows:,} rows",
                group="import",
                req_per_s=import_rps,
                queries=imported["queries"],
                peak_mem_mb=imported["peak_mb"],
                baseline=base_name,
                ratio=ratio,
                target=f"≥ 0.50 rows/s, peak ≤ {limit} MB",
                met=ratio >= 0.5 and imported["peak_mb"] <= limit,
                notes="rows/s; manage.py import_contributions, "
                f"{imported['seconds']:.1f} s in a fresh process (start-up "
                "excluded), all rows new; "
                f"{import_rps / table_rps:.2f} of the table-shaped COPY",
                extra=imported,
            )
        )

    def _checkpoint(self) -> None:
        with psycopg.connect(database_url(self.scale), autocommit=True) as db:
            db.execute("CHECKPOINT")

    # --- report --------------------------------------------------------------

    def report(self, started: float) -> int:
        failed = sum(item.failed for item in self.items)
        targeted = [item for item in self.items if item.met is not None]
        missed = [item.name for item in targeted if not item.met]
        result = {
            "scale": scale_dict(self.scale),
            "finished_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "seconds": round(time.monotonic() - started, 1),
            "commit": _git("rev-parse", "HEAD"),
            "checkout_changed": bool(
                _git("status", "--porcelain", "--untracked-files=no")
            ),
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "load_average_before": self.info.get("load_before"),
                "load_average_after": [round(x, 2) for x in os.getloadavg()],
            },
            "errors": self.errors,
            "failed_requests": failed,
            "targets_met": len(targeted) - len(missed),
            "targets": len(targeted),
            "missed": missed,
            "items": [_item_dict(item) for item in self.items],
            "info": self.info,
        }
        RESULTS_DIR.mkdir(exist_ok=True)
        if self.scale is SMOKE:
            out = RESULTS_DIR / "smoke.json"
        elif self.phases != set(PHASES):
            out = RESULTS_DIR / "partial.json"  # latest.json is for whole runs
        else:
            out = RESULTS_DIR / "latest.json"
        out.write_text(json.dumps(result, indent=2, default=str) + "\n")
        print(table(self.items))
        if breakdown := time_split(self.items):
            print(f"\n{breakdown}")
        print(
            f"\ntargets met: {len(targeted) - len(missed)}/{len(targeted)}"
            f"   failed requests: {failed}   errors: {len(self.errors)}"
            f"   load average before/after: {result['machine']['load_average_before']}"
            f" / {result['machine']['load_average_after']}"
            f"   {result['seconds']:.0f} s   results: {out.relative_to(BASE_DIR)}"
        )
        for error in self.errors:
            print(f"ERROR {error}")
        if self.errors or failed:
            return 1
        if self.strict and missed:
            return 3
        return 0


class Gunicorn:
    """One gunicorn, the same configuration for the portal and the baseline."""

    def __init__(self, app: str, name: str, run: Run):
        self.app, self.name, self.run = app, name, run
        self.port = _free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        logs = self.run.work
        command = [
            PYTHON,
            "-m",
            "gunicorn",
            self.app,
            f"--bind=127.0.0.1:{self.port}",
            "--worker-class=sync",
            f"--workers={self.run.scale.workers}",
            "--worker-tmp-dir=/dev/shm",
            "--timeout=60",
            "--no-control-socket",
            f"--access-logfile={logs / f'{self.name}-access.log'}",
            f"--error-logfile={logs / f'{self.name}-error.log'}",
        ]
        self.process = subprocess.Popen(command, cwd=BASE_DIR, env=self.run.env)  # noqa: S603

    def wait_ready(self, path: str, timeout: float = 60) -> None:
        self.ready_path = path
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} gunicorn exited: see its error log")
            try:
                with urllib.request.urlopen(  # noqa: S310 - our own 127.0.0.1 server
                    f"http://127.0.0.1:{self.port}{path}", timeout=5
                ) as response:
                    if response.status == 200 and len(self.workers()) == (
                        self.run.scale.workers
                    ):
                        return
            except (urllib.error.URLError, ConnectionError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} not ready after {timeout} s")
            time.sleep(0.2)

    def drain(self, timeout: float = 600) -> None:
        """Wait until every worker is free: one quick request per worker at once,
        each queued behind whatever the workers still have to finish."""

        def one(_):
            with urllib.request.urlopen(  # noqa: S310 - our own 127.0.0.1 server
                f"http://127.0.0.1:{self.port}{self.ready_path}", timeout=timeout
            ) as response:
                response.read()

        with ThreadPoolExecutor(self.run.scale.workers) as pool:
            list(pool.map(one, range(self.run.scale.workers)))

    def check(self, path: str, cookie: str, name: str) -> None:
        """One request before the load: a 200, not a redirect to the login page."""
        request = urllib.request.Request(  # noqa: S310 - our own 127.0.0.1 server
            f"http://127.0.0.1:{self.port}{path}",
            headers={"Cookie": cookie},
        )
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=60) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = f"{error.code} {error.headers.get('Location', '')}"
        if status != 200:
            raise RuntimeError(f"{name} ({path}) answered {status}, not 200")

    def workers(self) -> list[int]:
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                pids.append(int(entry.name))
        return pids

    def reset_peaks(self) -> None:
        for pid in self.workers():
            with contextlib.suppress(OSError):
                Path(f"/proc/{pid}/clear_refs").write_text("5")

    def peak(self) -> float:
        """The highest peak resident set of a worker (VmHWM), in MB."""
        highest = 0
        for pid in self.workers():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    highest = max(highest, int(line.split()[1]))
        return round(highest / 1024, 1)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _pdf_notes(figures: dict, mode: str, data_ms: float) -> str:
    notes = f"{figures['pages']} page(s); documents.services.render_pdf"
    if mode == "warm":
        return f"{notes}; data gathered beforehand in {data_ms} ms"
    return f"{notes}; first render of a fresh process, import included"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _load_dict(result: loadgen.LoadResult) -> dict:
    return {
        "tool": result.tool,
        "requests": result.requests,
        "seconds": round(result.seconds, 2),
        "req_per_s": round(result.req_per_s, 1),
        "p50_ms": _round(result.p50_ms),
        "p99_ms": _round(result.p99_ms),
        "failed": result.failed,
        "errors": result.errors,
    }


def _mean(values) -> float:
    values = list(values)
    return sum(values) / len(values)


def _round(value, digits=2):
    return None if value is None else round(value, digits)


def _item_dict(item: Item) -> dict:
    return {
        "name": item.name,
        "group": item.group,
        "req_per_s": _round(item.req_per_s),
        "p50_ms": _round(item.p50_ms),
        "p99_ms": _round(item.p99_ms),
        "queries": item.queries,
        "peak_mem_mb": _round(item.peak_mem_mb, 1),
        "baseline": item.baseline,
        "ratio": _round(item.ratio, 3),
        "p99_ratio": _round(item.p99_ratio, 2),
        "target": item.target,
        "met": item.met,
        "failed": item.failed,
        "notes": item.notes,
        **({"details": item.extra} if item.extra else {}),
    }


def time_split(items: list[Item]) -> str:
    """Where one request's time goes, measured in-process, one request at a time."""
    rows = [item for item in items if "in_process" in item.extra]
    if not rows:
        return ""
    header = (
        f"{'in-process, one request at a time (median of 5)':46} {'total ms':>9} "
        f"{'SQL ms':>8} {'template':>9} {'other ms':>9}  slowest query"
    )
    lines = [header, "-" * len(header)]
    for item in rows:
        split = item.extra["in_process"]
        slowest = split["slowest_queries"][0] if split["slowest_queries"] else None
        query = f"{slowest[0]:.1f} ms {slowest[1][:60]}" if slowest else ""
        lines.append(
            f"{item.name[:46]:46} {split['ms']:>9.1f} {split['sql_ms']:>8.1f} "
            f"{split['template_ms']:>9.1f} {split['other_ms']:>9.1f}  {query}"
        )
    return "\n".join(lines)


def _git(*args: str) -> str:
    done = subprocess.run(  # noqa: S603
        ["git", *args],  # noqa: S607
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip()


def table(items: list[Item]) -> str:
    def number(value, digits=1):
        return "—" if value is None else f"{value:,.{digits}f}"

    header = (
        f"{'item':46} {'req/s':>10} {'p50 ms':>9} {'p99 ms':>9} {'q':>4} "
        f"{'peak MB':>8} {'ratio':>6} {'p99×':>5}  {'target':30} met"
    )
    lines = [header, "-" * len(header)]
    group = None
    for item in items:
        if group is not None and item.group != group:
            lines.append("")
        group = item.group
        met = {True: "yes", False: "NO", None: ""}[item.met]
        if item.failed:
            met += f" ({item.failed} failed)"
        target = item.target if item.met is not None or item.baseline else ""
        lines.append(
            f"{item.name[:46]:46} {number(item.req_per_s):>10} "
            f"{number(item.p50_ms):>9} {number(item.p99_ms):>9} "
            f"{'—' if item.queries is None else item.queries:>4} "
            f"{number(item.peak_mem_mb):>8} {number(item.ratio, 2):>6} "
            f"{number(item.p99_ratio, 2) if item.p99_ratio else '':>5}  "
            f"{target[:30]:30} {met}"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny scale, for CI")
    parser.add_argument(
        "--only", default=",".join(PHASES), help=f"comma-separated: {','.join(PHASES)}"
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit 3 when a target is missed"
    )
    parser.add_argument(
        "--rebuild", action="store_true", help="drop the bench database first"
    )
    args = parser.parse_args()
    phases = set(args.only.split(","))
    if unknown := phases - set(PHASES):
        parser.error(f"unknown phases: {', '.join(sorted(unknown))}")
    scale = SMOKE if args.smoke else FULL
    started = time.monotonic()
    run = Run(scale, phases, args.strict, rebuild=args.rebuild)
    run.info["load_before"] = [round(x, 2) for x in os.getloadavg()]
    log(
        f"{scale.name} bench: {scale.members:,} members, {scale.workers} gunicorn "
        f"sync workers, load {scale.connections} connections x {scale.seconds} s "
        f"per page; work dir {run.work}"
    )
    try:
        run.prepare()
    except Exception as error:
        traceback.print_exc()
        run.errors.append(f"prepare: {type(error).__name__}: {error}")
    else:
        run.phase("http", run.http)
        run.phase("queries", run.queries)
        run.phase("login", run.login)
        run.phase("pdf", run.pdf)
        run.phase("import", run.import_)
        try:
            run._flush_redis()
        except Exception as error:
            run.errors.append(f"redis: {error}")
    return run.report(started)


if __name__ == "__main__":
    sys.exit(main())
