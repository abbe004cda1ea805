#!/usr/bin/env bash
# Issue 32's measurement: the same articles as JSON Lines, CSV and Parquet
# (written by tools/tables/make.py into DATA/jsonl, DATA/csv, DATA/parquet),
# each indexed into a fresh index, the formats alternated ROUNDS times in one
# run; prints wall, CPU (user+sys) and peak RSS per run, then medians and the
# CPU ratio against JSON Lines.
#
# usage: tools/tables/bench.sh AKHBAR DATA [ROUNDS]
set -euo pipefail
akhbar=$1
data=$2
rounds=${3:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'round\tformat\tarticles\twall_s\tcpu_s\tpeak_rss_mib\n'
for round in $(seq 1 "$rounds"); do
  for fmt in jsonl csv parquet; do
    [ -d "$data/$fmt" ] || continue
    rm -rf "$work/idx"
    /usr/bin/time -f '%e %U %S %M' -o "$work/time" \
      "$akhbar" index "$data/$fmt" --index "$work/idx" --quiet --json >"$work/summary.json"
    read -r wall user sys rss <"$work/time"
    articles=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["articles_total"])' "$work/summary.json")
    printf '%s\t%s\t%s\t%s\t%.1f\t%d\n' "$round" "$fmt" "$articles" "$wall" \
      "$(echo "$user + $sys" | bc)" "$((rss / 1024))" | tee -a "$work/runs.tsv"
  done
done
python3 - "$work/runs.tsv" <<'PY'
import statistics, sys
rows = [l.split("\t") for l in open(sys.argv[1]) if l.strip()]
by = {}
for r in rows:
    by.setdefault(r[1], []).append((float(r[3]), float(r[4]), int(r[5])))
med = {f: [statistics.median(x[i] for x in v) for i in range(3)] for f, v in by.items()}
base = med.get("jsonl")
print("\nformat\tmedian wall\tmedian CPU\tpeak RSS\tspeed vs JSONL (CPU)\tspeed vs JSONL (wall)")
for f, (w, c, m) in med.items():
    rc = f"{base[1] / c:.2f}" if base else "-"
    rw = f"{base[0] / w:.2f}" if base else "-"
    print(f"{f}\t{w:.1f} s\t{c:.1f} s\t{m:.0f} MiB\t{rc}\t{rw}")
PY
