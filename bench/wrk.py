"""Drive bounded load with wrk (Debian's ``wrk`` package) and read its figures.

A Lua script sets the ``Authorization`` header and, when the run ends,
prints one JSON line with the request count, the duration, the 50th and
99th latency percentiles and the errors, so nothing depends on wrk's
human-readable output.
"""

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SCRIPT = """
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d,'
    .. ' "connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.connect, errors.read, errors.write, errors.status, errors.timeout))
end
"""


@dataclass(frozen=True)
class Run:
    """What one wrk run measured."""

    requests: int
    seconds: float
    p50: float
    p99: float
    errors: int
    non_2xx: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


def available() -> str | None:
    """Return the path of wrk, or ``None`` when it is not installed."""
    return shutil.which("wrk")


def version() -> str:
    path = available()
    if path is None:
        return "not installed"
    output = subprocess.run([path, "--version"], capture_output=True, text=True).stdout
    return output.split("Copyright")[0].strip() or "unknown"


def script(directory: Path) -> Path:
    path = directory / "bench.lua"
    path.write_text(SCRIPT)
    return path


def run(
    url: str, token: str, seconds: float, connections: int, threads: int, directory: Path
) -> Run:
    """Load ``url`` for ``seconds`` with ``connections`` open connections; return the figures."""
    command = [
        available() or "wrk",
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={seconds:g}s",
        "--timeout=10s",
        f"--script={script(directory)}",
        url,
    ]
    completed = subprocess.run(
        command,
        capture_output=True,
        text=True,
        env={"BENCH_TOKEN": token, "PATH": "/usr/bin:/bin"},
        timeout=seconds + 60,
        check=True,
    )
    line = next(line for line in completed.stdout.splitlines() if line.startswith("BENCH "))
    data = json.loads(line[len("BENCH ") :])
    return Run(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50=data["p50_us"] / 1e6,
        p99=data["p99_us"] / 1e6,
        errors=data["connect"] + data["read"] + data["write"] + data["timeout"],
        non_2xx=data["status"],
    )
