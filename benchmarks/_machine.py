"""One line describing the machine a benchmark ran on (shared by every benchmarks/*.py).

Benchmark tables are only comparable with the machine beside them: date, CPU model,
cores, memory, Python and the load average (other jobs inflate wall times).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
from pathlib import Path


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo, or the platform's processor string."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def machine(**versions: str) -> str:
    """Date, CPU, cores, RAM, Python, the given package versions and the load average."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    packages = "".join(f"; {name} {version}" for name, version in versions.items())
    return (f"{dt.date.today().isoformat()}; {cpu_model()}, {os.cpu_count()} cores, "
            f"{memory:.0f} GiB RAM; Python {platform.python_version()}{packages}; "
            f"load average {os.getloadavg()[0]:.1f}")
