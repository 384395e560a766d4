"""Run one command and record its own peak RSS: ``python bench/peak_rss.py OUTFILE CMD...``.

Why a separate small process: until ``exec``, a child started by ``subprocess`` runs in its
parent's address space, and Linux folds that space's high-water mark into the child's
``ru_maxrss``. Measured straight from a big parent (pytest after a few hundred tests, ~440 MB)
the crawl "peaked" at the parent's size. Started from this ~10 MB process instead, the kernel's
figure is the command's own. Run by path, so it imports nothing of the project.

OUTFILE receives ``<peak KiB> <exit code>``; this process exits with the command's code.
"""

import os
import subprocess
import sys


def main() -> int:
    out, cmd = sys.argv[1], sys.argv[2:]
    proc = subprocess.Popen(cmd)
    while True:
        try:
            _, status, usage = os.wait4(proc.pid, 0)
            break
        except InterruptedError:  # pragma: no cover - PEP 475 retries, kept for clarity
            continue
    code = os.waitstatus_to_exitcode(status)
    with open(out, "w") as fh:
        fh.write(f"{usage.ru_maxrss} {code}\n")
    return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(main())
