"""In-process measurements, each run by bench/run.py in a fresh Python process.

    python -m bench.measure queries ITEMS.json   # queries per request, in-process
    python -m bench.measure login N              # auth path vs raw Argon2
    python -m bench.measure pdf-warm N           # render_pdf vs bare WeasyPrint
    python -m bench.measure pdf-cold KIND        # the first render of a process
    python -m bench.measure import FILE          # manage.py import_contributions
    python -m bench.measure copy csv|table FILE  # PostgreSQL's own COPY

Each prints one JSON object. Peak memory is the process's peak resident set
(VmHWM), reset before the part measured where the kernel allows it.
"""

import argparse
import io
import json
import resource
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from accounts.models import LoginEvent, Member  # noqa: E402
from bench.config import HEAVY_KPJ, HEAVY_PASSWORD, MEMBER_PASSWORD  # noqa: E402
from contributions.importer import COLUMNS  # noqa: E402
from contributions.models import Contribution  # noqa: E402

HOST = "127.0.0.1"
PDF_KINDS = ("statement", "bare_table", "card", "bare_card")


# --- memory ----------------------------------------------------------------------


def peak_reset() -> bool:
    """Start the peak resident set afresh (Linux: clear_refs 5)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def summary(seconds: list[float]) -> dict:
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "per_s": round(len(ms) / sum(seconds), 2),
        "p50_ms": round(statistics.median(ms), 2),
        "p99_ms": round(percentile(ms, 99), 2),
        "min_ms": round(min(ms), 2),
    }


# --- queries per request ---------------------------------------------------------


def _client(cookie: str) -> Client:
    """A test client sending this Cookie header (NAME=session key)."""
    name, _, value = cookie.partition("=")
    client = Client(HTTP_HOST=HOST)
    client.cookies[name] = value
    return client


def statements(captured: CaptureQueriesContext) -> int:
    """SQL statements run, without the BEGIN/COMMIT markers Django also records."""
    return sum(
        query["sql"] not in {"BEGIN", "COMMIT", "ROLLBACK"} for query in captured
    )


@contextmanager
def sql_timer():
    """Time every statement and every commit precisely (Django keeps ms only)."""
    timings: list[tuple[float, str]] = []

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append((time.perf_counter() - started, sql))

    original_commit = connection._commit

    def commit(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original_commit(*args, **kwargs)
        finally:
            timings.append((time.perf_counter() - started, "COMMIT"))

    connection._commit = commit
    try:
        with connection.execute_wrapper(wrapper):
            yield timings
    finally:
        del connection._commit


def queries(items_path: str, repeat: int = 5) -> dict:
    """Each page once to warm up, then `repeat` times, one at a time, with its
    queries counted and its time split: SQL (round trips and commits included),
    template rendering, and the rest (middleware, view code, Django itself)."""
    from django.template.backends.django import Template

    items = json.loads(Path(items_path).read_text())
    rendering = []
    depth = [0]  # form widgets render templates inside templates: count the outer
    original = Template.render

    def timed_render(self, *args, **kwargs):
        depth[0] += 1
        started = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            depth[0] -= 1
            if not depth[0]:
                rendering.append(time.perf_counter() - started)

    Template.render = timed_render
    results = {}
    try:
        for item in items:
            client = _client(item["cookie"])
            client.get(item["path"])
            totals, sql, templates, counts, statuses = [], [], [], [], set()
            for _ in range(repeat):
                rendering.clear()
                with CaptureQueriesContext(connection) as captured, sql_timer() as sq:
                    started = time.perf_counter()
                    response = client.get(item["path"])
                    totals.append(time.perf_counter() - started)
                statuses.add(response.status_code)
                counts.append(statements(captured))
                sql.append(sum(seconds for seconds, _ in sq))
                templates.append(sum(rendering))
                slowest = sorted(sq, reverse=True)[:3]
            total, sql_s = statistics.median(totals), statistics.median(sql)
            template_s = statistics.median(templates)
            results[item["name"]] = {
                "status": max(statuses),
                "queries": max(counts),
                "ms": round(total * 1000, 2),
                "sql_ms": round(sql_s * 1000, 2),
                "template_ms": round(template_s * 1000, 2),
                "other_ms": round((total - sql_s - template_s) * 1000, 2),
                "slowest_queries": [
                    (round(seconds * 1000, 2), " ".join(text.split())[:200])
                    for seconds, text in slowest
                ],
            }
    finally:
        Template.render = original
    results["statement request"] = _statement_request(items)
    return results


def _statement_request(items: list[dict]) -> dict:
    """POST /documents/ for a statement: queued for the worker, never rendered here."""
    import documents.services as services
    from documents.models import GeneratedDocument

    heavy = next(item for item in items if item["name"] == "documents list")
    calls = []
    original = services.render_pdf

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    services.render_pdf = counting
    before = set(GeneratedDocument.objects.values_list("pk", flat=True))
    client = _client(heavy["cookie"])
    try:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.post(
                "/documents/",
                {"kind": "contribution_statement", "year_from": 2001, "year_to": 2010},
            )
            elapsed = time.perf_counter() - started
    finally:
        services.render_pdf = original
    made = GeneratedDocument.objects.exclude(pk__in=before)
    statuses = list(made.values_list("status", flat=True))
    made.delete()  # the next run's documents list stays the same
    return {
        "status": response.status_code,
        "queries": statements(captured),
        "ms": round(elapsed * 1000, 2),
        "render_calls": len(calls),
        "weasyprint_imported": "weasyprint" in sys.modules,
        "document_status": statuses,
    }


# --- login -----------------------------------------------------------------------


def login(iterations: int) -> dict:
    """The authentication path (login_attempt) against a bare Argon2 verify.

    Both with the portal's Argon2 parameters (accounts.hashers), alternately in
    this one process, so they share its CPU and its moment.
    """
    import argon2

    from accounts.hashers import PortalArgon2Hasher
    from accounts.signin.services import login_attempt

    hasher = argon2.PasswordHasher(
        time_cost=PortalArgon2Hasher.time_cost,
        memory_cost=PortalArgon2Hasher.memory_cost,
        parallelism=PortalArgon2Hasher.parallelism,
    )
    raw_hash = hasher.hash(HEAVY_PASSWORD)
    heavy = Member.objects.get(kpj_number=HEAVY_KPJ)
    login_attempt(identifier=HEAVY_KPJ, password=HEAVY_PASSWORD, ip=HOST, user_agent="")
    hasher.verify(raw_hash, HEAVY_PASSWORD)
    raw, auth, auth_queries = [], [], []
    peak_reset()
    for _ in range(iterations):
        started = time.perf_counter()
        hasher.verify(raw_hash, HEAVY_PASSWORD)
        raw.append(time.perf_counter() - started)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = login_attempt(
                identifier=HEAVY_KPJ, password=HEAVY_PASSWORD, ip=HOST, user_agent=""
            )
            auth.append(time.perf_counter() - started)
        if not result.succeeded or result.member.pk != heavy.pk:
            raise SystemExit(f"login_attempt failed: {result.outcome}")
        auth_queries.append(statements(captured))
    auth_peak = peak_mb()
    return {
        "unknown_vs_wrong": _unknown_vs_wrong(login_attempt, heavy, iterations),
        "params": {
            "time_cost": hasher.time_cost,
            "memory_cost_kib": hasher.memory_cost,
            "parallelism": hasher.parallelism,
        },
        "argon2": summary(raw),
        "auth": {**summary(auth), "queries": max(auth_queries), "peak_mb": auth_peak},
        "view": _login_view(max(3, iterations // 2)),
    }


WRONG_PASSWORD = "not-" + HEAVY_PASSWORD
# The failures below come from an address of their own (TEST-NET-3), so that
# the per-address throttle does not turn the login view's POSTs away (429).
FAILING_IP = "203.0.113.7"


def _unknown_vs_wrong(login_attempt, member: Member, iterations: int) -> dict:
    """An unknown account against a wrong password, alternately: both must cost
    one Argon2 hash, or response times tell which accounts exist. Timed here,
    not in the test suite (tests/accounts/test_login.py checks the hasher calls)."""
    unknown, wrong = [], []
    for _ in range(iterations):
        for identifier, samples in (("99999999999", unknown), (HEAVY_KPJ, wrong)):
            started = time.perf_counter()
            login_attempt(
                identifier=identifier,
                password=WRONG_PASSWORD,
                ip=FAILING_IP,
                user_agent="",
            )
            samples.append(time.perf_counter() - started)
        # Five wrong passwords would lock the account the other phases use.
        Member.objects.filter(pk=member.pk).update(failed_login_count=0, locked_at=None)
    LoginEvent.objects.filter(ip=FAILING_IP).delete()  # the next run starts the same
    return {"unknown": summary(unknown), "wrong": summary(wrong)}


def _login_view(iterations: int) -> dict:
    """The whole login POST in-process: CAPTCHA answered from its store, real view."""
    from captcha.models import CaptchaStore

    members = list(
        Member.objects.filter(kpj_number__startswith="70").order_by("-pk")[:iterations]
    )
    times, counts, failures = [], [], 0
    peak_reset()
    for member in members:
        client = Client(HTTP_HOST=HOST)
        key = CaptchaStore.generate_key()
        answer = CaptchaStore.objects.get(hashkey=key).response
        data = {
            "identifier": member.kpj_number,
            "password": MEMBER_PASSWORD,
            "captcha_0": key,
            "captcha_1": answer,
        }
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.post("/accounts/login/", data)
            times.append(time.perf_counter() - started)
        counts.append(statements(captured))
        if response.status_code != 302 or response.url != "/":
            failures += 1
    return {
        **summary(times),
        "queries": max(counts),
        "failures": failures,
        "peak_mb": peak_mb(),
    }


# --- PDF -------------------------------------------------------------------------


def _pages(pdf: bytes) -> int:
    try:
        from pypdf import PdfReader
    except ImportError:
        import re

        return len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    return len(PdfReader(io.BytesIO(pdf)).pages)


class Renders:
    """The four documents: the portal's statement and card, and their bare twins."""

    def __init__(self):
        from documents.content import BUILDERS
        from documents.models import GeneratedDocument

        heavy = Member.objects.get(kpj_number=HEAVY_KPJ)
        today = timezone.localdate()
        self.data, self.documents, self.data_ms = {}, {}, {}
        for name, kind, params in (
            (
                "statement",
                "contribution_statement",
                {"year_from": 2001, "year_to": 2010},
            ),
            ("card", "membership_card", {}),
        ):
            started = time.perf_counter()
            with translation.override("id"):
                self.data[name] = BUILDERS[kind](member=heavy, today=today, **params)
            self.data_ms[name] = round((time.perf_counter() - started) * 1000, 1)
            self.documents[name] = GeneratedDocument(
                member=heavy, kind=kind, params=params, language="id"
            )
        self.bare_html = {
            "bare_table": _bare_table_html(self.data["statement"]),
            "bare_card": _bare_card_html(self.data["card"]),
        }

    def render(self, name: str) -> bytes:
        if name in self.documents:
            from documents.services import render_pdf

            return render_pdf(self.documents[name], self.data[name])
        import weasyprint

        return weasyprint.HTML(
            string=self.bare_html[name], base_url=str(settings.BASE_DIR)
        ).write_pdf()


def _bare_table_html(data: dict) -> str:
    """A plain A4 document with the statement's 120 rows: no template, no QR code."""
    cells = (
        "period",
        "employer__name",
        "wage",
        "jht_employer",
        "jht_employee",
        "jp_employer",
        "jp_employee",
        "jkk",
        "jkm",
        "paid_date",
    )
    rows = "".join(
        "<tr>" + "".join(f"<td>{row[cell]}</td>" for cell in cells) + "</tr>"
        for row in data["rows"]
    )
    head = "".join(f"<th>{cell}</th>" for cell in cells)
    return (
        "<!doctype html><html><head><meta charset='utf-8'><style>"
        "@page { size: A4; margin: 18mm 16mm 20mm; }"
        "body { font-family: 'DejaVu Sans', sans-serif; font-size: 9pt; }"
        "table { width: 100%; border-collapse: collapse; }"
        "th, td { border-bottom: 0.5pt solid #ccc; padding: 2pt 3pt; }"
        "</style></head><body><h1>Contribution statement</h1>"
        f"<p>{data['member']['name']} {data['member']['kpj']}</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
        "</body></html>"
    )


def _bare_card_html(data: dict) -> str:
    return (
        "<!doctype html><html><head><meta charset='utf-8'><style>"
        "@page { size: 85.6mm 53.98mm; margin: 4mm; }"
        "body { font-family: 'DejaVu Sans', sans-serif; font-size: 8pt; }"
        "</style></head><body><h1>BPJS Ketenagakerjaan</h1>"
        f"<p>{data['member']['name']}</p><p>{data['member']['kpj']}</p>"
        f"<p>{' '.join(data['programmes'])}</p><p>{data['as_of']}</p>"
        "</body></html>"
    )


def pdf_warm(iterations: int) -> dict:
    """`iterations` renders of each after one warm-up each, interleaved, so the
    four share the process and the moment; the peak is the highest of a render."""
    renders = Renders()
    pages = {name: _pages(renders.render(name)) for name in PDF_KINDS}
    times = {name: [] for name in PDF_KINDS}
    peaks = dict.fromkeys(PDF_KINDS, 0.0)
    for _ in range(iterations):
        for name in PDF_KINDS:
            peak_reset()
            started = time.perf_counter()
            renders.render(name)
            times[name].append(time.perf_counter() - started)
            peaks[name] = max(peaks[name], peak_mb())
    results = {
        name: {**summary(times[name]), "pages": pages[name], "peak_mb": peaks[name]}
        for name in PDF_KINDS
    }
    results["data_ms"] = renders.data_ms
    return results


def pdf_cold(name: str) -> dict:
    """The first render of this fresh process, WeasyPrint's import and set-up too."""
    already = "weasyprint" in sys.modules
    renders = Renders()
    started = time.perf_counter()
    pdf = renders.render(name)
    elapsed = time.perf_counter() - started
    return {
        "ms": round(elapsed * 1000, 1),
        "pages": _pages(pdf),
        "peak_mb": peak_mb(),
        "weasyprint_preloaded": already,
    }


# --- import ----------------------------------------------------------------------


def import_file(path: str) -> dict:
    """manage.py import_contributions FILE, timed without Django's start-up."""
    from django.core.management import call_command

    out = io.StringIO()
    peak_reset()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        call_command("import_contributions", path, stdout=out, verbosity=0)
        elapsed = time.perf_counter() - started
    counts = dict(
        part.strip().split(": ") for part in out.getvalue().strip().split(",")
    )
    return {
        "seconds": round(elapsed, 3),
        "rows": int(counts["rows"]),
        "inserted": int(counts["inserted"]),
        "queries": statements(captured),
        "peak_mb": peak_mb(),
    }


MONEY = [column for column in COLUMNS if column not in {"npp", "kpj", "nik", "period"}]
MONEY.remove("paid_date")
_COPY_CHUNK = 1 << 20


def copy_baseline(mode: str, path: str) -> dict:
    """PostgreSQL's own COPY of the same rows into a similar table, then dropped.

    csv:   the same file into a table of its own columns, typed, with the
           contributions table's constraints and indexes on the same keys
           (unique npp+kpj+period, kpj+period, kpj, npp, checks, foreign keys
           to the member's KPJ and the employer's NPP).
    table: the same rows in contributions_contribution's own shape (ids
           resolved) into LIKE contributions_contribution INCLUDING ALL, plus
           its two foreign keys: the bare cost of storing them.
    """
    table = f"bench_copy_{mode}"
    non_negative = " AND ".join(f"{column} >= 0" for column in MONEY)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        if mode == "csv":
            money = ", ".join(f"{column} bigint NOT NULL" for column in MONEY)
            cursor.execute(
                f"""
                CREATE TABLE {table} (
                    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                    npp varchar(20) NOT NULL REFERENCES contributions_employer (npp)
                        DEFERRABLE INITIALLY DEFERRED,
                    kpj varchar(11) NOT NULL REFERENCES accounts_member (kpj_number)
                        DEFERRABLE INITIALLY DEFERRED,
                    nik varchar(16) NOT NULL,
                    period varchar(7) NOT NULL
                        CHECK (period ~ '^[1-9][0-9]{{3}}-(0[1-9]|1[0-2])$'),
                    {money},
                    paid_date date,
                    CHECK ({non_negative}),
                    UNIQUE (kpj, npp, period)
                )
                """
            )
            cursor.execute(f"CREATE INDEX ON {table} (kpj, period DESC)")
            cursor.execute(f"CREATE INDEX ON {table} (kpj)")
            cursor.execute(f"CREATE INDEX ON {table} (npp)")
            statement = (
                f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN "
                "WITH (FORMAT csv, HEADER true)"
            )
        else:
            cursor.execute(
                f"CREATE TABLE {table} (LIKE contributions_contribution INCLUDING ALL)"
            )
            cursor.execute(
                f"ALTER TABLE {table} ADD FOREIGN KEY (member_id) "
                "REFERENCES accounts_member (id) DEFERRABLE INITIALLY DEFERRED, "
                "ADD FOREIGN KEY (employer_id) "
                "REFERENCES contributions_employer (id) DEFERRABLE INITIALLY DEFERRED"
            )
            columns = ", ".join(
                ["member_id", "employer_id", "period", "wage"]
                + [*Contribution.AMOUNT_FIELDS, "paid_date"]
            )
            statement = f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)"
    peak_reset()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor, open(path, "rb") as file:
        with cursor.copy(statement) as copy:
            while chunk := file.read(_COPY_CHUNK):
                copy.write(chunk)
        rows = cursor.rowcount
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
        stored = cursor.fetchone()[0]
        cursor.execute(f"DROP TABLE {table}")
    return {
        "seconds": round(elapsed, 3),
        "rows": rows,
        "stored": stored,
        "peak_mb": peak_mb(),
    }


@contextmanager
def _stdout_clean():
    """Keep stray prints (mail backends, warnings) out of the JSON on stdout."""
    real = sys.stdout
    sys.stdout = sys.stderr
    try:
        yield real
    finally:
        sys.stdout = real


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.measure")
    parser.add_argument(
        "command",
        choices=["queries", "login", "pdf-warm", "pdf-cold", "import", "copy"],
    )
    parser.add_argument("args", nargs="*")
    args = parser.parse_args()
    with _stdout_clean() as out:
        if args.command == "queries":
            result = queries(*args.args)
        elif args.command == "login":
            result = login(int(args.args[0]))
        elif args.command == "pdf-warm":
            result = pdf_warm(int(args.args[0]))
        elif args.command == "pdf-cold":
            result = pdf_cold(args.args[0])
        elif args.command == "import":
            result = import_file(args.args[0])
        else:
            result = copy_baseline(*args.args)
    json.dump(result, out, default=str)
    out.write("\n")


if __name__ == "__main__":
    main()
