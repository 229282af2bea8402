#!/usr/bin/env bash
# History benchmarks (issues 3 and 4): timelines, the weekly report, and the commands that
# must not grow with history, side by side with `git log --raw` over the same repository.
#
#   bench/history.sh                      # 10,000 escalations, 100,000 commits (and 10,000)
#   ESCALATIONS=2000 COMMITS=20000 SMALL=2000 RUNS=3 bench/history.sh
#
# Environment (all optional): ESCALATIONS (10000), COMMITS (100000), SMALL (10000: the
# shorter history for the "does not grow" comparison), SEED (1), RUNS (5), TODAY
# (2026-11-26), NO_BUILD=1 (use target/release/esc as it is), ESC_BIN (use this binary; implies
# NO_BUILD), BIG_REPO and SMALL_REPO (use these repositories instead of generating them),
# BASE_BIN (another esc, e.g. main's: then only the pair comparison below runs).
#
# Pair comparison (BASE_BIN set): `esc list --format json` cold (cache removed) and warm, the
# two binaries run in turn (A B A B ..., RUNS pairs each), the ratio taken pair by pair so a
# machine whose speed drifts still gives a fair ratio:
#   (cd /tmp/main && CARGO_TARGET_DIR=/tmp/target-main cargo build --release)
#   BASE_BIN=/tmp/target-main/release/esc ESCALATIONS=2000 COMMITS=20000 SMALL=2000 RUNS=5 bench/history.sh
#
# Measures, with hyperfine, warm page cache:
#   floor      git log --raw --no-renames --format=%H (../shared/peers/floors.sh's history floor)
#   timelines  esc list --format json, cold (cache in .git/esc removed) and warm (cache kept)
#   check      esc check (the reference for the warm timeline target)
#   due        esc due --format json with the cache current (issue 11: <= 1.2x check; it exits
#              1 when something is due, so its status is ignored)
#   report     esc report, cold and warm
#   increment  esc list --format json when the cache is 5 commits behind HEAD
#   pr/advance esc check --base HEAD~3 and esc advance (a real commit, reset after) on the
#              long and the short history
# and prints a Markdown table (saved under bench/out/results/) with the targets.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$root/bench/out
ESCALATIONS=${ESCALATIONS:-10000}
COMMITS=${COMMITS:-100000}
SMALL=${SMALL:-10000}
SEED=${SEED:-1}
RUNS=${RUNS:-5}
TODAY=${TODAY:-2026-11-26}
mkdir -p "$out/bin" "$out/repos" "$out/results"
command -v hyperfine > /dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine > /dev/null; }

if [ -z "${NO_BUILD:-}" ] && [ -z "${ESC_BIN:-}" ]; then (cd "$root" && cargo build --release --quiet); fi
esc=$out/bin/esc-history
cp "${ESC_BIN:-$root/target/release/esc}" "$esc"

tag=$( (cat "$root/bench/gen.py" "$root/schemas/escalation.schema.json") | sha256sum | cut -c1-10)
repo_for() { # repo_for COMMITS -> path (generated once)
  local dir=$out/repos/e$ESCALATIONS-c$1-s$SEED-$tag
  if [ ! -d "$dir/.git" ]; then
    rm -rf "$dir"
    python3 "$root/bench/gen.py" "$dir" --escalations "$ESCALATIONS" --commits "$1" --seed "$SEED" >&2
  fi
  echo "$dir"
}
big=${BIG_REPO:-$(repo_for "$COMMITS")}
small=${SMALL_REPO:-$(repo_for "$SMALL")}
for d in "$big" "$small"; do
  git -C "$d" config user.name bench && git -C "$d" config user.email bench@example.com
done
json=$(mktemp)
trap 'rm -f "$json"' EXIT

if [ -n "${BASE_BIN:-}" ]; then
  cp "$BASE_BIN" "$out/bin/esc-base"
  python3 - "$big" "$esc" "$out/bin/esc-base" "$RUNS" "$TODAY" "$ESCALATIONS" "$COMMITS" <<'PY' | tee "$out/results/$(date -u +%Y-%m-%dT%H%M%SZ)-pair-e$ESCALATIONS-c$COMMITS.md"
import shutil, statistics, subprocess, sys, time
repo, new, base, runs, today, n_esc, n_commits = sys.argv[1:]
def timed(binary, cold):
    if cold:
        shutil.rmtree(f"{repo}/.git/esc", ignore_errors=True)
    t = time.perf_counter()
    subprocess.run([binary, "-C", repo, "--today", today, "list", "--format", "json"],
                   stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t
print(f"{n_esc} escalations, {n_commits} commits; A = this esc, B = BASE_BIN; {runs} pairs, A B A B ...")
print()
print("| `esc list --format json` | A median s | B median s | A/B (median of pairs) |")
print("|---|---:|---:|---:|")
for cold in (True, False):
    timed(new, cold); timed(base, cold)  # warm-up; each version keeps its own cache file
    a, b, r = [], [], []
    for _ in range(int(runs)):
        x = timed(new, cold)
        y = timed(base, cold)
        a.append(x); b.append(y); r.append(x / y)
    name = "cold (no cache)" if cold else "warm (cache current)"
    print(f"| {name} | {statistics.median(a):.3f} | {statistics.median(b):.3f} | {statistics.median(r):.2f} |")
PY
  exit 0
fi

measure() { # measure DIR NAME CMD [PREPARE]
  local dir=$1 name=$2 cmd=$3 prep=${4:-true}
  hyperfine --style none --warmup 1 --runs "$RUNS" --prepare "cd $dir && $prep" \
    --export-json "$json" -n "$name" "cd $dir && $cmd" > /dev/null
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.3f" % r["median"])' "$json"
}

E="$esc --today $TODAY"
row() { printf '| %s | %s | %s |\n' "$1" "$2" "$3"; }
result=$out/results/$(date -u +%Y-%m-%dT%H%M%SZ)-history-e$ESCALATIONS-c$COMMITS.md
{
  echo "Repository: $ESCALATIONS escalations, $COMMITS commits (and $SMALL for the growth check), seed $SEED."
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs). esc $(git -C "$root" rev-parse --short HEAD). Warm page cache, median of $RUNS runs."
  echo
  echo "| what | median s | ratio |"
  echo "|---|---:|---:|"
  floor=$(measure "$big" floor "git log --raw --no-renames --format=%H > /dev/null")
  row 'floor: `git log --raw --no-renames --format=%H`' "$floor" "1.00"
  cold=$(measure "$big" cold "$E list --format json > /dev/null" "rm -rf .git/esc")
  row 'timelines cold: `esc list --format json` (no cache)' "$cold" "$(python3 -c "print(f'{$cold/$floor:.2f} x floor')")"
  check=$(measure "$big" check "$E check > /dev/null")
  row '`esc check`' "$check" "-"
  warm=$(measure "$big" warm "$E list --format json > /dev/null")
  row 'timelines warm (cache current)' "$warm" "$(python3 -c "print(f'{$warm/$check:.2f} x check')")"
  due=$(measure "$big" due "$E due --format json > /dev/null; true")
  row '`esc due` (cache current)' "$due" "$(python3 -c "print(f'{$due/$check:.2f} x check')")"
  rcold=$(measure "$big" rcold "$E report > /dev/null" "rm -rf .git/esc")
  row '`esc report` cold' "$rcold" "$(python3 -c "print(f'{$rcold/$cold:.2f} x timelines cold')")"
  rwarm=$(measure "$big" rwarm "$E report > /dev/null")
  row '`esc report` warm' "$rwarm" "$(python3 -c "print(f'{$rwarm/$warm:.2f} x timelines warm')")"
  # Five new commits on top of the cached head: only they are read.
  head=$(git -C "$big" rev-parse HEAD)
  rm -rf "$big/.git/esc"
  $E -C "$big" list --format json > /dev/null
  rm -rf "$out/cache-at-head"
  cp -r "$big/.git/esc" "$out/cache-at-head"
  f=$(cd "$big" && git ls-files escalations | awk 'NR==1')
  for i in 1 2 3 4 5; do
    printf '\nNote %s.\n' "$i" >> "$big/$f"
    git -C "$big" commit -qam "bench note $i"
  done
  inc=$(measure "$big" inc "$E list --format json > /dev/null" "rm -rf .git/esc && cp -r $out/cache-at-head .git/esc")
  row 'timelines, cache 5 commits behind' "$inc" "$(python3 -c "print(f'{$inc/$warm:.2f} x warm')")"
  git -C "$big" reset -q --hard "$head"
  rm -rf "$big/.git/esc"
  for dir in "$big" "$small"; do
    n=$(git -C "$dir" rev-list --count HEAD)
    h=$(git -C "$dir" rev-parse HEAD)
    id=$(cd "$dir" && grep -rl '^step: raised' escalations | awk 'NR==1' | xargs basename | sed 's/\.md$//')
    base=$(measure "$dir" base "$E check --base HEAD~3 > /dev/null")
    row "\`esc check --base HEAD~3\`, $n commits" "$base" "-"
    adv=$(measure "$dir" adv "$E advance $id > /dev/null" "git -c advice.detachedHead=false reset -q --hard $h")
    git -C "$dir" reset -q --hard "$h"
    row "\`esc advance\` (commit), $n commits" "$adv" "-"
    st=$(measure "$dir" set "$E set $id severity=high > /dev/null" "git -c advice.detachedHead=false reset -q --hard $h")
    git -C "$dir" reset -q --hard "$h"
    row "\`esc set\` (commit), $n commits" "$st" "-"
  done
} | tee "$result"
echo "saved $result" >&2
