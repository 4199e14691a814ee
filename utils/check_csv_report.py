#!/usr/bin/python3
"""Checks a tfperf CSV report against the JSON report of the same run.

Reads the CSV with Python's csv module (so quoting must be right): the
header must be exactly the documented columns (plus time_s@DEVICE and
bound@DEVICE per device when there are several, and the formula columns
with --symbolic), and there must be one row
per op of the JSON report, in order, with the same name, op type and
figures (empty fields where the JSON has null).

Usage: check_csv_report.py REPORT.csv REPORT.json
"""
import csv
import json
import math
import sys

COLUMNS = ["name", "op", "flops", "gemm_flops", "bytes", "intensity", "bound",
           "time_s", "shape_computation", "unknown_reason"]


def same_number(text, value):
    if value is None:
        return text == ""
    return text != "" and math.isclose(float(text), value, rel_tol=1e-15)


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    with open(argv[1], newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f, strict=True))
    report = json.load(open(argv[2], encoding="utf-8"))
    devices = [d["name"] for d in report["devices"]]
    want = list(COLUMNS)
    tagged = "transformer" in report
    if tagged:
        want[2:2] = ["layer", "block"]
    if len(devices) > 1:
        for d in devices:
            want += ["time_s@" + d, "bound@" + d]
    symbolic = "symbolic" in report
    if symbolic:
        want += ["flops_formula", "gemm_flops_formula", "bytes_formula"]
    errors = []
    if rows[0] != want:
        errors.append("header %r, expected %r" % (rows[0], want))
    body = rows[1:]
    if len(body) != len(report["ops"]):
        errors.append("%d rows for %d ops" % (len(body), len(report["ops"])))
    for row, op in zip(body, report["ops"]):
        if len(row) != len(want):
            errors.append("row %r has %d fields" % (row[:1], len(row)))
            continue
        cell = dict(zip(want, row))
        where = "op %r" % op["name"]
        for key in ("name", "op", "bound"):
            if cell[key] != op[key]:
                errors.append("%s: %s is %r, JSON says %r" % (where, key, cell[key], op[key]))
        for key in ("flops", "gemm_flops", "bytes", "intensity", "time_s"):
            if not same_number(cell[key], op[key]):
                errors.append("%s: %s is %r, JSON says %r" % (where, key, cell[key], op[key]))
        if tagged:
            layer = "" if op["layer"] is None else str(op["layer"])
            if cell["layer"] != layer or cell["block"] != op["block"]:
                errors.append("%s: layer/block %r/%r, JSON says %r/%r" % (where, cell["layer"], cell["block"], op["layer"], op["block"]))
        if cell["shape_computation"] != ("true" if op["shape_computation"] else "false"):
            errors.append("%s: shape_computation is %r" % (where, cell["shape_computation"]))
        if cell["unknown_reason"] != op.get("unknown_reason", ""):
            errors.append("%s: unknown_reason is %r" % (where, cell["unknown_reason"]))
        if symbolic:
            f = op.get("formula", {})
            for key in ("flops", "gemm_flops", "bytes"):
                if cell[key + "_formula"] != f.get(key, ""):
                    errors.append("%s: %s_formula is %r, JSON says %r"
                                  % (where, key, cell[key + "_formula"], f.get(key)))
        for d in devices if len(devices) > 1 else []:
            fig = op["by_device"][d]
            if not same_number(cell["time_s@" + d], fig["time_s"]):
                errors.append("%s: time_s@%s is %r" % (where, d, cell["time_s@" + d]))
            if cell["bound@" + d] != fig["bound"]:
                errors.append("%s: bound@%s is %r" % (where, d, cell["bound@" + d]))
    for e in errors[:20]:
        print("FAIL " + e)
    if errors:
        return 1
    print("ok %d rows, %d columns" % (len(body), len(want)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
