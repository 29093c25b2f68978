#!/usr/bin/python3
"""tests/flame/check.py PPROFKIT UNIT PROFILE [FLAGS...]

Checks `pprofkit flame` and `pprofkit folded` of PROFILE (with FLAGS) against sums computed
here, independently, from `pprofkit traces -unit=UNIT` of the same PROFILE and FLAGS (UNIT is
the selected sample type's own unit, so traces prints every value unscaled):

- every frame of the SVG has fg:w equal to the sum of the values of the samples whose stack
  (root first; with -flame_reverse leaf first) starts with that frame's path; the root "all"
  is the sum of every sample;
- every path whose sum is at least -flame_minwidth pixels wide is drawn, no narrower one is,
  and the subtitle counts the left-out frames;
- children lie inside their parent and after one another in name (byte) order, starting at
  the parent's offset; fg:x and the pixel x agree;
- the SVG is well-formed XML, has the script and no external reference;
- `folded` prints one line per distinct stack, its value the sum of that stack's samples,
  lines sorted bytewise.
Prints nothing and exits 0 when all hold; else the first failures and exits 1.
"""
import os
import re
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_lib import run, traces  # noqa: E402

SVG = "{http://www.w3.org/2000/svg}"
FG = "{http://github.com/jonhoo/inferno}"
def main():
    pk, unit, profile, flags = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    errors = []
    reverse = any(re.match(r"^--?flame[-_]reverse(=(1|t|true|TRUE|True))?$", f) for f in flags)
    minwidth, width = 0.1, 1200.0
    for f in flags:
        m = re.match(r"^--?flame[-_]minwidth=(.*)$", f)
        if m:
            minwidth = float(m.group(1))
        m = re.match(r"^--?flame[-_]width=(.*)$", f)
        if m:
            width = float(m.group(1))

    samples = traces(pk, unit, profile, flags)
    want, stacks, total = {}, {}, 0
    for v, frames in samples:
        path = tuple(frames if reverse else reversed(frames))
        total += v
        stacks[path] = stacks.get(path, 0) + v
        for i in range(1, len(path) + 1):
            want[path[:i]] = want.get(path[:i], 0) + v

    # folded
    folded = run([pk, "folded"] + flags + [profile]).decode("utf-8", "replace")
    lines = folded.split("\n")
    if lines[-1] != "":
        errors.append("folded: no final newline")
    lines = lines[:-1]
    raw = folded.encode("utf-8", "surrogateescape").split(b"\n")[:-1]
    if raw != sorted(raw):
        errors.append("folded: lines not sorted")
    got = {}
    for ln in lines:
        stack, _, val = ln.rpartition(" ")
        key = tuple(stack.split(";"))
        if key in got:
            errors.append("folded: stack twice: %r" % ln)
        got[key] = int(val)
    expect = {tuple(f.replace(";", ":") for f in k): v for k, v in stacks.items() if v != 0}
    if got != expect:
        for k in sorted(set(got) | set(expect)):
            if got.get(k) != expect.get(k):
                errors.append("folded: %s: got %s, traces give %s" % (";".join(k), got.get(k), expect.get(k)))
                if len(errors) > 10:
                    break

    # flame
    svg = run([pk, "flame"] + flags + [profile])
    if b"xlink:href" in svg or b"<image" in svg or re.search(rb"(src|href)=", svg):
        errors.append("svg: an external reference")
    if b"<script" not in svg:
        errors.append("svg: no script")
    root = ET.fromstring(svg)
    frames_g = root.find(".//%sg[@id='frames']" % SVG)
    frames = []
    for g in frames_g.findall("%sg" % SVG):
        rect = g.find(SVG + "rect")
        name = g.find(SVG + "title").text.split("\n")[0]
        frames.append({"name": name, "d": int(g.get("data-d")), "x": int(rect.get(FG + "x")),
                       "w": int(rect.get(FG + "w")), "px": float(rect.get("x")),
                       "pw": float(rect.get("width"))})
    if not frames:
        if total != 0:
            errors.append("svg: no frames, traces total %d" % total)
        report(errors)
        return
    frames.sort(key=lambda f: (f["d"], f["x"]))
    rootf = frames[0]
    if rootf["d"] != 0 or rootf["name"] != "all" or rootf["x"] != 0:
        errors.append("svg: the first frame is not the root 'all'")
    if rootf["w"] != total:
        errors.append("svg: root fg:w %d, traces total %d" % (rootf["w"], total))
    scale = (width - 20) / rootf["w"] if rootf["w"] else 0
    rootf["path"] = ()
    by_depth = {0: [rootf]}
    for f in frames[1:]:
        parents = [p for p in by_depth.get(f["d"] - 1, [])
                   if p["x"] <= f["x"] and f["x"] + f["w"] <= p["x"] + p["w"]]
        if len(parents) != 1:
            errors.append("svg: frame %s at depth %d, x %d: %d parents" % (f["name"], f["d"], f["x"], len(parents)))
            continue
        p = parents[0]
        f["path"] = p["path"] + (f["name"],)
        p.setdefault("kids", []).append(f)
        by_depth.setdefault(f["d"], []).append(f)
    drawn = set()
    for f in frames:
        if "path" not in f:
            continue
        if f["path"]:
            drawn.add(f["path"])
            if want.get(f["path"]) != f["w"]:
                errors.append("svg: %s: fg:w %d, traces give %s" % (";".join(f["path"]), f["w"], want.get(f["path"])))
        if abs(f["px"] - (10 + f["x"] * scale)) > 0.02 or abs(f["pw"] - f["w"] * scale) > 0.02:
            errors.append("svg: %s: pixels do not match fg:x/fg:w" % f["name"])
        kids = f.get("kids", [])
        names = [k["name"].encode("utf-8", "surrogateescape") for k in kids]
        if names != sorted(names) or len(set(names)) != len(names):
            errors.append("svg: children of %s not in name order" % f["name"])
    # every wide enough path drawn, offsets: siblings back to back from the parent's x
    for f in frames:
        if "path" not in f:
            continue
        x = f["x"]
        kids = {k["name"]: k for k in f.get("kids", [])}
        names = sorted({p[-1] for p in want if len(p) == len(f["path"]) + 1 and p[:-1] == f["path"]},
                       key=lambda s: s.encode("utf-8", "surrogateescape"))
        for n in names:
            w = want[f["path"] + (n,)]
            if w <= 0:
                continue
            k = kids.get(n)
            if w * scale >= minwidth and k is None:
                errors.append("svg: %s missing (%d wide)" % (";".join(f["path"] + (n,)), w))
            if k is not None and k["x"] != x:
                errors.append("svg: %s at fg:x %d, expected %d" % (";".join(k["path"]), k["x"], x))
            x += w
    # left out: frames with a width whose caller is drawn (their callees are not counted)
    missing = sum(1 for p, w in want.items() if w > 0 and p not in drawn and (len(p) == 1 or p[:-1] in drawn))
    sub = root.find(".//%stext[@id='subtitle']" % SVG).text or ""
    m = re.search(r"(\d+) frames? narrower than", sub)
    if (int(m.group(1)) if m else 0) != missing:
        errors.append("svg: subtitle counts %s left-out frames, %d are" % (m.group(1) if m else 0, missing))
    report(errors)


def report(errors):
    if errors:
        errors.sort(key=lambda e: "traces give" not in e)  # wrong values first, stable
        for e in errors[:12]:
            print(e)
        sys.exit(1)


main()
