#!/usr/bin/env bash
# Query latency of akhbar builds beside Lucene in one session, through ../shared/peers: Lucene's
# index is built once, then ROUNDS rounds, each one search round of Lucene (in-process, pyjnius)
# and then of each akhbar binary (`search --stdin --json --no-snippets` over AKHBAR_INDEX, built
# beforehand with `akhbar index ../shared/corpora --index AKHBAR_INDEX`), 3 passes over the
# peers queries each; prints each round's p50 and the medians, and whether the binaries' top-10
# ids agree with the first one's.
#
#   tools/peers-rounds.sh OUT_DIR ROUNDS AKHBAR_INDEX A_BINARY [B_BINARY …]     (from the project root)
#
# Needs the peers venv (bash ../shared/peers/setup.sh; PEERS_HOME, default ../peers-scratch).
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: $0 OUT_DIR ROUNDS AKHBAR_INDEX A_BINARY [B_BINARY …]" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(realpath -m "$1"); rounds=$2; index=$(realpath "$3"); shift 3
peers="$root/../shared/peers"
py="${PEERS_HOME:-$root/../peers-scratch}/venv/bin/python"
mkdir -p "$out"
cd "$peers"
common=(--corpus ../corpora --queries queries/ar-news-v1.tsv --op or --threads 2 --reps 3)
[ -d "$out/lucene-index" ] || "$py" bench.py "${common[@]}" --engine lucene-ar --index-runs 1 \
  --search-runs 1 --index-dir "$out/lucene-index" --out "$out/lucene-build.json" > "$out/lucene-build.log" 2>&1
for r in $(seq 1 "$rounds"); do
  "$py" bench.py "${common[@]}" --engine lucene-ar --skip-index --search-runs 1 \
    --index-dir "$out/lucene-index" --out "$out/lucene-r$r.json" > "$out/lucene-r$r.log" 2>&1
  n=0
  for bin in "$@"; do
    n=$((n + 1)); a=$(realpath "$root/$bin" 2>/dev/null || realpath "$bin")
    "$py" bench.py "${common[@]}" --engine cmd --cmd-name "akhbar$n" --skip-index --search-runs 1 \
      --index-dir "$index" --index-cmd "$a index {corpus} --index {index} --quiet --threads {threads}" \
      --serve-cmd "$a search --stdin --index {index} --json --limit {k} --op or --no-snippets" \
      --out "$out/akhbar$n-r$r.json" > "$out/akhbar$n-r$r.log" 2>&1
  done
done
python3 - "$out" "$@" <<'PY'
import glob, json, re, statistics, sys
out, binaries = sys.argv[1], sys.argv[2:]
rows, tops = {}, {}
for f in sorted(glob.glob(out + "/*-r*.json")):
    name, r = re.match(r".*/(.*)-r(\d+)\.json$", f).groups()
    s = json.load(open(f))["search"]
    rows.setdefault(name, []).append((int(r), s["median"]["p50_ms"], s["median"]["p95_ms"],
                                      s["median"].get("engine_took_p50_ms")))
    tops.setdefault(name, {}).update({q["id"]: q["top"] for q in s["per_query"]})
for name in sorted(rows, key=lambda n: (n != "lucene", n)):
    rs = sorted(rows[name])
    label = name if name == "lucene" else f"{name} ({binaries[int(name[6:]) - 1]})"
    line = f"{label}: p50 by round {' '.join(f'{x[1]:.3f}' for x in rs)}; median p50 " \
           f"{statistics.median(x[1] for x in rs):.3f} ms, p95 {statistics.median(x[2] for x in rs):.3f} ms"
    if rs[0][3] is not None:
        line += f", engine p50 {statistics.median(x[3] for x in rs):.3f} ms"
    print(line)
for name in sorted(tops):
    if name.startswith("akhbar") and name != "akhbar1":
        same = sum(tops[name][q] == tops["akhbar1"][q] for q in tops[name])
        print(f"top-10 ids of {name} as akhbar1's: {same}/{len(tops[name])} queries")
PY
