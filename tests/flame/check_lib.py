"""check_lib.py - the traces parser shared by check.py and check_diff.py."""
import os
import re
import subprocess
import sys

VALUE = re.compile(r"^ *(-?[0-9][0-9.]*)([a-zA-Z]*)   (\S.*)$")



def run(args):
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        sys.exit("FAILED %s: %s" % (" ".join(args), p.stderr.decode(errors="replace")))
    return p.stdout


def traces(pk, unit, profile, flags):
    """The samples: (value, [frames leaf first]). With FLAME_TRACES_FROM_GO=1 in the
    environment they come from `go tool pprof -traces` itself (the flame-only flags left out),
    for checks on new profiles by hand; the suite never needs Go."""
    if os.environ.get("FLAME_TRACES_FROM_GO") == "1":
        gof = [f for f in flags if not re.match(r"^--?(flame|icicle|folded)", f)]
        out = run(["go", "tool", "pprof", "-traces", "-unit=" + unit] + gof + [profile])
        out = out.decode("utf-8", "replace")
    else:
        out = run([pk, "traces", "-unit=" + unit] + flags + [profile]).decode("utf-8", "replace")
    samples, cur = [], None
    for line in out.split("\n"):
        if line.startswith("-----------+"):
            cur = None
            continue
        m = VALUE.match(line)
        if cur is None and m and not line.startswith(" " * 13):
            v = float(m.group(1))
            if v != int(v):
                sys.exit("traces printed a fractional value: %r" % line)
            cur = [int(v), [m.group(3)]]
            samples.append(cur)
        elif cur is not None and line.startswith(" " * 13):
            cur[1].append(line[13:])
    for s in samples:
        s[1] = [f[: -len(" (inline)")] if f.endswith(" (inline)") else f for f in s[1]]
    return samples


