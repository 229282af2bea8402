#!/usr/bin/env python3
"""The `esc lsp` latency benchmark (issue 10 §3): the time from sending a didChange of a
10 KB escalation to receiving its publishDiagnostics, against a floor measured in the same
run on the same server: a hover on a blank body line (a round trip through the same pipes
that parses nothing). Also, once per run, `esc check` on the same file as a process.

    bench/lsp.py                                   # target/release/esc, 300 changes
    bench/lsp.py --esc PATH --changes 1000

It builds nothing: run `cargo build --release` first (CARGO_TARGET_DIR is honoured). The
repository is `esc demo`'s, in a temporary folder; its ESC-2610-7FJX (step management) grows
to 10 KB with meetings in its front matter. Changes alternate between a clean text (no
problems) and one with a misspelt severity (one problem, so its position is computed)."""
import argparse
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from lsp_client import Client  # noqa: E402

TODAY = "2026-11-26"
REL = "escalations/2026-10/ESC-2610-7FJX.md"


def grow(text, size):
    """The file with meetings added to its front matter until it is `size` bytes."""
    head, sep, rest = text.partition("meetings:\n")
    entries = []
    i = 0
    while len((head + sep + "".join(entries) + rest).encode()) < size:
        day = 1 + i % 28
        entries.append(
            f"  - date: 2026-10-{day:02d}\n    kind: internal\n"
            f"    attendees: [Dana Whitfield, Tom Berg]\n"
            f"    summary: Daily triage {i}; logs reviewed, next steps agreed with the customer.\n"
        )
        i += 1
    return head + sep + "".join(entries) + rest


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def row(name, xs):
    ms = [x * 1000 for x in xs]
    return f"| {name} | {len(ms)} | {statistics.median(ms):.2f} | {pct(ms, 95):.2f} | {max(ms):.2f} |"


def main():
    target = os.environ.get("CARGO_TARGET_DIR", str(ROOT / "target"))
    ap = argparse.ArgumentParser()
    ap.add_argument("--esc", default=str(pathlib.Path(target) / "release" / "esc"))
    ap.add_argument("--changes", type=int, default=300)
    ap.add_argument("--size", type=int, default=10 * 1024)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        repo = pathlib.Path(tmp) / "demo"
        subprocess.run([a.esc, "demo", str(repo), "--today", TODAY], check=True, capture_output=True)
        path = repo / REL
        clean = grow(path.read_text(encoding="utf-8"), a.size)
        path.write_text(clean, encoding="utf-8")
        bad = clean.replace("severity: critical", "severity: critcal", 1)
        assert bad != clean
        check = [a.esc, "--today", TODAY, "check", REL]
        r = subprocess.run(check, cwd=repo, capture_output=True, text=True)
        assert r.returncode == 0, f"the grown file must be clean:\n{r.stdout}{r.stderr}"
        process = []
        for _ in range(10):
            t = time.perf_counter()
            subprocess.run(check, cwd=repo, capture_output=True)
            process.append(time.perf_counter() - t)

        c = Client([a.esc, "--today", TODAY, "lsp"], cwd=repo)
        c.initialize(repo)
        uri = path.as_uri()
        c.open(uri, clean)
        assert c.diagnostics(uri) == []
        blank = clean.split("\n").index("", 1)
        hover = {"textDocument": {"uri": uri}, "position": {"line": blank + 1, "character": 0}}
        floor, ok, problem = [], [], []
        for i in range(a.changes):
            t = time.perf_counter()
            r = c.request("textDocument/hover", hover)
            floor.append(time.perf_counter() - t)
            assert r["result"] is None, r
            text = bad if i % 2 else clean
            t = time.perf_counter()
            c.change(uri, text, i + 2)
            d = c.diagnostics(uri)
            (problem if i % 2 else ok).append(time.perf_counter() - t)
            assert len(d) == (1 if i % 2 else 0), d
        c.close()

    size = len(clean.encode())
    med = statistics.median(ok + problem) * 1000
    print(f"esc lsp, {size} byte escalation, {a.changes} changes ({a.esc})\n")
    print("| round trip | n | median ms | p95 ms | max ms |")
    print("|---|---:|---:|---:|---:|")
    print(row("floor: hover on a blank body line", floor))
    print(row("didChange -> publishDiagnostics, clean", ok))
    print(row("didChange -> publishDiagnostics, one problem", problem))
    print(row("`esc check FILE` as a process (reference)", process))
    p95 = pct(ok + problem, 95) * 1000
    print(f"\ntarget: under 20 ms per round trip: median {med:.2f} ms, p95 {p95:.2f} ms: "
          + ("met" if p95 < 20 else "NOT met"))
    print(f"x floor (medians): {med / (statistics.median(floor) * 1000):.1f}")


if __name__ == "__main__":
    main()
