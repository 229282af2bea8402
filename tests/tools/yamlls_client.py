"""Drives yaml-language-server as an editor would, over stdio, to show that the modeline
`# yaml-language-server: $schema=schemas/esc.schema.json` in esc.yaml gives completion and
diagnostics from esc's published schema.

Usage: python3 yamlls_client.py SERVER_CMD... -- ESC_YAML
Opens ESC_YAML (its text as on disk), asks for completion at the start of its last line
(which the caller leaves empty), and prints one JSON object: {"diagnostics": [messages],
"completion": [labels], "hover": text}. Standard library only.
"""
import json
import os
import subprocess
import sys
import threading
import queue
import pathlib

args = sys.argv[1:]
cut = args.index("--")
server, path = args[:cut], pathlib.Path(args[cut + 1]).resolve()
text = path.read_text()
uri = path.as_uri()

proc = subprocess.Popen(server + ["--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                        stderr=subprocess.DEVNULL)
inbox = queue.Queue()


def reader():
    out = proc.stdout
    while True:
        headers = {}
        while True:
            line = out.readline()
            if not line:
                inbox.put(None)
                return
            line = line.decode().strip()
            if not line:
                break
            k, _, v = line.partition(":")
            headers[k.lower()] = v.strip()
        body = out.read(int(headers["content-length"]))
        inbox.put(json.loads(body))


threading.Thread(target=reader, daemon=True).start()
next_id = [0]


def send(msg):
    data = json.dumps(msg).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
    proc.stdin.flush()


def request(method, params):
    next_id[0] += 1
    send({"jsonrpc": "2.0", "id": next_id[0], "method": method, "params": params})
    return next_id[0]


def notify(method, params):
    send({"jsonrpc": "2.0", "method": method, "params": params})


settings = {"yaml": {"validate": True, "completion": True, "hover": True, "schemaStore": {"enable": False}}}
diagnostics = None
answers = {}


def pump(until, timeout=30):
    """Handles messages until `until()` is true."""
    global diagnostics
    while not until():
        msg = inbox.get(timeout=timeout)
        if msg is None:
            raise SystemExit("the server exited")
        if "id" in msg and "method" in msg:  # a request from the server
            result = None
            if msg["method"] == "workspace/configuration":
                result = [settings.get(i.get("section", ""), None) if i.get("section") else settings
                          for i in msg["params"]["items"]]
            send({"jsonrpc": "2.0", "id": msg["id"], "result": result})
        elif "id" in msg:
            answers[msg["id"]] = msg.get("result")
        elif msg.get("method") == "textDocument/publishDiagnostics" and msg["params"]["uri"] == uri:
            diagnostics = [d["message"] for d in msg["params"]["diagnostics"]]


root = path.parent.as_uri()
i = request("initialize", {"processId": os.getpid(), "rootUri": root, "capabilities": {
    "workspace": {"configuration": True},
    "textDocument": {"completion": {"completionItem": {"snippetSupport": False}},
                     "hover": {"contentFormat": ["plaintext"]}}}})
pump(lambda: i in answers)
notify("initialized", {})
notify("workspace/didChangeConfiguration", {"settings": settings})
notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                 "text": text}})
pump(lambda: diagnostics is not None)
last = len(text.splitlines()) - (0 if text.endswith("\n") else 1)
c = request("textDocument/completion", {"textDocument": {"uri": uri},
                                        "position": {"line": last, "character": 0}})
pump(lambda: c in answers)
items = answers[c]
items = items.get("items", []) if isinstance(items, dict) else (items or [])
h_line = next(n for n, l in enumerate(text.splitlines()) if l.startswith("timezone"))
h = request("textDocument/hover", {"textDocument": {"uri": uri},
                                   "position": {"line": h_line, "character": 2}})
pump(lambda: h in answers)
hover = answers[h] or {}
contents = hover.get("contents", "")
if isinstance(contents, dict):
    contents = contents.get("value", "")
s = request("shutdown", None)
pump(lambda: s in answers)
notify("exit", None)
proc.wait(timeout=10)
print(json.dumps({"diagnostics": diagnostics, "completion": [x["label"] for x in items],
                  "hover": contents}))
