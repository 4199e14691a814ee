#!/usr/bin/python3
"""Fails on a figure no report may print: a negative number in a JSON
report (differences aside), or NaN / infinity in either format.

  check_figures.py FILE...   (.json: every number; other: the text)
Prints `ok FILE` per clean file, else the first bad figure and exits 1.
"""
import json
import math
import re
import sys

SIGNED = ("delta", "saving", "change")


def bad_json(value, path=""):
    if isinstance(value, dict):
        for k, v in value.items():
            if any(s in k for s in SIGNED):
                continue
            found = bad_json(v, path + "." + k)
            if found:
                return found
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found = bad_json(v, "%s[%d]" % (path, i))
            if found:
                return found
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if value < 0 or math.isnan(value) or math.isinf(value):
            return "%s = %r" % (path, value)
    return None


def main(files):
    status = 0
    for f in files:
        text = open(f, encoding="utf-8").read()
        if f.endswith(".json"):
            problem = bad_json(json.loads(text))
        else:
            m = re.search(r"\b(nan|inf|infinity)\b", text, re.I)
            problem = m and "text has %r" % m.group(0)
        if problem:
            print("BAD %s: %s" % (f, problem))
            status = 1
        else:
            print("ok", f)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
