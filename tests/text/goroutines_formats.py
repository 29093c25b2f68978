#!/usr/bin/python3
"""tests/text/goroutines_formats.py DIR NAME...: for each NAME, DIR/NAME.txt (`pprofkit
goroutines`), DIR/NAME.json (the same with -format=json) and DIR/NAME.csv (-format=csv) must
carry the same groups in the same order: counts (and, under -diff_base, the old counts and
the +N gains), states, wait ranges, labels, the root ("created by") frame and every stack
frame; and the JSON's per-state lines and totals those of the text's summary. The text is
read here with its own parser, independent of the C code. Standard library only."""
import csv
import json
import re
import sys

HEAD = re.compile(r"^(\d+) goroutines in (\d+) groups(?:, ([+-]\d+) from (\d+))?$")
STATE = re.compile(r"^ {0,9}(\d+)  (.*?)(?: \(([+-]\d+)\))?$")
GROUP = re.compile(
    r"^(?:([+-]\d+) \((\d+) -> (\d+)\)|(\d+)) \[(.*?)(?:, (\d+)(?:-(\d+))? minutes?)?\](.*)$")


def fail(msg):
    print(msg)
    sys.exit(1)


def parse_text(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    m = HEAD.match(lines[0])
    if not m:
        fail("%s: bad first line %r" % (path, lines[0]))
    t = {"goroutines": int(m[1]), "group_count": int(m[2]), "diff": m[3] is not None}
    if t["diff"]:
        t["base_goroutines"] = int(m[4])
        if int(m[1]) - int(m[4]) != int(m[3]):
            fail("%s: %s" % (path, lines[0]))
    i = 1
    t["min_wait"] = None
    if lines[i].startswith("waiting at least "):
        t["min_wait"] = lines[i][len("waiting at least "):]
        i += 1
    t["states"] = []
    while lines[i]:
        m = STATE.match(lines[i])
        if not m:
            fail("%s: bad state line %r" % (path, lines[i]))
        s = {"state": "" if m[2] == "?" else m[2], "count": int(m[1])}
        if t["diff"]:
            s["delta"] = int(m[3])
        t["states"].append(s)
        i += 1
    i += 1
    t["groups"] = []
    g = None
    while i < len(lines):
        l = lines[i]
        i += 1
        if not l:
            g = None
            continue
        if g is None:
            m = GROUP.match(l)
            if not m:
                fail("%s: bad group line %r" % (path, l))
            g = {"state": "" if m[5] == "?" else m[5], "labels": m[8], "stack": []}
            if m[1] is not None:
                g.update(delta=int(m[1]), base_count=int(m[2]), count=int(m[3]))
            else:
                g["count"] = int(m[4])
            if m[6] is None:
                g["wait"] = (None, None)
            else:
                g["wait"] = (int(m[6]), int(m[7] if m[7] is not None else m[6]))
            g["root"] = None
            t["groups"].append(g)
        elif l.startswith("        "):
            f = g["stack"][-1]
            fl = l[8:]
            m = re.match(r"^(.*):(\d+)$", fl)
            f["file"], f["line"] = (m[1], int(m[2])) if m else (fl, 0)
        elif l.startswith("    "):
            name = l[4:]
            root = name.endswith("  (root)")
            if root:
                name = name[: -len("  (root)")]
            f = {"name": name, "file": "", "line": 0}
            if re.match(r"^0x[0-9a-f]+$", name):
                f = {"name": "", "file": "", "line": 0, "address": int(name, 16)}
            g["stack"].append(f)
            if root:
                g["root"] = f
        else:
            fail("%s: unexpected line %r" % (path, l))
    return t


def label_text(labels):
    out = ""
    for x in labels:
        out += " %s=%s" % (x["key"], x["str"] if "str" in x else "%d%s" % (x["num"], x["unit"]))
    return out


def frame_cell(f):
    if "address" in f:
        return "%#x" % f["address"]
    s = f["name"]
    if f["file"] or f["line"]:
        s += " " + f["file"] + (":%d" % f["line"] if f["line"] else "")
    return s


def check(d, n):
    t = parse_text("%s/%s.txt" % (d, n))
    js = json.load(open("%s/%s.json" % (d, n), encoding="utf-8"))
    cs = list(csv.DictReader(open("%s/%s.csv" % (d, n), newline="", encoding="utf-8")))
    where = n + ": "
    if js["command"] != "goroutines":
        fail(where + "command %r" % js["command"])
    for k in ("goroutines", "group_count", "diff", "min_wait"):
        if js[k] != t[k]:
            fail(where + "%s: json %r, text %r" % (k, js[k], t[k]))
    if t["diff"] != ("base_goroutines" in js) or (t["diff"] and
                                                  js["base_goroutines"] != t["base_goroutines"]):
        fail(where + "base_goroutines")
    jstates = [{k: s[k] for k in ("state", "count", "delta") if k in s} for s in js["states"]]
    if jstates != t["states"]:
        fail(where + "states: json %r, text %r" % (jstates, t["states"]))
    if sum(s["count"] for s in js["states"]) != t["goroutines"]:
        fail(where + "states do not sum to the total")
    if len(js["groups"]) != len(t["groups"]) or len(cs) != len(t["groups"]):
        fail(where + "groups: json %d, csv %d, text %d" %
             (len(js["groups"]), len(cs), len(t["groups"])))
    if not t["groups"]:
        fail(where + "no groups in the text report")
    for k, (tg, jg, cg) in enumerate(zip(t["groups"], js["groups"], cs)):
        w = where + "group %d: " % k
        if jg["count"] != tg["count"] or int(cg["count"]) != tg["count"]:
            fail(w + "count json %r csv %r text %r" % (jg["count"], cg["count"], tg["count"]))
        if jg["count_scaled"] != str(tg["count"]) or cg["count_scaled"] != str(tg["count"]):
            fail(w + "count_scaled")
        if t["diff"]:
            for key in ("base_count", "delta"):
                if jg.get(key) != tg[key] or cg[key] != str(tg[key]):
                    fail(w + "%s json %r csv %r text %r" %
                         (key, jg.get(key), cg[key], tg[key]))
        elif "base_count" in jg or "delta" in jg or cg["base_count"] or cg["delta"]:
            fail(w + "base_count/delta without -diff_base")
        if jg["state"] != tg["state"] or cg["state"] != tg["state"]:
            fail(w + "state json %r csv %r text %r" % (jg["state"], cg["state"], tg["state"]))
        if (jg["wait_min"], jg["wait_max"]) != tg["wait"]:
            fail(w + "wait json %r text %r" % ((jg["wait_min"], jg["wait_max"]), tg["wait"]))
        cw = tuple(int(cg[x]) if cg[x] else None for x in ("wait_min", "wait_max"))
        if cw != tg["wait"]:
            fail(w + "wait csv %r text %r" % (cw, tg["wait"]))
        if label_text(jg["labels"]) != tg["labels"]:
            fail(w + "labels json %r text %r" % (label_text(jg["labels"]), tg["labels"]))
        if (" " + cg["labels"].replace(";", " ") if cg["labels"] else "") != tg["labels"]:
            fail(w + "labels csv %r text %r" % (cg["labels"], tg["labels"]))
        if jg["stack"] != tg["stack"]:
            fail(w + "stack json %r text %r" % (jg["stack"], tg["stack"]))
        if cg["stack_leaf_first"] != ";".join(frame_cell(f) for f in tg["stack"]):
            fail(w + "stack csv %r" % cg["stack_leaf_first"])
        if jg["created_by"] != tg["root"]:
            fail(w + "created_by json %r text %r" % (jg["created_by"], tg["root"]))
        if cg["created_by"] != (frame_cell(tg["root"]) if tg["root"] else ""):
            fail(w + "created_by csv %r" % cg["created_by"])
        if cg["group"] != str(k) or cg["unit"] != js["unit"]:
            fail(w + "group/unit csv")


if len(sys.argv) < 3:
    fail("usage: goroutines_formats.py DIR NAME...")
for name in sys.argv[2:]:
    check(sys.argv[1], name)
