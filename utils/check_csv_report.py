#!/usr/bin/python3
"""Checks a tfperf CSV report against the JSON report of the same run.

Reads the CSV with Python's csv module (so quoting must be right): the
header must be exactly the documented columns (plus time_s@DEVICE and
bound@DEVICE per device when there are several, each op's per-device time
and collective time per phase and feasible degree with --tp, the formula
columns with --symbolic, attention_mechanism with latent, windowed or linear
attention, and the transformer's schema-1.2 structure fields the graph has,
equal to the JSON's in every row), and there must be one row
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
    tp_columns = []
    for name in ("prefill", "decode"):
        for d in report.get("tensor_parallel", {}).get("degrees", []):
            if d["feasible"] and d.get(name) is not None:
                tp_columns.append((d["tp"], name))
                want += ["%s_time_s@tp%d" % (name, d["tp"]),
                         "%s_comm_time_s@tp%d" % (name, d["tp"])]
    # --ep on a MoE graph: per layout with ep > 1, the op's time on one
    # device of it: its time at the layout's tp, or that over ep (an op of
    # the routed experts).
    ep_columns = []
    ep = report.get("ep", {})
    if ep.get("has_experts"):
        for name in ("prefill", "decode"):
            for l in ep["layouts"]:
                if l["ep"] > 1 and l["feasible"] and l.get(name) is not None:
                    ep_columns.append((l["ep"], l["tp"], name))
                    want.append("%s_time_s@ep%dtp%d" % (name, l["ep"], l["tp"]))
    symbolic = "symbolic" in report
    if symbolic:
        want += ["flops_formula", "gemm_flops_formula", "bytes_formula"]
    transformer = report.get("transformer", {})
    kinds = transformer.get("attention_kinds", [])
    if any(k in ("mla", "sliding", "linear") for k in kinds):
        want.append("attention_mechanism")
    structure = []
    if transformer.get("n_experts") is not None:
        structure += ["n_experts", "top_k", "n_shared_experts", "active_parameters"]
    for key in ("kv_lora_rank", "window"):
        if transformer.get(key) is not None:
            structure.append(key)
    if structure or "linear" in kinds:
        structure.append("attention_kinds")
    want += structure
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
        for key in structure:
            if key == "attention_kinds":
                ok, value = cell[key] == " ".join(kinds), " ".join(kinds)
            else:
                value = transformer.get(key)
                ok = same_number(cell[key], value)
            if not ok:
                errors.append("%s: %s is %r, JSON says %r" % (where, key, cell[key], value))
        per_device = {e["tp"]: e for e in (op.get("tp") or {}).get("per_device", [])}
        for t, name in tp_columns:
            f = (per_device.get(t) or {}).get(name)
            for key, col in (("time_s", "_time_s@tp%d"), ("collective_time_s", "_comm_time_s@tp%d")):
                value = f[key][devices[0]] if f else None
                if not same_number(cell[name + col % t], value):
                    errors.append("%s: %s is %r, JSON says %r" % (where, name + col % t, cell[name + col % t], value))
        for e, t, name in ep_columns:
            col = "%s_time_s@ep%dtp%d" % (name, e, t)
            f = (per_device.get(t) or {}).get(name)
            value = f["time_s"][devices[0]] if f else None
            if not (same_number(cell[col], value) or
                    (value is not None and same_number(cell[col], value / e))):
                errors.append("%s: %s is %r, its tp%d time is %r" % (where, col, cell[col], t, value))
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
