#!/usr/bin/env python3
"""Query latency of akhbar builds through `search --stdin --json`, as a peer harness sees it.

    tools/search-ab.py INDEX QUERIES RUNS A_BINARY [B_BINARY …] [-- EXTRA SEARCH FLAGS]

Every binary serves the same index from its own `search --stdin --index INDEX --json --limit 10
--op or` process (default extra flags: --no-snippets); after three warm-up passes each query
goes to every process in turn, the order reversed every other run, so a busy machine slows all
alike. Prints, per binary, the round trip's p50/p95 (write the query, read and parse the JSON
line) and the engine's own took_ms p50/p95, and the round trip's p50 over the first binary's.
QUERIES: one query a line or id<TAB>query; '#' lines are skipped.
"""
import json
import statistics
import subprocess
import sys
import time


def main():
    args = sys.argv[1:]
    extra = ["--no-snippets"]
    if "--" in args:
        extra = args[args.index("--") + 1:]
        args = args[:args.index("--")]
    if len(args) < 4:
        sys.exit(__doc__)
    index, queries_file, runs, binaries = args[0], args[1], int(args[2]), args[3:]
    queries = []
    for line in open(queries_file, encoding="utf-8"):
        if line.strip() and not line.startswith("#"):
            queries.append(line.rstrip("\n").split("\t", 1)[-1])
    procs = [subprocess.Popen([b, "search", "--stdin", "--index", index, "--json", "--limit", "10",
                               "--op", "or", *extra], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
             for b in binaries]

    def ask(proc, query):
        proc.stdin.write((query + "\n").encode("utf-8"))
        proc.stdin.flush()
        return json.loads(proc.stdout.readline())

    for proc in procs:
        for _ in range(3):
            for q in queries:
                ask(proc, q)
    trip = [[] for _ in procs]
    took = [[] for _ in procs]
    for run in range(runs):
        order = list(range(len(procs)))
        if run % 2:
            order.reverse()
        for q in queries:
            for i in order:
                t = time.perf_counter_ns()
                answer = ask(procs[i], q)
                trip[i].append((time.perf_counter_ns() - t) / 1e6)
                took[i].append(answer.get("took_ms", 0.0))
    for proc in procs:
        proc.stdin.close()
        proc.wait()

    def p95(xs):
        return sorted(xs)[int(len(xs) * 0.95)]

    base = statistics.median(trip[0])
    for i, b in enumerate(binaries):
        print(f"{b}: round trip p50 {statistics.median(trip[i]):.3f} ms, p95 {p95(trip[i]):.3f} ms; "
              f"engine p50 {statistics.median(took[i]):.3f} ms, p95 {p95(took[i]):.3f} ms; "
              f"p50 / first {statistics.median(trip[i]) / base:.3f}")


if __name__ == "__main__":
    main()
