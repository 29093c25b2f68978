#!/usr/bin/python3
"""tests/flame/check_diff.py PPROFKIT UNIT OLD NEW [FLAGS...]

Checks the differential `pprofkit flame -diff_base=OLD NEW` (and the same with -base) against
sums computed here from `pprofkit traces -unit=UNIT` of OLD and of NEW alone:
- every frame's tooltip says before = OLD's sum and after = NEW's sum for its path, and
  delta = after - before;
- red (r > b) exactly when it grew, blue (b > r) when it shrank, grey when equal;
- widths: a frame with an after value is as wide as its own after value plus its children's
  widths; a frame without (the stack disappeared) keeps its before value, so it is drawn;
- with -flame_width_from=old the mirror image, with max the larger self value;
- -base gives the same bytes as -diff_base.
"""
import os
import re
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_lib import run, traces  # noqa: E402

SVG = "{http://www.w3.org/2000/svg}"
FG = "{http://github.com/jonhoo/inferno}"


def sums(pk, unit, profile, flags):
    tot, selfv = {}, {}
    for v, frames in traces(pk, unit, profile, flags):
        path = tuple(reversed(frames))
        selfv[path] = selfv.get(path, 0) + v
        for i in range(0, len(path) + 1):
            tot[path[:i]] = tot.get(path[:i], 0) + v
    return tot, selfv


def num(s):
    m = re.match(r"^([-+]?[0-9]+)[a-zA-Z]*", s)
    return int(m.group(1))


def main():
    pk, unit, old, new, flags = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
    errors = []
    frm = "new"
    for f in flags:
        m = re.match(r"^--?flame[-_]width[-_]from=(.*)$", f)
        if m:
            frm = m.group(1)
    told, sold = sums(pk, unit, old, flags)
    tnew, snew = sums(pk, unit, new, flags)
    # the layout width, from the rule in the man page
    paths = sorted(set(told) | set(tnew), key=len, reverse=True)
    lay = {}
    children = {}
    for p in paths:
        if p:
            children.setdefault(p[:-1], []).append(p)
    for p in paths:  # longest first: children before parents
        ks = sum(lay[c] for c in children.get(p, []))
        o, n = told.get(p, 0), tnew.get(p, 0)
        so, sn = sold.get(p, 0), snew.get(p, 0)
        if frm == "new":
            lay[p] = sn + ks if n != 0 else o
        elif frm == "old":
            lay[p] = so + ks if o != 0 else n
        else:
            lay[p] = max(so, sn) + ks
    svg = run([pk, "flame", "-unit=" + unit, "-diff_base=" + old] + flags + [new])
    svg2 = run([pk, "flame", "-unit=" + unit, "-base=" + old] + flags + [new])
    if svg != svg2:
        errors.append("-base and -diff_base differ")
    root = ET.fromstring(svg)
    frames = []
    for g in root.find(".//%sg[@id='frames']" % SVG).findall(SVG + "g"):
        rect = g.find(SVG + "rect")
        t = g.find(SVG + "title").text.split("\n")
        vals = dict(l.split(": ", 1) for l in t[1:])
        rgb = [int(c) for c in re.findall(r"\d+", rect.get("fill"))]
        frames.append({"name": t[0], "d": int(g.get("data-d")), "x": int(rect.get(FG + "x")),
                       "w": int(rect.get(FG + "w")), "before": num(vals["before"]),
                       "after": num(vals["after"]), "delta": num(vals["delta"]), "rgb": rgb})
    frames.sort(key=lambda f: (f["d"], f["x"]))
    frames[0]["path"] = ()
    byd = {0: [frames[0]]}
    for f in frames[1:]:
        ps = [p for p in byd.get(f["d"] - 1, []) if p["x"] <= f["x"] and f["x"] + f["w"] <= p["x"] + p["w"]]
        if len(ps) != 1:
            errors.append("%s: %d parents" % (f["name"], len(ps)))
            continue
        f["path"] = ps[0]["path"] + (f["name"],)
        byd.setdefault(f["d"], []).append(f)
    seen = set()
    for f in frames:
        p = f.get("path")
        if p is None:
            continue
        seen.add(p)
        o, n = told.get(p, 0), tnew.get(p, 0)
        where = ";".join(p) or "all"
        if (f["before"], f["after"], f["delta"]) != (o, n, n - o):
            errors.append("%s: before/after/delta %d/%d/%d, traces give %d/%d/%d" % (where, f["before"], f["after"], f["delta"], o, n, n - o))
        r, g, b = f["rgb"]
        sign = (r > b) - (r < b)
        if sign != (n > o) - (n < o):
            errors.append("%s: colour %s for a change of %d" % (where, f["rgb"], n - o))
        if f["w"] != lay[p]:
            errors.append("%s: fg:w %d, expected %d" % (where, f["w"], lay[p]))
    scale = 1180 / lay[()]
    for p, w in lay.items():
        if w * scale >= 0.1 and p not in seen:
            errors.append("%s not drawn (%d wide)" % (";".join(p), w))
    if errors:
        for e in errors[:12]:
            print(e)
        sys.exit(1)


main()
