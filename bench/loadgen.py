"""A bounded load on one URL: wrk (Debian's) or, without it, a Python fallback.

Requests rotate over a list of Cookie headers (one session each), so the
load looks like many signed-in members, not one browser hammering. Every
response that is not 200 counts as failed: a redirect to the login page is a
failure here, although wrk itself would count a 3xx as fine.
"""

import http.client
import os
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

LUA = """\
-- bench/loadgen.py: rotate session cookies, count non-200 answers, report.
local keys = {}
local threads = {}
local next_key = 0
bad = 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then table.insert(keys, line) end
  end
  path = args[2]
  next_key = math.random(#keys)
end

function request()
  next_key = next_key % #keys + 1
  local headers = {}
  if keys[next_key] ~= "-" then
    headers["Cookie"] = keys[next_key]
  end
  return wrk.format("GET", path, headers)
end

function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local failed = 0
  for _, thread in ipairs(threads) do failed = failed + thread:get("bad") end
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d mean_us=%d " ..
    "max_us=%d bad=%d connect=%d read=%d write=%d status=%d timeout=%d\\n",
    summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(99), latency.mean, latency.max, failed,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


@dataclass
class LoadResult:
    tool: str
    requests: int
    seconds: float
    p50_ms: float | None  # None: no response came back within the run
    p99_ms: float | None
    failed: int  # non-200 answers plus socket errors and timeouts
    errors: dict = field(default_factory=dict)

    @property
    def req_per_s(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def ensure_wrk() -> str | None:
    """wrk's path, installing Debian's package when we may; None: use Python."""
    if path := shutil.which("wrk"):
        return path
    if os.environ.get("BENCH_NO_WRK"):
        return None
    apt = shutil.which("apt-get")
    if apt and os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        quiet = {"env": env, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        install = [apt, "install", "-y", "-qq", "wrk"]
        if subprocess.call(install, **quiet) != 0:  # noqa: S603
            subprocess.call([apt, "update", "-qq"], **quiet)  # noqa: S603
            subprocess.call(install, **quiet)  # noqa: S603
    return shutil.which("wrk")


def run_load(
    *,
    wrk: str | None,
    port: int,
    path: str,
    cookies_file: Path,
    seconds: float,
    threads: int,
    connections: int,
    work: Path,
) -> LoadResult:
    if wrk:
        return _wrk(wrk, port, path, cookies_file, seconds, threads, connections, work)
    return _python(port, path, cookies_file, seconds, connections)


def _wrk(wrk, port, path, cookies_file, seconds, threads, connections, work):
    script = work / "bench.lua"
    script.write_text(LUA)
    command = [
        wrk,
        f"--threads={threads}",
        f"--connections={max(connections, threads)}",
        f"--duration={max(1, round(seconds))}s",
        "--timeout=30s",
        "--latency",
        f"--script={script}",
        f"http://127.0.0.1:{port}{path}",
        "--",
        str(cookies_file),
        path,
    ]
    done = subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, check=False, timeout=seconds + 60
    )
    match = re.search(r"^BENCH (.*)$", done.stdout, re.MULTILINE)
    if done.returncode != 0 or not match:
        raise RuntimeError(
            f"wrk failed ({done.returncode}): {done.stdout}{done.stderr}"
        )
    values = {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", match[1])}
    errors = {
        key: values[key]
        for key in ("connect", "read", "write", "timeout")
        if values[key]
    }
    answered = values["requests"] > 0
    return LoadResult(
        tool="wrk",
        requests=values["requests"],
        seconds=values["duration_us"] / 1e6,
        p50_ms=values["p50_us"] / 1000 if answered else None,
        p99_ms=values["p99_us"] / 1000 if answered else None,
        failed=values["bad"] + sum(errors.values()),
        errors=errors,
    )


def _python(port, path, cookies_file, seconds, connections) -> LoadResult:
    """The fallback: one thread per connection, a new connection per request
    (gunicorn's sync workers close each one anyway)."""
    keys = [line for line in cookies_file.read_text().splitlines() if line]
    latencies: list[float] = []
    failures: list[int] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(offset: int) -> None:
        n = offset
        mine, bad = [], 0
        while time.perf_counter() < deadline:
            key = keys[n % len(keys)]
            n += 1
            headers = {"Host": "127.0.0.1"}
            if key != "-":
                headers["Cookie"] = key
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                conn.close()
                ok = response.status == 200
            except OSError:
                ok = False
            mine.append(time.perf_counter() - started)
            bad += not ok
        with lock:
            latencies.extend(mine)
            failures.append(bad)

    started = time.perf_counter()
    workers = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)

    def pick(q: float) -> float | None:
        if not ordered:
            return None
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return LoadResult(
        tool="python",
        requests=len(latencies),
        seconds=elapsed,
        p50_ms=pick(0.50),
        p99_ms=pick(0.99),
        failed=sum(failures),
    )
