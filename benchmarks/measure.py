"""How the benchmarks measure a step: CPU seconds, and the resident memory it adds."""

from __future__ import annotations

import re
import resource
import time
from pathlib import Path

_STATUS = Path("/proc/self/status")


def peak_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _resident(field: str) -> int | None:
    try:
        found = re.search(rf"{field}:\s+(\d+) kB", _STATUS.read_text())
    except OSError:
        return None
    return int(found.group(1)) * 1024 if found else None


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measured(call) -> tuple[float, float, int | None]:
    """(wall seconds, CPU seconds, peak resident bytes added) of `call()`; the memory is None where
    Linux's counters are absent. CPU time (user + system) is steadier than wall time on a shared machine."""
    try:
        Path("/proc/self/clear_refs").write_text("5")   # resets the peak (VmHWM) to the current size
    except OSError:
        pass
    before = _resident("VmRSS")
    began, cpu = time.perf_counter(), cpu_seconds()
    call()
    seconds, cpu = time.perf_counter() - began, cpu_seconds() - cpu
    peak = _resident("VmHWM")
    return seconds, cpu, (peak - before if peak is not None and before is not None else None)
