#!/usr/bin/env bash
# The `esc check` benchmark (issue 2): esc side by side with the read floor and the peer
# validators in ../shared/peers, on one generated repository, in one run.
#
#   bench/run.sh                                  # 10,000 escalations, one commit
#   ESCALATIONS=2000 RUNS=5 bench/run.sh          # smaller and quicker
#
# Environment (all optional):
#   ESCALATIONS  escalations to generate (10000)       COMMITS    history length for gen.py (0)
#   SEED         generator seed (1)                     TODAY      --today for esc (2026-11-26)
#   RUNS         warm runs per command (12)             COLD_RUNS  cold runs per command (6)
#   ROUNDS       rounds the runs are split into (3)     PY_RUNS    Python peer runs (3)
#   PEERS        peer folder (../shared/peers)
#   NO_BUILD=1   use target/release/esc as it is (no cargo build)
#
# What it does: builds esc (cargo build --release) and snapshots the binary; generates the
# repository with bench/gen.py, or reuses it (bench/out/repos/<args>-<hash of gen.py and the
# schema>; bench/out is git-ignored); installs what is missing (hyperfine and time with apt,
# the Node peer's packages with npm ci in a writable copy, the Python peer's with pip); checks
# that esc and both peers find no problem in the corpus; then measures with hyperfine:
#   warm  floor (find | cat), esc check, esc check on 1 file (fixed start-up cost), Node peer,
#         Python peer;
#   cold  floor, esc check and the Node peer, each run after `sync; echo 3 >
#         /proc/sys/vm/drop_caches` (skipped, and said so, where that is not permitted);
#   peak memory of each command with /usr/bin/time -v;
# the warm and cold runs are split into ROUNDS rounds that alternate the commands, so that a
# burst of other work on the machine does not fall on one command only (the report warns when
# the load average was above 0.5 before the run); and prints a Markdown table (also saved under bench/out/results/), the targets of issue 2
# with met / not met, and ../shared/peers/floors.sh for the same repository.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$root/bench/out
ESCALATIONS=${ESCALATIONS:-10000}
COMMITS=${COMMITS:-0}
SEED=${SEED:-1}
TODAY=${TODAY:-2026-11-26}
RUNS=${RUNS:-12}
COLD_RUNS=${COLD_RUNS:-6}
ROUNDS=${ROUNDS:-3}
PY_RUNS=${PY_RUNS:-3}
PEERS=${PEERS:-$root/../shared/peers}

say() { printf '\n== %s\n' "$*" >&2; }
die() { printf 'run.sh: %s\n' "$*" >&2; exit 2; }

[ -d "$PEERS" ] || die "no peers at $PEERS (set PEERS=...)"
PEERS=$(cd "$PEERS" && pwd)
mkdir -p "$out/bin" "$out/repos" "$out/results"

# --- tools -----------------------------------------------------------------------------------
apt_updated=
need_apt() { # need_apt COMMAND PACKAGE
  command -v "$1" > /dev/null && return
  say "installing $2"
  [ -n "$apt_updated" ] || { apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" > /dev/null
}
need_apt hyperfine hyperfine
[ -x /usr/bin/time ] || { command -v apt-get > /dev/null && need_apt /usr/bin/time time; }
command -v node > /dev/null || die "node is needed for the Node peer"
command -v npm > /dev/null || die "npm is needed for the Node peer"

# --- esc -------------------------------------------------------------------------------------
if [ -z "${NO_BUILD:-}" ]; then
  say "cargo build --release"
  (cd "$root" && cargo build --release --quiet)
fi
# A snapshot, so that a concurrent build cannot swap the binary in the middle of the runs.
esc=$out/bin/esc
cp "$root/target/release/esc" "$esc.tmp" && mv "$esc.tmp" "$esc"
rev=$(cd "$root" && git rev-parse --short HEAD 2> /dev/null || echo unknown)
dirty=$(cd "$root" && git status --porcelain -- src Cargo.toml Cargo.lock 2> /dev/null | wc -l)
[ "$dirty" = 0 ] || rev="$rev+$dirty-modified-files"

# --- corpus ----------------------------------------------------------------------------------
hash=$(cat "$root/bench/gen.py" "$root/schemas/escalation.schema.json" | sha256sum | cut -c1-10)
key="e$ESCALATIONS-c$COMMITS-s$SEED-$hash"
repo=$out/repos/$key
if [ -d "$repo" ]; then
  say "reusing $repo"
else
  say "generating $repo"
  rm -rf "$repo.tmp"
  python3 "$root/bench/gen.py" "$repo.tmp" --escalations "$ESCALATIONS" --commits "$COMMITS" \
    --seed "$SEED"
  mv "$repo.tmp" "$repo"
fi
files=$(find "$repo/escalations" -name '*.md' | wc -l)
bytes=$(find "$repo/escalations" -name '*.md' -exec cat {} + | wc -c)

# --- peers -----------------------------------------------------------------------------------
lock=$(sha256sum "$PEERS/package-lock.json" | cut -c1-10)
peers=$out/peers-$lock
if [ ! -d "$peers/node_modules" ]; then
  say "npm ci in a copy of $PEERS"
  rm -rf "$peers" && mkdir -p "$peers"
  cp -R "$PEERS/." "$peers/" && chmod -R u+w "$peers"
  (cd "$peers" && npm ci --silent --no-audit --no-fund > /dev/null)
fi
if ! python3 -c 'import frontmatter, jsonschema' 2> /dev/null; then
  say "pip install python-frontmatter jsonschema"
  python3 -m pip install -q python-frontmatter jsonschema
fi

# --- sanity: every tool sees a clean corpus --------------------------------------------------
say "sanity runs"
one=$(cd "$repo" && find escalations -name '*.md' | sort | awk 'NR == 1')
esc_cmd="$esc -C $repo check --today $TODAY"
esc1_cmd="$esc -C $repo check --today $TODAY $repo/$one"
floor_cmd="find escalations -name '*.md' -exec cat {} + > /dev/null"
node_cmd="node $peers/node_validate.mjs $repo"
py_cmd="python3 $PEERS/py_validate.py $repo"
rc=0; check_out=$($esc_cmd 2>&1) || rc=$?
[ $rc = 0 ] || { echo "$check_out" | tail -20 >&2; die "esc check exited $rc on a generated repository without defects"; }
echo "esc:    $(echo "$check_out" | tail -1)" >&2
node_out=$($node_cmd 2>&1) || { echo "$node_out" | tail -5 >&2; die "the Node peer found problems"; }
echo "node:   $(echo "$node_out" | tail -1)" >&2
py_out=$($py_cmd 2>&1) || { echo "$py_out" | tail -5 >&2; die "the Python peer found problems"; }
echo "python: $(echo "$py_out" | tail -1)" >&2

# --- measurements ----------------------------------------------------------------------------
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$repo"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# Runs are split into rounds that alternate the commands, so that a burst of load from
# something else on the machine does not land on one command only.
per=$(( (RUNS + ROUNDS - 1) / ROUNDS ))
for r in $(seq "$ROUNDS"); do
  say "warm: hyperfine, round $r of $ROUNDS, $per runs each"
  hyperfine --style basic --warmup 1 --runs "$per" --export-json "$tmp/warm-$r.json" \
    -n floor "$floor_cmd" -n esc "$esc_cmd" -n esc1 "$esc1_cmd" -n node "$node_cmd" >&2
done
say "warm: hyperfine, Python peer, $PY_RUNS runs"
hyperfine --style basic --warmup 1 --runs "$PY_RUNS" --export-json "$tmp/py.json" \
  -n python "$py_cmd" >&2

drop='sync; echo 3 > /proc/sys/vm/drop_caches'
if [ -w /proc/sys/vm/drop_caches ] && sh -c "$drop" 2> /dev/null; then
  cper=$(( (COLD_RUNS + ROUNDS - 1) / ROUNDS ))
  for r in $(seq "$ROUNDS"); do
    say "cold: hyperfine --prepare '$drop', round $r of $ROUNDS, $cper runs each"
    hyperfine --style basic --runs "$cper" --prepare "$drop" --export-json "$tmp/cold-$r.json" \
      -n floor "$floor_cmd" -n esc "$esc_cmd" -n node "$node_cmd" >&2
  done
  cold=ok
else
  cold="not permitted: cannot write /proc/sys/vm/drop_caches (needs root outside a container)"
  say "cold: $cold"
fi

say "peak memory: /usr/bin/time -v"
rss() { # rss NAME COMMAND: max resident set size in KB over 3 runs
  local best=0 kb
  for _ in 1 2 3; do
    /usr/bin/time -v -o "$tmp/time.txt" bash -c "$2" > /dev/null 2>&1 || true
    kb=$(awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$tmp/time.txt")
    [ "$kb" -gt "$best" ] && best=$kb
  done
  echo "$1 $best" >> "$tmp/rss.txt"
}
rss floor "$floor_cmd"
rss esc "$esc_cmd"
rss esc1 "$esc1_cmd"
rss node "$node_cmd"
rss python "$py_cmd"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report ----------------------------------------------------------------------------------
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
report=$out/results/$stamp-$key.md
python3 - "$tmp" "$cold" > "$report" <<EOF
import glob, json, os, statistics, sys
tmp, cold = sys.argv[1], sys.argv[2]
def load(pattern):
    """Times of every run of each command, over the rounds: median and min."""
    times = {}
    for p in sorted(glob.glob(os.path.join(tmp, pattern))):
        for r in json.load(open(p))["results"]:
            times.setdefault(r["command"], []).extend(r["times"])
    return {c: {"median": statistics.median(t), "min": min(t), "n": len(t)}
            for c, t in times.items()}
warm = load("warm-*.json"); warm.update(load("py.json")); coldr = load("cold-*.json")
rss = dict(line.split() for line in open(os.path.join(tmp, "rss.txt")))
names = {"floor": "read floor: \`find escalations -name '*.md' -exec cat {} + > /dev/null\`",
         "esc": "\`esc -C DIR check --today $TODAY\`",
         "esc1": "\`esc check\` on 1 file (start-up)",
         "node": "Node peer (gray-matter + Ajv)",
         "python": "Python peer (python-frontmatter + jsonschema)"}
print(f"Corpus: {$files:,} escalations, {$bytes / $files / 1024:.2f} KB on average "
      f"({$bytes / 1e6:.1f} MB), commits: {max($COMMITS, 1)}, seed $SEED "
      f"(\`bench/out/repos/$key\`).  ")
print(f"Machine: $(nproc) cores, $cpu. esc $rev. Load average before/after: "
      f"$load_before / $load_after. Warm: median of {warm['esc']['n']} runs in $ROUNDS rounds "
      f"(Python peer: {warm['python']['n']}); cold: median of "
      f"{coldr['esc']['n'] if coldr else 0} runs, page cache dropped before each.")
if float("$load_before".split()[0]) > 0.5:
    print("\n**The machine was busy before the run (load average above 0.5): other work may "
          "have slowed some commands more than others.**")
print()
print("| command | warm median s | warm min s | x floor | cold median s | x floor (cold) | peak RSS MB |")
print("|---|---:|---:|---:|---:|---:|---:|")
fw = warm["floor"]["median"]; fc = coldr.get("floor", {}).get("median")
for n in ["floor", "esc", "esc1", "node", "python"]:
    w = warm.get(n, {}).get("median"); c = coldr.get(n, {}).get("median")
    mn = warm.get(n, {}).get("min")
    cells = [names[n], f"{w:.3f}" if w else "-", f"{mn:.3f}" if mn else "-",
             f"{w / fw:.2f}" if w else "-",
             f"{c:.3f}" if c else "-", f"{c / fc:.2f}" if c and fc else "-",
             f"{int(rss[n]) / 1024:.1f}" if n in rss else "-"]
    print("| " + " | ".join(cells) + " |")
print()
e, nd = warm["esc"]["median"], warm["node"]["median"]
print(f"esc vs the Node peer: {nd / e:.2f}x faster warm"
      + (f", {coldr['node']['median'] / coldr['esc']['median']:.2f}x cold" if coldr else "")
      + f"; vs the Python peer: {warm['python']['median'] / e:.1f}x faster warm.")
if cold != "ok":
    print(f"\nCold runs: {cold}.")
print()
print("| target (issue 2) | figure | |")
print("|---|---:|---|")
def row(name, fig, ok):
    print(f"| {name} | {fig} | {'met' if ok else 'NOT met'} |")
if coldr:
    r = coldr["esc"]["median"] / fc
    row("esc check cold <= 2x the read floor cold", f"{r:.2f}x", r <= 2)
else:
    print("| esc check cold <= 2x the read floor cold | - | not measured (no cold runs) |")
m = int(rss["esc"]) / 1024
row("peak memory <= 100 MB", f"{m:.1f} MB", m <= 100)
row(">= 4x faster than the Node peer (warm)", f"{nd / e:.2f}x", nd / e >= 4)
EOF
cat "$report"
echo
echo "floors.sh $repo:"
"$PEERS/floors.sh" "$repo" 5
echo
echo "(saved: $report)"
