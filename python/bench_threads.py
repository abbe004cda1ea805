"""Searches from 1, 2 and 4 Python threads against 1 and 2 `akhbar search
--stdin` processes, alternated in the same minutes (on a shared machine the
cores free for a run change from minute to minute, so the processes are the
baseline for what the threads may reach).

    python python/bench_threads.py INDEX [--akhbar target/release/akhbar] [--trials 6]

The queries are bench/queries.tsv, eight times over; each figure is the
median of the trials' wall times.
"""

import argparse
import os
import statistics
import subprocess
import threading
import time
import warnings
from pathlib import Path

import akhbar

REPO = Path(__file__).resolve().parents[1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("index")
    ap.add_argument("--akhbar", default=str(REPO / "target" / "release" / "akhbar"))
    ap.add_argument("--trials", type=int, default=6)
    args = ap.parse_args()
    warnings.simplefilter("ignore", akhbar.Note)
    queries = [
        line.split("\t", 1)[1]
        for line in (REPO / "bench" / "queries.tsv").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    work = queries * 8
    index = akhbar.Index(args.index)

    def threads(n):
        chunks = [work[k::n] for k in range(n)]
        started = time.perf_counter()
        pool = [threading.Thread(target=lambda c=c: [index.search(q) for q in c]) for c in chunks]
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        return time.perf_counter() - started

    def processes(n):
        command = [args.akhbar, "search", "--stdin", "--json", "--index", args.index]
        started = time.perf_counter()
        running = [subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL) for _ in range(n)]
        for k, p in enumerate(running):
            p.stdin.write(("\n".join(work[k::n]) + "\n").encode())
            p.stdin.close()
        for p in running:
            if p.wait() != 0:
                raise SystemExit(f"{command} failed")
        return time.perf_counter() - started

    runs = {"threads 1": lambda: threads(1), "threads 2": lambda: threads(2),
            "threads 4": lambda: threads(4), "processes 1": lambda: processes(1),
            "processes 2": lambda: processes(2)}
    for run in runs.values():
        run()  # warm the caches
    times = {name: [] for name in runs}
    for _ in range(args.trials):
        for name, run in runs.items():
            times[name].append(run())
    median = {name: statistics.median(t) for name, t in times.items()}
    for name, t in median.items():
        print(f"{name:12} {t:.3f} s")
    print(
        f"{len(work)} searches: Python 2 threads {median['threads 1'] / median['threads 2']:.2f}x, "
        f"4 threads {median['threads 1'] / median['threads 4']:.2f}x; akhbar search --stdin, "
        f"2 processes {median['processes 1'] / median['processes 2']:.2f}x "
        f"(cores {os.cpu_count()}, load {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    main()
