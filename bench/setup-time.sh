#!/usr/bin/env bash
# Set-up time (issue 10 §5): the README's two commands on a clean clone with an empty target
# folder, timed one after the other, as a newcomer runs them, with cargo's --timings report.
#
#   bench/setup-time.sh            # this checkout's HEAD
#   REV=main~3 bench/setup-time.sh
#
# Prints the wall time of each command, the load average before and after (a busy machine
# says nothing about a quiet one), and the ten slowest compilation units of each build.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rev=${REV:-HEAD}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q "$root" "$work/esc"
git -C "$work/esc" checkout -q "$(git -C "$root" rev-parse "$rev")"
cd "$work/esc"
export CARGO_TARGET_DIR=$work/target CARGO_TERM_COLOR=never
echo "esc $(git rev-parse --short HEAD), $(nproc) cores, load before: $(cut -d' ' -f1-3 /proc/loadavg)"

slowest() { # the ten slowest units of the newest --timings report
  python3 - "$(ls -t "$CARGO_TARGET_DIR"/cargo-timings/cargo-timing-2*.html | head -1)" <<'PY'
import json, re, sys
html = open(sys.argv[1]).read()
units = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);", html, re.S).group(1))
for u in sorted(units, key=lambda u: -u["duration"])[:10]:
    print(f"    {u['duration']:7.1f} s  {u['name']} {u.get('target', '').strip()}")
PY
}

start=$(date +%s.%N)
cargo run --locked --timings -q -- demo "$work/demo" >/dev/null 2>"$work/demo.err"
mid=$(date +%s.%N)
echo "cargo run -- demo: $(awk "BEGIN{printf \"%.0f\", $mid - $start}") s"
slowest
cargo test --locked --timings -q >"$work/test.out" 2>&1 || { tail -30 "$work/test.out"; exit 1; }
end=$(date +%s.%N)
echo "cargo test (after it): $(awk "BEGIN{printf \"%.0f\", $end - $mid}") s"
slowest
echo "both: $(awk "BEGIN{printf \"%.0f\", $end - $start}") s; load after: $(cut -d' ' -f1-3 /proc/loadavg)"
