#!/usr/bin/env bash
# Indexing time of two akhbar builds on the same corpus, runs interleaved (A B A B …) so a
# busy machine slows both alike; prints each run and the medians of wall seconds, CPU seconds
# (user + system) and peak RSS, and the ratios B / A.
#
#   tools/index-ab.sh A_BINARY B_BINARY [RUNS] [CORPUS_PATH…]     (from the project root)
#
# Default: 3 runs each over the shared corpora's JSON Lines folders, 2 indexing threads
# (AKHBAR_AB_THREADS), a fresh index each run (--rebuild into a temp folder).
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 A_BINARY B_BINARY [RUNS] [CORPUS_PATH…]" >&2; exit 2; }
a=$(realpath "$1"); b=$(realpath "$2"); shift 2
runs=3
if [ $# -gt 0 ] && [[ $1 =~ ^[0-9]+$ ]]; then runs=$1; shift; fi
root=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -eq 0 ]; then
  shared="$root/../shared/corpora"
  [ -d "$shared/ant-multisource" ] || { echo "index-ab: no ../shared/corpora; name a corpus" >&2; exit 2; }
  set -- "$shared/ant-multisource" "$shared/ant-jawharafm" "$shared/saudinewsnet"
fi
threads=${AKHBAR_AB_THREADS:-2}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
one() { # BINARY LABEL
  /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$1" index "${@:3}" --index "$tmp/idx-$2" \
    --rebuild --threads "$threads" --quiet --json >"$tmp/out-$2.json" 2>"$tmp/err-$2" \
    || { echo "index-ab: $2 failed:" >&2; tail -5 "$tmp/err-$2" >&2; exit 1; }
  read -r wall user sys rss <"$tmp/time"
  cpu=$(python3 -c "print(round($user + $sys, 2))")
  echo "$2 wall ${wall}s cpu ${cpu}s peak $((rss / 1024)) MiB"
  echo "$2 $wall $cpu $rss" >>"$tmp/all"
  rm -rf "$tmp/idx-$2"
}
for i in $(seq 1 "$runs"); do
  one "$a" A "$@"
  one "$b" B "$@"
done
python3 - "$tmp/all" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med = {}
for label in ("A", "B"):
    r = [x for x in rows if x[0] == label]
    med[label] = [statistics.median(float(x[i]) for x in r) for i in (1, 2, 3)]
    w, c, m = med[label]
    print(f"median {label}: wall {w:.2f} s, cpu {c:.2f} s, peak {m / 1024:.0f} MiB")
(wa, ca, ma), (wb, cb, mb) = med["A"], med["B"]
print(f"B / A: wall {wb / wa:.3f}, cpu {cb / ca:.3f}, peak {mb / ma:.3f}")
PY
