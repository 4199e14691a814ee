#!/usr/bin/python3
"""Validates tfperf JSON reports against docs/report-schema.json.

Besides the schema (python3-jsonschema, draft 2020-12) it checks what a
schema cannot say: `hardware`, `totals` and `by_op_type` repeat the first
device, `by_device` names exactly the devices of `config.hw`, `model.ops`
counts the rows of `ops`, and the totals are the sums over the rows; with
the transformer analysis, every op has its layer and block and each phase's
blocks add up to the phase; with the training analysis, the backward and
activation totals are the sums over the op rows.

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
    errors += training_checks(r)
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
