#!/usr/bin/python3
"""Validates tfperf JSON reports against docs/report-schema.json.

Besides the schema (python3-jsonschema, draft 2020-12) it checks what a
schema cannot say: `hardware`, `totals` and `by_op_type` repeat the first
device, `by_device` names exactly the devices of `config.hw`, `model.ops`
counts the rows of `ops`, and the totals are the sums over the rows; with
the transformer analysis, every op has its layer and block and each phase's
blocks add up to the phase; with --symbolic, the totals' formulas are the
symbolic section's and the sweep has a row per point and device; with the
tensor-parallel analysis, per-device FLOPs x t equal the unsharded FLOPs
plus the work done more than once, the step times are op time +
collectives, and the recommendation is a feasible degree that fits; with
the training analysis, the backward and activation totals are the sums
over the op rows.

Usage: validate_report.py SCHEMA REPORT.json...
Prints "ok REPORT" per valid report; exits 1 naming every problem.
"""
import json
import math
import sys

import jsonschema


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-15)


def cross_checks(r):
    errors = []
    devices = r["devices"]
    names = [d["name"] for d in devices]
    if names != r["config"]["hw"]:
        errors.append("devices %s differ from config.hw %s" % (names, r["config"]["hw"]))
    first = dict(devices[0])
    for key in ("totals", "by_op_type"):
        if r[key] != first.pop(key):
            errors.append("top-level %r differs from devices[0]" % key)
    if r["hardware"] != first:
        errors.append("hardware differs from devices[0]")
    if r["model"]["ops"] != len(r["ops"]):
        errors.append("model.ops is %d but there are %d op rows"
                      % (r["model"]["ops"], len(r["ops"])))
    for op in r["ops"]:
        by = op.get("by_device")
        if len(devices) > 1 and (by is None or list(by) != names):
            errors.append("op %r: by_device does not name %s" % (op["name"], names))
        if len(devices) == 1 and by is not None:
            errors.append("op %r: by_device with one device" % op["name"])
    # Totals of the first device are sums over the rows.
    known = [o for o in r["ops"] if o["bound"] != "unknown"]
    t = r["totals"]
    for key in ("flops", "gemm_flops", "bytes", "time_s"):
        s = sum(o[key] for o in known)
        if not close(s, t[key]):
            errors.append("totals.%s is %r but the rows sum to %r" % (key, t[key], s))
    if t["unknown_ops"] != len(r["ops"]) - len(known):
        errors.append("totals.unknown_ops is %d but %d rows are unknown"
                      % (t["unknown_ops"], len(r["ops"]) - len(known)))
    if sum(e["count"] for e in r["by_op_type"]) != len(r["ops"]):
        errors.append("by_op_type counts do not add up to the op rows")
    times = [e["time_s"] for e in r["by_op_type"]]
    if times != sorted(times, reverse=True):
        errors.append("by_op_type is not sorted by decreasing time")
    errors += transformer_checks(r)
    errors += symbolic_checks(r)
    errors += tensor_parallel_checks(r)
    errors += training_checks(r)
    return errors


def symbolic_checks(r):
    """Formulas appear exactly with the symbolic section; the totals'
    formulas are the section's; the sweep has a row per point and device."""
    errors = []
    sym = r.get("symbolic")
    has = [("totals" if d is None else "devices[%d].totals" % i, t)
           for i, (d, t) in enumerate([(None, r["totals"])] +
                                      [(d, d["totals"]) for d in r["devices"]])]
    for where, t in has:
        if ("formula" in t) != (sym is not None):
            errors.append("%s: formula %s the symbolic section"
                          % (where, "without" if sym is None else "missing with"))
    if sym is None:
        if any("formula" in op for op in r["ops"]):
            errors.append("ops have formulas without the symbolic section")
        return errors
    want = {k: sym["totals"][k] for k in ("flops", "gemm_flops", "bytes")}
    for where, t in has:
        if t.get("formula") != want:
            errors.append("%s.formula differs from symbolic.totals" % where)
    known = sum(1 for op in r["ops"] if "formula" in op)
    if known != sym["totals"]["ops"]:
        errors.append("%d ops have formulas but symbolic.totals.ops is %d"
                      % (known, sym["totals"]["ops"]))
    sweep = sym.get("sweep")
    if sweep:
        if len(sweep["rows"]) != sweep["points"] * len(sweep["devices"]):
            errors.append("sweep: %d rows for %d points x %d devices"
                          % (len(sweep["rows"]), sweep["points"], len(sweep["devices"])))
        numeric = [a["name"] for a in sweep["axes"] if a["kind"] != "hw"]
        for row in sweep["rows"]:
            if any(n not in row for n in numeric) or row["hw"] not in sweep["devices"]:
                errors.append("sweep row %r lacks an axis or names another device" % row)
                break
    return errors


def training_checks(r):
    """Ops carry `backward` only with the training section; its backward
    and activation totals are the sums over the op rows, its forward the
    model totals."""
    errors = []
    t = r.get("training")
    rows = [o["backward"] for o in r["ops"] if "backward" in o]
    if t is None:
        if rows:
            errors.append("op rows have backward figures without a training section")
        return errors
    known = [b for b in rows if "unknown_reason" not in b]
    for key, field in (("backward_flops", "flops"), ("backward_gemm_flops", "gemm_flops"),
                       ("backward_bytes", "bytes"), ("backward_time_s", "time_s")):
        s = sum(b[field] for b in known)
        if t[key] is not None and not math.isclose(s, t[key], rel_tol=1e-9, abs_tol=1e-12):
            errors.append("training.%s is %r but the rows sum to %r" % (key, t[key], s))
    if t["backward_unknown_ops"] != len(rows) - len(known):
        errors.append("training.backward_unknown_ops is %d but %d rows are unknown"
                      % (t["backward_unknown_ops"], len(rows) - len(known)))
    saved = sum(b["saved_bytes"] for b in rows if b["saved_bytes"] is not None)
    if t["activation_bytes"] is not None and not math.isclose(saved, t["activation_bytes"], rel_tol=1e-9):
        errors.append("training.activation_bytes is %r but the rows keep %r"
                      % (t["activation_bytes"], saved))
    for key in ("flops", "gemm_flops"):
        if not close(t["forward_" + key], r["totals"][key]):
            errors.append("training.forward_%s differs from totals.%s" % (key, key))
    times = [t[k] for k in ("forward_time_s", "backward_time_s", "optimizer_time_s")]
    if None not in times and not close(sum(times), t["step_time_s"]):
        errors.append("training.step_time_s is not forward + backward + optimizer")
    if "by_device" in t and list(t["by_device"]) != r["config"]["hw"]:
        errors.append("training.by_device does not name config.hw")
    return errors


def transformer_checks(r):
    """Ops carry layer/block exactly when the transformer section is there;
    each phase's blocks add up to the phase, and it has a row per layer."""
    errors = []
    tagged = "transformer" in r
    for op in r["ops"]:
        if ("block" in op) != tagged or ("layer" in op) != tagged:
            errors.append("op %r: layer/block %s the transformer section"
                          % (op["name"], "without" if not tagged else "missing with"))
            break
    if not tagged:
        return errors
    layers = r["transformer"]["n_layers"]
    sections = [("phases", r.get("phases", {}))]
    sections += [("phases_by_device." + d, p) for d, p in r.get("phases_by_device", {}).items()]
    for where, phases in sections:
        for name, p in phases.items():
            for key in ("flops", "bytes", "time_s"):
                s = sum(b[key] for b in p["by_block"].values())
                if not math.isclose(s, p[key], rel_tol=1e-6, abs_tol=1e-12):
                    errors.append("%s.%s: by_block %s sums to %r, not %r" % (where, name, key, s, p[key]))
            if layers is not None and p["by_layer"] and len(p["by_layer"]) != layers:
                errors.append("%s.%s: %d by_layer rows for %d layers" % (where, name, len(p["by_layer"]), layers))
    if "phases_by_device" in r:
        names = list(r["phases_by_device"])
        if names != r["config"]["hw"]:
            errors.append("phases_by_device names %s, not config.hw" % names)
        if r["phases_by_device"][names[0]] != r["phases"]:
            errors.append("phases differs from phases_by_device of the first device")
    return errors


def tensor_parallel_op_sums(r, where, t, device, rel):
    """ops[].tp.per_device on `device` sums to each phase of each degree."""
    errors = []
    degrees = {d["tp"]: d for d in t["degrees"] if d["feasible"]}
    sums = {}
    for op in r["ops"]:
        for e in (op.get("tp") or {}).get("per_device", []):
            if e["tp"] not in degrees:
                continue  # rejected on this device (no link): its times are null
            for name in ("prefill", "decode"):
                f = e[name]
                if f is None:
                    continue
                s = sums.setdefault((e["tp"], name), [0, 0, 0, 0])
                s[0] += f["flops"] or 0
                s[1] += f["time_s"][device] or 0
                s[2] += f["collective_bytes"]
                s[3] += f["collective_time_s"][device] or 0
    for n, d in degrees.items():
        for name in ("prefill", "decode"):
            p = d.get(name)
            if p is None:
                continue
            s = sums.get((n, name), [0, 0, 0, 0])
            at = "%s tp=%d %s: ops[].tp.per_device" % (where, n, name)
            if not rel(s[1], p["op_time_s"]):
                errors.append("%s time_s sum to %r, not op_time_s %r" % (at, s[1], p["op_time_s"]))
            if not rel(s[2], p["comm_bytes"]) or not rel(s[3], p["comm_time_s"]):
                errors.append("%s collectives sum to %r B, %r s, not %r B, %r s"
                              % (at, s[2], s[3], p["comm_bytes"], p["comm_time_s"]))
            if p["unknown_ops"] == 0 and not rel(s[0], p["flops_per_device"]):
                errors.append("%s flops sum to %r, not %r" % (at, s[0], p["flops_per_device"]))
    return errors


def tensor_parallel_checks(r):
    """The sum check and the bookkeeping of each tensor_parallel section."""
    errors = []
    for op in r["ops"]:
        if ("tp" in op) != ("tensor_parallel" in r):
            errors.append("op %r: tp %s the tensor_parallel section"
                          % (op["name"], "without" if "tp" in op else "missing with"))
            break
    sections = []
    if "tensor_parallel" in r:
        sections.append(("tensor_parallel", r["tensor_parallel"], r.get("phases", {})))
    by = r.get("tensor_parallel_by_device", {})
    for d, t in by.items():
        sections.append(("tensor_parallel_by_device." + d, t,
                         r.get("phases_by_device", {}).get(d, r.get("phases", {}))))
    if by:
        if list(by) != r["config"]["hw"]:
            errors.append("tensor_parallel_by_device names %s, not config.hw" % list(by))
        elif by[list(by)[0]] != r["tensor_parallel"]:
            errors.append("tensor_parallel differs from tensor_parallel_by_device of the first device")
    rel = lambda a, b: math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)
    for where, t, phases in sections:
        device = where.split(".", 1)[1] if "." in where else r["config"]["hw"][0]
        errors += tensor_parallel_op_sums(r, where, t, device, rel)
        ok = {}
        for d in t["degrees"]:
            n = d["tp"]
            at = "%s tp=%d" % (where, n)
            if d["feasible"] != (d["reason"] is None):
                errors.append("%s: reason must be null exactly when feasible" % at)
            if not d["feasible"]:
                continue
            for name in ("prefill", "decode"):
                p = d.get(name)
                if p is None:
                    if d[name + "_time_s"] is not None:
                        errors.append("%s: %s_time_s without %s" % (at, name, name))
                    continue
                if not rel(p["flops_per_device"] * n, p["unsharded_flops"] + p["duplicated_flops"]):
                    errors.append("%s.%s: %r FLOPs x %d != %r unsharded + %r duplicated"
                                  % (at, name, p["flops_per_device"], n, p["unsharded_flops"], p["duplicated_flops"]))
                if name in phases and phases[name]["unknown_ops"] == 0 and p["unknown_ops"] == 0 \
                        and not rel(p["unsharded_flops"], phases[name]["flops"]):
                    errors.append("%s.%s: unsharded FLOPs %r differ from phases.%s.flops %r"
                                  % (at, name, p["unsharded_flops"], name, phases[name]["flops"]))
                if not rel(sum(p["replicated_flops_by_block"].values()), p["replicated_flops"]):
                    errors.append("%s.%s: replicated_flops_by_block does not add up" % (at, name))
                if p["duplicated_flops"] + 1e-6 < p["replicated_flops"] * (n - 1) * (1 - 1e-9):
                    errors.append("%s.%s: duplicated FLOPs below the replicated ops' copies" % (at, name))
                if not rel(p["time_s"], p["op_time_s"] + p["comm_time_s"]):
                    errors.append("%s.%s: time_s is not op_time_s + comm_time_s" % (at, name))
                if not rel(p["time_s"], d[name + "_time_s"]):
                    errors.append("%s: %s_time_s differs from %s.time_s" % (at, name, name))
                if n == 1 and (p["comm_bytes"] or p["allreduces"] or p["allgathers"]):
                    errors.append("%s.%s: collectives at tp=1" % (at, name))
            c = d.get(d["comm_phase"]) if d["comm_phase"] else None
            if c is not None and (d["comm_bytes_per_step"] != c["comm_bytes"] or d["comm_time_s"] != c["comm_time_s"]
                                  or d["allreduce_per_step"] != c["allreduces"]):
                errors.append("%s: comm figures differ from %s" % (at, d["comm_phase"]))
            ok[n] = d
        rec = t["recommended_tp"]
        if rec is not None and (rec not in ok or not ok[rec]["fits_memory"]):
            errors.append("%s: recommended_tp %r is not a feasible degree that fits" % (where, rec))
        if rec != t["fastest_tp"]:
            errors.append("%s: recommended_tp is not fastest_tp" % where)
        fitting = [n for n, d in ok.items() if d["fits_memory"]]
        if (min(fitting) if fitting else None) != t["smallest_fitting_tp"] and rec is not None:
            errors.append("%s: smallest_fitting_tp is not the smallest fitting degree" % where)
    return errors


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    schema = json.load(open(argv[1]))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    failed = False
    for path in argv[2:]:
        try:
            report = json.load(open(path))
        except (OSError, ValueError) as e:
            print("FAIL %s: %s" % (path, e))
            failed = True
            continue
        errors = ["%s: %s" % (e.json_path, e.message)
                  for e in sorted(validator.iter_errors(report), key=str)]
        if not errors:
            errors = cross_checks(report)
        for e in errors[:20]:
            print("FAIL %s: %s" % (path, e))
        failed |= bool(errors)
        if not errors:
            print("ok %s" % path)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
