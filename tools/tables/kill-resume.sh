#!/usr/bin/env bash
# Issue 32's resume check: index FILE_OR_DIR, SIGKILL the run after SECS
# seconds, run again, and print both runs' peak RSS and the articles the
# index holds at the end (to compare with the file's count).
#
# usage: tools/tables/kill-resume.sh AKHBAR FILE_OR_DIR SECS
set -euo pipefail
akhbar=$1
input=$2
secs=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/time -f '%e %M' -o "$work/t1" "$akhbar" index "$input" --index "$work/idx" --quiet --json \
  >"$work/s1.json" 2>"$work/e1" &
sleep "$secs"
# the indexer is time's child
pkill -KILL -P $! || true
wait || true
echo "first run killed after ${secs} s"
/usr/bin/time -f '%e %M' -o "$work/t2" "$akhbar" index "$input" --index "$work/idx" --json \
  >"$work/s2.json" 2>"$work/e2" || true
grep -i "resum" "$work/e2" || echo "(no resume message)"
read -r wall rss <"$work/t2"
python3 - "$work/s2.json" "$wall" "$rss" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print(f"second run: {float(sys.argv[2]):.1f} s, peak RSS {int(sys.argv[3]) // 1024} MiB, "
      f"articles in the index {s['articles_total']}, skipped as committed {s.get('articles_skipped_as_committed')}, "
      f"resumed {s.get('resumed')}")
PY
