#!/usr/bin/env bash
# Checks an `akhbar export opensearch` folder with Lucene 9.9 (see
# LuceneCheck.java): token agreement with `akhbar analyze --batch`, and,
# with --queries and --akhbar-index, hit counts of translated queries.
#
#   tools/lucene-check/run.sh EXPORT_DIR [--limit N] [--queries FILE --akhbar-index DIR]
#
# Needs javac/java 17+ and the Lucene jar the shared peers setup installs
# (Anserini's fat jar, inside pyserini, under $PEERS_HOME); set LUCENE_JAR to use another jar
# with lucene-core, lucene-analysis-common and jackson-databind, and
# AKHBAR_BIN for another akhbar binary (default: target/release/akhbar,
# else target/debug/akhbar). Prints a message and exits 0 when Java or the
# jar is missing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# The peers rig's scratch folder: $PEERS_HOME, else `peers-scratch` beside the shared folder
# (../shared beside the project), as ../shared/peers/setup.sh installs it.
peers="${PEERS_HOME:-$root/../shared/../peers-scratch}"
jar="${LUCENE_JAR:-$peers/venv/lib/python3.11/site-packages/pyserini/resources/jars/anserini-1.7.1-fatjar.jar}"
if ! command -v javac >/dev/null || ! command -v java >/dev/null; then
  echo "lucene-check: skipped, no javac/java on PATH"; exit 0
fi
if [ ! -f "$jar" ]; then
  echo "lucene-check: skipped, no Lucene jar (run ../shared/peers/setup.sh or set LUCENE_JAR)"; exit 0
fi
[ $# -ge 1 ] || { echo "usage: $0 EXPORT_DIR [--limit N] [--queries FILE --akhbar-index DIR]" >&2; exit 2; }
bin="${AKHBAR_BIN:-}"
if [ -z "$bin" ]; then
  bin="$root/target/release/akhbar"; [ -x "$bin" ] || bin="$root/target/debug/akhbar"
fi
out="${CARGO_TARGET_DIR:-$root/target}/lucene-check"
mkdir -p "$out"
if [ ! -f "$out/LuceneCheck.class" ] || [ "$here/LuceneCheck.java" -nt "$out/LuceneCheck.class" ]; then
  javac -nowarn --release 17 -cp "$jar" -d "$out" "$here/LuceneCheck.java"
fi
exec java -Xmx3g -cp "$jar:$out" LuceneCheck "$1" "$bin" "${@:2}"
