#!/usr/bin/env python3
"""A language-server client in Python's standard library, and the scenario tests/cli/lsp.rs
runs with it against the real `esc lsp`:

    python3 tests/lsp_client.py ESC_BINARY REPO ESCALATION_REL_PATH

Every frame the server writes must be a well-formed JSON-RPC message (so anything else on
stdout fails the run). bench/lsp.py uses the Client class."""
import json
import os
import pathlib
import queue
import subprocess
import sys
import tempfile
import threading
import time

TIMEOUT = 10.0


class Client:
    def __init__(self, cmd, cwd=None):
        self.proc = subprocess.Popen(
            cmd, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        self.inbox = queue.Queue()
        self.held = []
        self.next_id = 0
        self.stderr = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        try:
            while True:
                headers = {}
                while True:
                    line = out.readline()
                    if not line:
                        self.inbox.put(None)
                        return
                    if not line.endswith(b"\r\n"):
                        raise ValueError(f"not a header line on stdout: {line!r}")
                    line = line[:-2]
                    if not line:
                        break
                    name, sep, value = line.partition(b":")
                    if not sep:
                        raise ValueError(f"not a header on stdout: {line!r}")
                    headers[name.strip().lower()] = value.strip()
                body = out.read(int(headers[b"content-length"]))
                msg = json.loads(body)
                if msg.get("jsonrpc") != "2.0":
                    raise ValueError(f"not JSON-RPC 2.0: {msg!r}")
                self.inbox.put(msg)
        except Exception as e:  # reported by the waiting side
            self.inbox.put(e)

    def _read_stderr(self):
        for line in self.proc.stderr:
            self.stderr.append(line.decode("utf-8", "replace"))

    def raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, msg):
        body = json.dumps(dict(jsonrpc="2.0", **msg)).encode()
        self.raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method, params):
        self.send({"method": method, "params": params})

    def request(self, method, params, timeout=TIMEOUT):
        self.next_id += 1
        rid = self.next_id
        self.send({"id": rid, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == rid and "method" not in m, timeout)

    def wait(self, pred, timeout=TIMEOUT):
        for i, m in enumerate(self.held):
            if pred(m):
                return self.held.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer in time; stderr:\n" + "".join(self.stderr))
            try:
                m = self.inbox.get(timeout=left)
            except queue.Empty:
                continue
            if m is None:
                raise EOFError("the server closed stdout; stderr:\n" + "".join(self.stderr))
            if isinstance(m, Exception):
                raise m
            if pred(m):
                return m
            self.held.append(m)

    def diagnostics(self, uri, timeout=TIMEOUT):
        m = self.wait(
            lambda m: m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri,
            timeout,
        )
        return m["params"]["diagnostics"]

    def open(self, uri, text, version=1):
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "markdown", "version": version, "text": text}},
        )

    def change(self, uri, text, version):
        self.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]},
        )

    def initialize(self, root):
        r = self.request(
            "initialize",
            {"processId": os.getpid(), "rootUri": pathlib.Path(root).as_uri(), "capabilities": {}},
        )
        self.notify("initialized", {})
        return r

    def close(self):
        r = self.request("shutdown", None)
        self.notify("exit", None)
        code = self.proc.wait(timeout=TIMEOUT)
        return r, code


def utf16(s):
    """The length of s in UTF-16 code units, as LSP counts characters."""
    return len(s.encode("utf-16-le")) // 2


checks = 0


def check(cond, what, *context):
    global checks
    if not cond:
        raise AssertionError(what + "".join("\n  " + repr(c) for c in context))
    checks += 1


def labels(result):
    items = result["items"] if isinstance(result, dict) else result
    return {i["label"]: i for i in items or []}


def scenario(esc, repo, rel):
    repo = pathlib.Path(repo)
    path = repo / rel
    uri = path.as_uri()
    good = path.read_text(encoding="utf-8")
    c = Client([esc, "--today", "2026-11-26", "lsp"], cwd=repo)
    caps = c.initialize(repo)["result"]["capabilities"]
    for cap in ("completionProvider", "hoverProvider", "codeActionProvider", "textDocumentSync"):
        check(cap in caps, f"initialize announces {cap}", caps)

    # 1. A bad enum value after an emoji on the same line: the range is in UTF-16 units, and
    #    the rule and message are esc check's.
    block = "raised:\n  date: 2026-11-02\n  source: account-team\n  by: Sam Ortiz <sam@example.com>\n"
    check(block in good, "the fixture has the raised block", good)
    line = 'raised: {by: "Sam 🚀 Ortiz <sam@example.com>", date: 2026-11-02, source: acount-team}'
    bad = good.replace(block, line + "\n")
    c.open(uri, bad)
    diags = c.diagnostics(uri)
    check(len(diags) == 1, "one problem for the bad source", diags)
    d = diags[0]
    n = bad.split("\n").index(line)
    start = utf16(line[: line.index("acount-team")])
    check(d["code"] == "schema.enum", "rule schema.enum", d)
    check(
        d["range"] == {"start": {"line": n, "character": start}, "end": {"line": n, "character": start + 11}},
        "the range covers `acount-team` counted in UTF-16",
        d["range"],
        start,
    )
    path.write_text(bad, encoding="utf-8")
    cli = subprocess.run(
        [esc, "--today", "2026-11-26", "check", "--format", "json", rel],
        cwd=repo, capture_output=True, text=True,
    )
    path.write_text(good, encoding="utf-8")
    ours = json.loads(cli.stdout)
    check(len(ours) == 1 and ours[0]["message"] == d["message"], "the message is esc check's", ours, d)
    check(ours[0]["line"] == n + 1, "esc check's line is the same line", ours)

    # 2. Fixed: the problems clear.
    c.change(uri, good, 2)
    check(c.diagnostics(uri) == [], "a fixed file has no problems")

    # 3. Completion of values (sources with their meaning, people from esc.yaml) and keys.
    lines = good.split("\n")
    at = lines.index("  source: account-team")
    typing = good.replace("  source: account-team\n", "  source: \n")
    c.change(uri, typing, 3)
    c.diagnostics(uri)
    r = c.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": {"line": at, "character": 10}})
    got = labels(r["result"])
    sources = ["fasttrack-manager", "fasttrack-engineer", "account-team", "tam", "customer", "ttp",
               "gethelp", "rfa-process", "slt-executive", "other"]
    check(sorted(got) == sorted(sources), "completion after `source: ` lists the sources", sorted(got))
    check(got["tam"].get("detail") == "Technical Account Manager", "a source's meaning is its detail", got["tam"])
    check("Source of the escalation" in got["tam"]["documentation"]["value"], "the field's description is documentation", got["tam"])
    owner = lines.index("owner: Dana Whitfield <dana@example.com>")
    r = c.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": {"line": owner, "character": 7}})
    got = labels(r["result"])
    check("Lee Park <lee@example.com>" in got, "people from esc.yaml are offered for a person", sorted(got))
    keyed = typing.replace("  source: \n", "  source: account-team\n  so\nsev\n")
    c.change(uri, keyed, 4)
    c.diagnostics(uri)
    r = c.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": {"line": at + 1, "character": 4}})
    got = labels(r["result"])
    check(set(got) == {"source", "source_detail"}, "keys of `raised` starting with `so`", sorted(got))
    r = c.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": {"line": at + 2, "character": 3}})
    got = labels(r["result"])
    check(set(got) == {"severity"}, "top-level keys starting with `sev`", sorted(got))
    check("Severity" in got["severity"]["documentation"]["value"], "a key's description", got["severity"])

    # 4. Hover: a key's description; on `step`, what the next step still needs.
    c.change(uri, good, 5)
    c.diagnostics(uri)
    date = lines.index("  date: 2026-11-02")
    r = c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": date, "character": 3}})
    value = r["result"]["contents"]["value"]
    check("raised.date" in value and "Date the escalation was raised" in value, "hover on a key", value)
    step = lines.index("step: raised")
    r = c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": step, "character": 1}})
    value = r["result"]["contents"]["value"]
    check("Current process step" in value and "Next: `gathering`" in value and "nothing missing" in value, "hover on step: the next step needs nothing more", value)
    c.change(uri, good.replace("step: raised", "step: gathering"), 5)
    check(c.diagnostics(uri) == [], "a file at gathering is valid without its details")
    r = c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": step, "character": 1}})
    value = r["result"]["contents"]["value"]
    check("Next: `validation`" in value and "still needs `gathering.description`" in value, "hover on step says what the next step still needs", value)
    blank = len(lines) - 2
    r = c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": blank, "character": 0}})
    check(r["result"] is None, "no hover in the body", r)

    # 5. A quick fix for "did you mean".
    typo = good.replace("segment: S1500\n", "segment: S1500\nseverity: critcal\n")
    c.change(uri, typo, 6)
    diags = c.diagnostics(uri)
    check(len(diags) == 1 and "did you mean `critical`" in diags[0]["message"], "a did-you-mean problem", diags)
    r = c.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": diags[0]["range"], "context": {"diagnostics": diags}})
    actions = r["result"]
    check(len(actions) == 1 and actions[0]["kind"] == "quickfix", "one quickfix", actions)
    edits = actions[0]["edit"]["changes"][uri]
    sev = typo.split("\n").index("severity: critcal")
    check(edits == [{"range": {"start": {"line": sev, "character": 10}, "end": {"line": sev, "character": 17}}, "newText": "critical"}], "the fix replaces the value", edits)
    fixed_lines = typo.split("\n")
    fixed_lines[sev] = "severity: critical"
    c.change(uri, "\n".join(fixed_lines), 7)
    check(c.diagnostics(uri) == [], "the fix clears the problem")

    # 6. esc.yaml: its problems, and its changes apply to the escalations at once.
    config = repo / "esc.yaml"
    curi = config.as_uri()
    ctext = config.read_text(encoding="utf-8")
    c.open(curi, ctext.replace("Europe/Berlin", "Mars/Olympus"))
    diags = c.diagnostics(curi)
    check(len(diags) == 1 and diags[0]["code"] == "config" and "Mars/Olympus" in diags[0]["message"], "a config problem", diags)
    c.change(curi, ctext + "watch_lists:\n  team-list: https://example.com/list\n", 2)
    check(c.diagnostics(curi) == [], "a valid config has no problems")
    wl = good.replace("segment: S1500\n", "segment: S1500\ngathering:\n  watch_list:\n    list: \n")
    c.change(uri, wl, 8)
    c.diagnostics(uri)
    wline = wl.split("\n").index("    list: ")
    r = c.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": {"line": wline, "character": 10}})
    got = labels(r["result"])
    check("team-list" in got and "m365-cwl" in got, "watch lists from the esc.yaml being edited", sorted(got))
    wl2 = good.replace("segment: S1500\n", "segment: S1500\ngathering:\n  watch_list:\n    - list: exo-cwl\n      date: 2026-11-03\n    - list: \n")
    c.change(uri, wl2, 9)
    c.diagnostics(uri)
    wline = wl2.split("\n").index("    - list: ")
    r = c.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": {"line": wline, "character": 12}})
    got = labels(r["result"])
    check("team-list" in got and "m365-cwl" in got, "watch lists in an entry of a list of watch lists", sorted(got))

    # 7. Robust: bad frames, bad JSON, unknown methods, bad params, a file outside a repository.
    c.raw(b"Content-Length: 9\r\n\r\n{not json")
    r = c.wait(lambda m: m.get("id", 0) is None)
    check(r["error"]["code"] == -32700, "bad JSON is a parse error", r)
    c.raw(b"this is not a header\r\n\r\n")
    r = c.wait(lambda m: m.get("id", 0) is None)
    check(r["error"]["code"] == -32700, "a bad header is a parse error", r)
    r = c.request("esc/unknown", {})
    check(r["error"]["code"] == -32601, "an unknown method", r)
    r = c.request("textDocument/hover", {"nonsense": True})
    check(r["error"]["code"] == -32602, "bad params", r)
    c.notify("esc/unknownNotification", {})
    c.notify("textDocument/didChange", {"bad": 1})
    with tempfile.TemporaryDirectory() as outside:
        ouri = (pathlib.Path(outside) / "notes.md").as_uri()
        c.open(ouri, "---\nstep: nowhere\n---\n")
        check(c.diagnostics(ouri) == [], "no problems outside a repository")
        r = c.request("textDocument/completion", {"textDocument": {"uri": ouri}, "position": {"line": 1, "character": 6}})
        check(r["result"] is None, "no completion outside a repository", r)
    r = c.request("textDocument/completion", {"textDocument": {"uri": "untitled:x"}, "position": {"line": 0, "character": 0}})
    check("result" in r, "a document never opened", r)

    # 8. Shutdown and exit: code 0, nothing panicked.
    r, code = c.close()
    check(r.get("result", 0) is None and code == 0, "shutdown then exit ends with 0", r, code)
    check(not any("panicked" in l for l in c.stderr), "nothing panicked", c.stderr)

    # 9. The end of input without shutdown ends with 1, as the protocol asks.
    c = Client([esc, "lsp"], cwd=repo)
    c.initialize(repo)
    c.proc.stdin.close()
    check(c.proc.wait(timeout=TIMEOUT) == 1, "end of input without shutdown: 1")


if __name__ == "__main__":
    scenario(*sys.argv[1:4])
    print(f"lsp scenario: {checks} checks passed")
