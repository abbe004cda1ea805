#!/usr/bin/env python3
"""Paired comparison of two rankers from `train_ranker --ranks FILE`.

Each line: kind<TAB>outlet<TAB>n<TAB>RR shipped<TAB>RR trained. For each
kind, over the held-out outlets (not "trained on"), the mean MRR@10 of
each outlet's queries averaged over outlets, the difference and a 95%
interval from a paired bootstrap of the queries (within each outlet; a
fixed seed, so the same every run).
Usage: paired_rr.py RANKS.tsv [--rounds 2000]
"""
import random
import sys


def main():
    rows = {}
    for line in open(sys.argv[1], encoding="utf-8"):
        kind, outlet, _, a, b = line.rstrip("\n").split("\t")
        if outlet == "trained on" or outlet.endswith("(val.)"):
            continue
        rows.setdefault(kind, {}).setdefault(outlet, []).append(float(b) - float(a))
    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 2000
    rng = random.Random(30)
    for kind, outlets in sorted(rows.items()):
        mean = sum(sum(d) / len(d) for d in outlets.values()) / len(outlets)
        draws = []
        for _ in range(rounds):
            total = 0.0
            for d in outlets.values():
                total += sum(d[rng.randrange(len(d))] for _ in d) / len(d)
            draws.append(total / len(outlets))
        draws.sort()
        lo, hi = draws[int(0.025 * rounds)], draws[int(0.975 * rounds) - 1]
        changed = sum(1 for d in outlets.values() for x in d if x != 0)
        n = sum(len(d) for d in outlets.values())
        print(f"{kind}: {n} held-out queries ({changed} change rank), trained - shipped "
              f"{mean:+.4f}, 95% interval [{lo:+.4f}, {hi:+.4f}]")


if __name__ == "__main__":
    main()
