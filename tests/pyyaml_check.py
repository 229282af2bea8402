"""Reads [[doc, expected], ...] from argv[1]; each doc must load (PyYAML safe loaders) to
expected. The one accepted difference: a plain YYYY-MM-DD comes back as a date object."""
import datetime, json, sys
import yaml

def norm(v):
    if isinstance(v, datetime.date) and not isinstance(v, datetime.datetime):
        return v.isoformat()  # the deliberate plain-date exception
    if isinstance(v, dict):
        return {norm(k): norm(x) for k, x in v.items()}
    if isinstance(v, list):
        return [norm(x) for x in v]
    return v

cases = json.load(open(argv1 := sys.argv[1], encoding="utf-8"))
loaders = [("SafeLoader", yaml.SafeLoader)]
if getattr(yaml, "__with_libyaml__", False):
    loaders.append(("CSafeLoader", yaml.CSafeLoader))
bad, dates = [], 0
for doc, expected in cases:
    for name, loader in loaders:
        try:
            got = yaml.load(doc, Loader=loader)
        except Exception as e:
            got = "ERROR: %s" % str(e).splitlines()[0:3]
        n = norm(got)
        if n != got:
            dates += 1
        if n != expected or type(n) != type(expected):
            bad.append({"loader": name, "doc": doc[:300], "expected": str(expected)[:200], "got": repr(got)[:200]})
print("pyyaml: %d docs x %s, %d plain-date exceptions, %d failures"
      % (len(cases), [n for n, _ in loaders], dates, len(bad)))
for b in bad[:15]:
    print(json.dumps(b, ensure_ascii=True))
sys.exit(1 if bad else 0)
