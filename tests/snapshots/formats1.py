#!/usr/bin/python3
"""tests/snapshots/formats1.py DIR NAME...: for each NAME (a profile's test name), the JSON and
CSV of top, traces, tags and tree carry the numbers and names of the text reports. DIR holds
NAME.top.txt (top -unit=B, or -unit=ns for time), NAME.top.json, NAME.top.csv, and the same
for traces and tree; tags (tags, default units). Standard library only."""
import csv
import json
import sys


def raw(t):
    """'3222416B', '10000000ns', '15' -> int (the text report ran with -unit=B or -unit=ns)"""
    t = t.strip().rstrip("Bns")
    return int(t)


def fail(msg):
    print(msg)
    sys.exit(1)


def lines(path):
    return open(path, encoding="utf-8").read().split("\n")


def check_top(d, n):
    txt = []
    seen = False
    for l in lines("%s/%s.top.txt" % (d, n)):
        if not seen:
            seen = l.split()[:2] == ["flat", "flat%"]
            continue
        if l:
            f = l.split(None, 5)
            txt.append((f[5], raw(f[0]), raw(f[3])))
    js = json.load(open("%s/%s.top.json" % (d, n)))
    cs = list(csv.DictReader(open("%s/%s.top.csv" % (d, n), newline="", encoding="utf-8")))
    mark = lambda r: r["name"] + (" (%s)" % r["inline"] if r["inline"] else "")
    jr = [(mark(r), r["flat"], r["cum"]) for r in js["rows"]]
    cr = [(mark(r), int(r["flat"]), int(r["cum"])) for r in cs]
    if not txt or jr != txt or cr != txt:
        fail("%s top: text %r... json %r... csv %r..." % (n, txt[:2], jr[:2], cr[:2]))


def check_traces(d, n):
    samples = []
    cur = None
    for l in lines("%s/%s.traces.txt" % (d, n)):
        if l.startswith("-----------+"):
            if cur and cur[1]:
                samples.append(cur)
            cur = [None, [], 0]
            continue
        if cur is None or not l.strip():
            continue
        head = l[:10].strip()
        if l[10:13] == ":  ":
            cur[2] += 1  # a label line
        elif head and cur[0] is None:
            value, frame = l.strip().split("   ", 1)  # "%10s   frame", wider values push on
            cur[0] = raw(value)
            cur[1].append(frame)
        else:
            cur[1].append(l[13:])
    js = json.load(open("%s/%s.traces.json" % (d, n)))
    cs = list(csv.DictReader(open("%s/%s.traces.csv" % (d, n), newline="", encoding="utf-8")))
    if len(samples) != len(js["samples"]) or len(cs) != len(samples) or not samples:
        fail("%s traces: %d text samples, %d JSON, %d CSV" % (n, len(samples), len(js["samples"]), len(cs)))
    for t, j, c in zip(samples, js["samples"], cs):
        frames = [f["name"] + (" (inline)" if f["inline"] else "") for f in j["stack"]]
        if j["value"] != t[0] or frames != t[1]:
            fail("%s traces: JSON %r %r != text %r %r" % (n, j["value"], frames[:2], t[0], t[1][:2]))
        if int(c["value"]) != t[0] or c["stack_leaf_first"].split(";") != t[1]:
            fail("%s traces: CSV %r != text %r" % (n, c, t))
        if len({l["key"] for l in j["labels"]}) != t[2]:
            fail("%s traces: %d label keys in JSON, %d label lines in text" % (n, len(j["labels"]), t[2]))


def check_tags(d, n):
    rows = []
    key = None
    for l in lines("%s/%s.tags.txt" % (d, n)):
        if not l.strip():
            continue
        if ": Total " in l and not l.startswith(" " * 3):
            key = l.split(":")[0].strip()
            continue
        left, name = l.rsplit(": ", 1)
        rows.append((key, name, left.split()[0]))
    js = json.load(open("%s/%s.tags.json" % (d, n)))
    cs = list(csv.DictReader(open("%s/%s.tags.csv" % (d, n), newline="", encoding="utf-8")))
    jr = [(k["key"], v["value"], v["sum_scaled"]) for k in js["keys"] for v in k["values"]]
    cr = [(r["key"], r["value"], r["sum_scaled"]) for r in cs]
    if jr != rows or cr != rows:
        fail("%s tags: text %r json %r csv %r" % (n, rows[:2], jr[:2], cr[:2]))


def check_tree(d, n):
    nodes = []
    seen = False
    for l in lines("%s/%s.tree.txt" % (d, n)):
        if "calls calls%" in l:
            seen = True
            continue
        if not seen or l.startswith("---") or not l.strip():
            continue
        left, name = l.split("| ", 1)
        f = left.split()
        if len(f) == 5:  # a node line: flat flat% sum% cum cum%
            nodes.append([name.strip(), raw(f[0]), raw(f[3]), [], []])
        else:
            nodes.append(("edge", raw(f[0]), name.strip()))
    js = json.load(open("%s/%s.tree.json" % (d, n)))
    # the text as the JSON would print it: callers, node, callees
    want = []
    for x in js["nodes"]:
        for e in x["callers"]:
            want.append(("edge", e["weight"], e["name"] + (" (inline)" if e["inline"] else "")))
        want.append([x["name"], x["flat"], x["cum"], [], []])
        for e in x["callees"]:
            want.append(("edge", e["weight"], e["name"] + (" (inline)" if e["inline"] else "")))
    if not nodes or want != nodes:
        fail("%s tree: text %r json %r" % (n, nodes[:3], want[:3]))
    cs = list(csv.DictReader(open("%s/%s.tree.csv" % (d, n), newline="", encoding="utf-8")))
    cw = []
    for r in cs:
        if r["relation"] == "self":
            cw.append([r["name"], int(r["flat"]), int(r["cum"]), [], []])
        else:
            cw.append(("edge", int(r["weight"]), r["name"] + (" (inline)" if r["inline"] == "true" else "")))
    if cw != nodes:
        fail("%s tree: CSV %r != text %r" % (n, cw[:3], nodes[:3]))


def main():
    d = sys.argv[1]
    for n in sys.argv[2:]:
        check_top(d, n)
        check_traces(d, n)
        check_tags(d, n)
        check_tree(d, n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
