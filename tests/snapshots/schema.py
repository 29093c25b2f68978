#!/usr/bin/python3
"""tests/snapshots/schema.py SCHEMA JSON...: validates each JSON file (one document, or one per
line with --lines) against SCHEMA, a JSON Schema that uses only this subset: type (a name or a
list), enum, const, properties, required, additionalProperties (false or a schema), items,
minimum, minItems, oneOf, $ref to "#/$defs/NAME", and the annotations $schema, $id, $defs,
title, description. Any other keyword in the schema is an error, so that the schema cannot
promise what nothing checks. Exits 0 when every document is valid, else prints why and exits 1.
Standard library only."""
import json
import sys

KNOWN = {"type", "enum", "const", "properties", "required", "additionalProperties", "items",
         "minimum", "minItems", "oneOf", "$ref", "$schema", "$id", "$defs", "title",
         "description"}


def type_ok(v, t):
    if t == "null":
        return v is None
    if t == "boolean":
        return isinstance(v, bool)
    if t == "integer":
        return isinstance(v, int) and not isinstance(v, bool)
    if t == "number":
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    if t == "string":
        return isinstance(v, str)
    if t == "array":
        return isinstance(v, list)
    if t == "object":
        return isinstance(v, dict)
    raise ValueError("unknown type " + t)


def check(root, s, v, path, errs):
    for k in s:
        if k not in KNOWN:
            raise ValueError("schema keyword %s is not supported (at %s)" % (k, path))
    if "$ref" in s:
        ref = s["$ref"]
        if not ref.startswith("#/$defs/"):
            raise ValueError("unsupported $ref " + ref)
        check(root, root["$defs"][ref[len("#/$defs/"):]], v, path, errs)
    if "type" in s:
        ts = s["type"] if isinstance(s["type"], list) else [s["type"]]
        if not any(type_ok(v, t) for t in ts):
            errs.append("%s: %r is not of type %s" % (path, v, s["type"]))
            return
    if "enum" in s and v not in s["enum"]:
        errs.append("%s: %r not in %r" % (path, v, s["enum"]))
    if "const" in s and v != s["const"]:
        errs.append("%s: %r is not %r" % (path, v, s["const"]))
    if "minimum" in s and isinstance(v, (int, float)) and v < s["minimum"]:
        errs.append("%s: %r < %r" % (path, v, s["minimum"]))
    if isinstance(v, dict):
        props = s.get("properties", {})
        for r in s.get("required", []):
            if r not in v:
                errs.append("%s: missing %s" % (path, r))
        for k, x in v.items():
            if k in props:
                check(root, props[k], x, path + "." + k, errs)
            elif "additionalProperties" in s:
                ap = s["additionalProperties"]
                if ap is False:
                    errs.append("%s: unexpected member %s" % (path, k))
                elif isinstance(ap, dict):
                    check(root, ap, x, path + "." + k, errs)
    if isinstance(v, list):
        if "minItems" in s and len(v) < s["minItems"]:
            errs.append("%s: fewer than %d items" % (path, s["minItems"]))
        if "items" in s:
            for i, x in enumerate(v):
                check(root, s["items"], x, "%s[%d]" % (path, i), errs)
    if "oneOf" in s:
        ok = 0
        why = []
        for i, sub in enumerate(s["oneOf"]):
            e = []
            check(root, sub, v, path, e)
            if not e:
                ok += 1
            else:
                why.append("  branch %d: %s" % (i, e[0]))
        if ok != 1:
            errs.append("%s: matches %d of oneOf, want 1\n%s" % (path, ok, "\n".join(why)))


def main():
    args = sys.argv[1:]
    lines = False
    if args and args[0] == "--lines":
        lines = True
        args = args[1:]
    if len(args) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(args[0]) as f:
        root = json.load(f)
    bad = 0
    for name in args[1:]:
        with open(name) as f:
            docs = [json.loads(l) for l in f if l.strip()] if lines else [json.load(f)]
        for d in docs:
            errs = []
            check(root, root, d, "$", errs)
            if errs:
                bad = 1
                print("%s: %s" % (name, errs[0]))
    return bad


if __name__ == "__main__":
    sys.exit(main())
