#!/usr/bin/env bash
# The organisation's report (issue 12 §4): five repositories, one per region, each with its
# own id prefix and time zone, and a reporting repository whose esc.yaml lists them. Times
# the five single reports and the organisation's report over all five, cache current, and
# prints the ratio org / sum of the singles (target: at most 1.2).
#
#   bench/org.sh                                     # 5 x 10,000 escalations x 20,000 commits
#   ESCALATIONS=2000 COMMITS=4000 RUNS=2 ROUNDS=2 bench/org.sh
#   GEN_ONLY=1 bench/org.sh                          # generate the repositories, nothing else
#
# Environment (all optional): ESCALATIONS (10000), COMMITS (20000), ROUNDS (7), RUNS (runs of
# each command per round: 1), TODAY (2026-11-26), NO_BUILD=1 (use the release binary as it is:
# $CARGO_TARGET_DIR or target/), ESC_BIN (use this binary).
#
# The repositories are generated once with bench/gen.py (--id-prefix, --timezone, seeds 1 to
# 5) under the git-ignored bench/out/repos/org-e<N>-c<N>-<hash of gen.py and the schema>/,
# next to its esc.yaml (`repositories:` lists the five). Each cache is warmed with one report
# first; then hyperfine runs `esc report` in each repository and `esc report` in the reporting
# repository, in ROUNDS rounds (each runs the six commands in turn, RUNS times each), warm page
# cache. Two ratios: the organisation's median over the sum of the five medians, and the
# median over the rounds of each round's organisation / sum of its singles (as the pair
# comparison of bench/history.sh: on a shared machine whose load drifts, a burst of other work
# falls on one round, not on one command); and the CPU time (user + sys, as hyperfine reports
# it), which the load moves least. The report is the default one: the last complete
# week (as of 2026-11-26, week 47, read as the repositories were at its end).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$root/bench/out
ESCALATIONS=${ESCALATIONS:-10000}
COMMITS=${COMMITS:-20000}
RUNS=${RUNS:-1}
ROUNDS=${ROUNDS:-7}
TODAY=${TODAY:-2026-11-26}
REGIONS="EMEA:Europe/Berlin AMER:America/New_York APAC:Asia/Tokyo LATAM:America/Sao_Paulo ANZ:Australia/Sydney"
mkdir -p "$out/bin" "$out/repos" "$out/results"

tag=$(cat "$root/bench/gen.py" "$root/schemas/escalation.schema.json" | sha256sum | cut -c1-10)
org=$out/repos/org-e$ESCALATIONS-c$COMMITS-$tag
mkdir -p "$org"
seed=0
for spec in $REGIONS; do
  prefix=${spec%%:*} tz=${spec#*:} seed=$((seed + 1))
  dir=$org/${prefix,,}
  if [ ! -d "$dir/.git" ]; then
    rm -rf "$dir"
    python3 "$root/bench/gen.py" "$dir" --escalations "$ESCALATIONS" --commits "$COMMITS" \
      --seed "$seed" --id-prefix "$prefix" --timezone "$tz" >&2
  fi
done
{
  echo "# The reporting repository: esc report here reads the five."
  echo "timezone: Europe/Berlin"
  echo "repositories:"
  for spec in $REGIONS; do prefix=${spec%%:*} && echo "  - ${prefix,,}"; done
} > "$org/esc.yaml"
[ -z "${GEN_ONLY:-}" ] || { echo "$org"; exit 0; }

command -v hyperfine > /dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine > /dev/null; }
target=${CARGO_TARGET_DIR:-$root/target}
if [ -z "${NO_BUILD:-}" ] && [ -z "${ESC_BIN:-}" ]; then (cd "$root" && cargo build --release --quiet); fi
# A snapshot, so that a concurrent build cannot swap the binary in the middle of the runs.
esc=$out/bin/esc-org
cp "${ESC_BIN:-$target/release/esc}" "$esc.tmp" && mv "$esc.tmp" "$esc"
E="$esc --today $TODAY"

names=()
for spec in $REGIONS; do prefix=${spec%%:*} && names+=("${prefix,,}"); done
# Warm: each repository's timeline cache built (and checked to be current by the next run).
for n in "${names[@]}"; do $E -C "$org/$n" report > /dev/null; done
$E -C "$org" report > "$out/results/org-report.md"

jsons=()
trap 'rm -f "${jsons[@]}"' EXIT
cmds=()
for n in "${names[@]}"; do cmds+=(-n "$n" "$E -C $org/$n report > /dev/null"); done
cmds+=(-n org "$E -C $org report > /dev/null")
load=$(cut -d' ' -f1-3 /proc/loadavg)
# In ROUNDS rounds of all six commands (the caches and the page cache are warm already).
for ((r = 1; r <= ROUNDS; r++)); do
  jsons+=("$(mktemp)")
  hyperfine --style basic --runs "$RUNS" --export-json "${jsons[-1]}" "${cmds[@]}" >&2
done
result=$out/results/$(date -u +%Y-%m-%dT%H%M%SZ)-org-e$ESCALATIONS-c$COMMITS.md
python3 - "$ESCALATIONS" "$COMMITS" "$ROUNDS rounds x $RUNS" "$load" "$(nproc)" \
  "$(git -C "$root" rev-parse --short HEAD)" "${jsons[@]}" <<'PY' | tee "$result"
import json, statistics, sys
n_esc, n_commits, runs, load, cores, rev, *paths = sys.argv[1:]
times, cpu, rounds = {}, {}, []
for path in paths:
    medians = {}
    for r in json.load(open(path))["results"]:
        times.setdefault(r["command"], []).extend(r["times"])
        cpu.setdefault(r["command"], []).append(r["user"] + r["system"])  # means of the round
        medians[r["command"]] = statistics.median(r["times"])
    rounds.append(medians["org"] / sum(v for k, v in medians.items() if k != "org"))
res = {k: {"median": statistics.median(v), "min": min(v), "max": max(v)} for k, v in times.items()}
singles = [k for k in res if k != "org"]
total = sum(res[k]["median"] for k in singles)
org = res["org"]["median"]
print(f"{len(singles)} repositories x {int(n_esc):,} escalations x {int(n_commits):,} commits; "
      f"esc {rev}; {cores} cores, load average before {load}; warm page cache and timeline "
      f"caches; {runs} runs (hyperfine, in rounds that run the six commands in turn).")
print()
cpu_med = {k: statistics.median(v) for k, v in cpu.items()}
cpu_total = sum(cpu_med[k] for k in singles)
print("| `esc report` | median s | min s | max s | CPU s (user + sys) |")
print("|---|---:|---:|---:|---:|")
for k in singles + ["org"]:
    r = res[k]
    name = f"`-C {k}`" if k != "org" else "organisation (`repositories:` of the five)"
    print(f"| {name} | {r['median']:.3f} | {r['min']:.3f} | {r['max']:.3f} | {cpu_med[k]:.3f} |")
print(f"| sum of the {len(singles)} single reports | {total:.3f} | | | {cpu_total:.3f} |")
print()
ratio = org / total
per_round = statistics.median(rounds)
verdict = lambda r: "met" if r <= 1.2 else "missed"
print(f"org / sum of singles (medians): **{ratio:.2f}x** (target <= 1.2x: {verdict(ratio)})")
print()
print(f"org / sum of singles, round by round: {', '.join(f'{r:.2f}' for r in rounds)}; "
      f"median **{per_round:.2f}x** ({verdict(per_round)})")
print()
print(f"CPU time (user + sys), org / sum of singles: {cpu_med['org'] / cpu_total:.2f}x")
PY
echo "saved $result" >&2
