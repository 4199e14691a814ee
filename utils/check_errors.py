#!/usr/bin/python3
"""Runs tfperf-opt on every file of a table and checks how it fails.

Table (tab-separated, '#' comments): FILE  EXIT  NODE  SUBSTRING
  FILE       path, relative to the table's folder
  EXIT       1: must fail; 0: must import (positive control)
  NODE       for failures, the node the error must name ('-': none)
  SUBSTRING  text the error line must contain ('-' for positive controls)

For a failure it asserts: exit status exactly 1 (a signal or a sanitizer
abort is not 1), stderr has exactly one line containing 'error:', that line
starts with '<file>: error: ' (names the file), names the node as
"node '<NODE>': " when NODE is given and contains SUBSTRING, and an output
file given with -o that existed before is left byte-for-byte untouched.
No run may leave protobuf's own log lines on stderr.
A positive control must exit 0 with no 'error:' line and write a module.
Every run must end within --timeout seconds (a hang is a failure).

Prints one line per file and '<n> passed, <m> failed'; exits 1 on failures.

Usage: check_errors.py TABLE --tool PATH/tfperf-opt [--timeout S]
"""
import argparse
import os
import subprocess
import sys

SENTINEL = b"pre-existing output: tfperf-opt must not touch this\n"


def check(tool, folder, name, exit_code, node, substring, timeout):
    path = os.path.join(folder, name)
    out = path + ".out.mlir"
    with open(out, "wb") as f:
        f.write(SENTINEL)
    try:
        p = subprocess.run([tool, path, "-o", out], capture_output=True,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        return "no result within %ss (hang?)" % timeout
    err = p.stderr.decode("utf-8", "replace")
    errors = [l for l in err.splitlines() if "error:" in l]
    kept = open(out, "rb").read()
    os.remove(out)
    if "[libprotobuf" in err:
        return "protobuf log lines on stderr: %r" % err[:300]
    if exit_code == 0:
        if p.returncode != 0 or errors:
            return "expected success, got exit %d: %s" % (p.returncode,
                                                          err.strip()[:300])
        if b"func.func" not in kept:
            return "succeeded but wrote no module to -o"
        return None
    if p.returncode != 1:
        how = ("killed by signal %d" % -p.returncode if p.returncode < 0
               else "exit status %d" % p.returncode)
        return "%s, expected exit status 1: %s" % (how, err.strip()[-400:])
    if len(errors) != 1:
        return "%d lines with 'error:', expected 1: %r" % (len(errors), err)
    line = errors[0]
    if not line.startswith(path + ": error: "):
        return "error does not start with '%s: error: ': %r" % (path, line)
    if node != "-" and ("node '%s': " % node) not in line:
        return "error does not name node '%s': %r" % (node, line)
    if substring not in line:
        return "error lacks %r: %r" % (substring, line)
    if kept != SENTINEL:
        return "the pre-existing -o file was changed"
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("table")
    ap.add_argument("--tool", required=True)
    ap.add_argument("--timeout", type=float, default=60)
    args = ap.parse_args()
    folder = os.path.dirname(os.path.abspath(args.table))
    passed = failed = 0
    for raw in open(args.table, encoding="utf-8"):
        if not raw.strip() or raw.startswith("#"):
            continue
        fields = raw.rstrip("\n").split("\t")
        if len(fields) != 4:
            print("FAIL bad table line: %r" % raw)
            failed += 1
            continue
        name, exit_code, node, substring = fields
        problem = check(args.tool, folder, name, int(exit_code), node,
                        substring, args.timeout)
        if problem:
            print("FAIL %s: %s" % (name, problem))
            failed += 1
        else:
            print("ok   %s" % name)
            passed += 1
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed or not passed else 0)


if __name__ == "__main__":
    main()
