"""Describe the machine and the versions a run measured."""

import os
import platform
import sqlite3
import sys
from importlib.metadata import PackageNotFoundError, version

PACKAGES = [
    "django-jwt-ext",
    "Django",
    "djangorestframework",
    "PyJWT",
    "cryptography",
    "Flask",
    "Flask-JWT-Extended",
    "djangorestframework-simplejwt",
    "gunicorn",
    "psycopg",
]


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory() -> str:
    try:
        with open("/proc/meminfo", encoding="utf-8") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def load_average() -> str:
    """Return the 1, 5 and 15 minute load averages: other work shows in the figures."""
    if not hasattr(os, "getloadavg"):
        return "unknown"
    return ", ".join(f"{load:.2f}" for load in os.getloadavg())


def describe() -> list[str]:
    """Return ``name: value`` lines describing this machine and the software measured."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    lines = [
        f"CPU: {cpu_model()}, {cpus} usable core(s) (nproc)",
        f"RAM: {memory()}",
        f"OS: {platform.system()} {platform.release()} ({platform.machine()})",
        f"Python: {sys.version.split()[0]} ({platform.python_implementation()})",
        f"SQLite: {sqlite3.sqlite_version}",
    ]
    lines.append(f"Load average at start (1, 5, 15 min): {load_average()}")
    lines += [f"{name}: {package_version(name)}" for name in PACKAGES]
    return lines
