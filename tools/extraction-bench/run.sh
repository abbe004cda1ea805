#!/usr/bin/env bash
# akhbar's main-text extraction on ../shared/extraction-benchmark (181 real web
# pages with human-written article bodies), beside the stored outputs of the
# other extractors, scored by the benchmark's own evaluate.py; and speed:
#
#   1. extraction alone, one thread (examples/extraction.rs: charset, parse,
#      metadata, main text), pages/s;
#   2. `akhbar index --threads 1` of the 181 pages (reading, extraction,
#      analysis, indexing), pages/s, and the same with BASELINE (an older
#      akhbar binary) in the same run, as a ratio;
#   3. with --peers, the maintained Rust crates rs-trafilatura 0.2.2 and
#      dom_smoothie 0.14.0 on the same pages, one thread (tools/extraction-bench/
#      peers, built on first use), scored and timed beside akhbar.
#
#   bash tools/extraction-bench/run.sh [--peers] [--baseline BASELINE_AKHBAR]
#
# From the project root, after `cargo build --release`. Needs python3. Prints
# a message and exits 0 when the benchmark folder is absent.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bench="${EXTRACTION_BENCHMARK:-$root/../shared/extraction-benchmark}"
if [ ! -f "$bench/evaluate.py" ]; then
  echo "extraction-bench: skipped, no benchmark at $bench (set EXTRACTION_BENCHMARK)"; exit 0
fi
peers=0; baseline=""
while [ $# -gt 0 ]; do
  case "$1" in
    --peers) peers=1 ;;
    --baseline) baseline="$2"; shift ;;
    *) echo "usage: $0 [--peers] [--baseline AKHBAR]" >&2; exit 2 ;;
  esac
  shift
done
akhbar="$root/target/release/akhbar"
target="${CARGO_TARGET_DIR:-$root/target}"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
mkdir -p "$T/pages" "$T/eval/output"
for f in "$bench"/html/*.html.gz; do zcat "$f" > "$T/pages/$(basename "$f" .gz)"; done
n=$(ls "$T/pages" | wc -l)

echo "== extraction alone (one thread)"
(cd "$root" && cargo run -q --release --example extraction -- "$T/pages" --rounds 3 --out "$T/eval/output/akhbar.json")
if [ "$peers" = 1 ]; then
  cargo build -q --release --manifest-path "$here/peers/Cargo.toml" --target-dir "$target/extraction-peers"
  for p in rs_trafilatura dom_smoothie; do
    "$target/extraction-peers/release/extraction-peers" "$p" "$T/pages" "$T/eval/output/${p}_crate.json"
  done
fi

echo "== akhbar index --threads 1 of the $n pages (best of 3)"
index_rate() {  # BINARY -> pages/s
  local best=0
  for _ in 1 2 3; do
    rm -rf "$T/index"
    local s; s=$("$1" index "$T/pages" --index "$T/index" --threads 1 --quiet --json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["elapsed_secs"])')
    best=$(python3 -c "print(max($best, $n / $s))")
  done
  echo "$best"
}
new=$(index_rate "$akhbar")
printf '  akhbar (this tree)   %6.0f pages/s\n' "$new"
if [ -n "$baseline" ]; then
  old=$(index_rate "$baseline")
  printf '  baseline %-12s %6.0f pages/s   ratio this/baseline %.2f\n' "" "$old" "$(python3 -c "print($new / $old)")"
fi

echo "== quality (evaluate.py, 1000 bootstrap rounds; the others are the benchmark's stored outputs)"
cp "$bench"/reference-outputs/*.json "$T/eval/output/"
cp "$bench/evaluate.py" "$T/eval/"; ln -s "$bench/ground-truth.json" "$T/eval/ground-truth.json"
python3 - "$T/eval/output/akhbar.json" <<'PY'
import json, sys
out = json.load(open(sys.argv[1], encoding="utf-8"))["output"]
empty = sum(1 for v in out.values() if not v["articleBody"].strip())
print(f"akhbar: {empty} of {len(out)} pages with an empty body")
PY
(cd "$T/eval" && python3 evaluate.py --n-bootstrap 1000)
