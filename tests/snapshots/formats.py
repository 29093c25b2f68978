#!/usr/bin/python3
"""tests/snapshots/formats.py DIR: the JSON and CSV of compare, trend and check carry the numbers
of their text reports. DIR holds (written by tests/snapshots/run):
  cmp.txt (compare -unit=B), cmp.json, cmp.csv; trend.txt (trend -unit=B), trend.json,
  trend.csv; check.json (check -max_site_growth=10kB).
Standard library only."""
import csv
import json
import sys


def raw(text):
    """'1739008B' or '+1739008B' or '12' -> int"""
    t = text.lstrip("+")
    if t.endswith("B"):
        t = t[:-1]
    return int(t)


def text_rows(path, header_word, nfields):
    rows = []
    seen = False
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not seen:
            seen = line.split()[:1] == [header_word]
            continue
        parts = line.split(None, nfields)
        rows.append(parts)
    return rows


def fail(msg):
    print(msg)
    sys.exit(1)


def main():
    d = sys.argv[1]
    # compare: text rows are old new delta delta% status name
    txt = text_rows(d + "/cmp.txt", "old", 5)
    js = json.load(open(d + "/cmp.json"))
    cs = list(csv.DictReader(open(d + "/cmp.csv", newline="", encoding="utf-8")))
    body = [r for r in txt if r[5] != "(total)"]
    total = [r for r in txt if r[5] == "(total)"][0]
    if len(body) != len(js["rows"]) or len(cs) != len(js["rows"]) + 1:
        fail("compare: %d text rows, %d JSON rows, %d CSV rows" % (len(body), len(js["rows"]), len(cs)))
    for t, j, c in zip(body, js["rows"], cs):
        want = (t[5], raw(t[0]), raw(t[1]), raw(t[2]), t[4])
        if (j["name"], j["old"], j["new"], j["delta"], j["status"]) != want:
            fail("compare JSON row %r != text %r" % (j, want))
        if (c["name"], int(c["old"]), int(c["new"]), int(c["delta"]), c["status"]) != want:
            fail("compare CSV row %r != text %r" % (c, want))
        if j["delta"] != j["new"] - j["old"]:
            fail("compare JSON delta is not new - old: %r" % j)
    tj = js["total"]
    if (tj["old"], tj["new"], tj["delta"]) != (raw(total[0]), raw(total[1]), raw(total[2])):
        fail("compare total %r != text %r" % (tj, total))
    if (js["snapshots"][0]["total"], js["snapshots"][1]["total"]) != (tj["old"], tj["new"]):
        fail("compare snapshot totals differ from the totals row")
    if cs[-1]["name"] != "(total)" or int(cs[-1]["delta"]) != tj["delta"]:
        fail("compare CSV total row %r" % cs[-1])

    # trend: text rows are score up R2 growth rate share spark T0..T5 name
    txt = text_rows(d + "/trend.txt", "score", 13)
    js = json.load(open(d + "/trend.json"))
    cs = list(csv.DictReader(open(d + "/trend.csv", newline="", encoding="utf-8")))
    if not (len(txt) == len(js["rows"]) == len(cs)):
        fail("trend: %d text rows, %d JSON rows, %d CSV rows" % (len(txt), len(js["rows"]), len(cs)))
    n = len(js["snapshots"])
    for t, j, c in zip(txt, js["rows"], cs):
        vals = [raw(x) for x in t[7:7 + n]]
        if j["name"] != t[13] or j["values"] != vals:
            fail("trend JSON row %s %r != text %s %r" % (j["name"], j["values"], t[13], vals))
        if c["name"] != t[13] or [int(c["t%d" % i]) for i in range(n)] != vals:
            fail("trend CSV row %r != text %r" % (c, t))
        if j["growth"] != raw(t[3]) or j["growth"] != vals[-1] - vals[0]:
            fail("trend growth %r vs text %s" % (j, t[3]))
        if "%.1f" % j["score"] != t[0] or "%d/%d" % (j["steps_up"], j["steps"]) != t[1]:
            fail("trend score/steps %r vs text %r" % (j, t[:2]))
        if abs(float(c["score"]) - j["score"]) > 1e-9:
            fail("trend CSV score differs: %r" % c)

    # check: the offending rows are exactly the compare rows whose delta exceeds 10kB.
    ck = json.load(open(d + "/check.json"))
    cmpj = json.load(open(d + "/cmp.json"))
    want = sorted(r["name"] for r in cmpj["rows"] if r["delta"] > 10 * 1024)
    got = sorted(r["name"] for r in ck["report"]["rows"])
    if got != want or ck["exceeded"] != bool(want):
        fail("check rows %r, want %r" % (got, want))
    return 0


if __name__ == "__main__":
    sys.exit(main())
