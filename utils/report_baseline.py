#!/usr/bin/python3
"""Checks that refactoring changed no report: every valid corpus graph is run
with every analysis (both phases, TP 1,2,4,8, training, symbolic costs and a
sweep) on two devices, writing text, JSON, CSV, Markdown and HTML reports
and the sweep rows; the SHA-256 of each output is compared with the stored
baseline (utils/report-baseline.json).

Usage:
  report_baseline.py CORPUS_DIR BIN_DIR            # check against the baseline
  report_baseline.py CORPUS_DIR BIN_DIR --update   # rewrite the baseline
  ... --keep DIR                                   # keep the outputs (for diff)
  ... --only NAME[,NAME]                           # a few models only
  ... --extra-args "FLAGS"                          # FLAGS added to every run
                                                    # (e.g. the former defaults
                                                    # "--kernels=exported
                                                    # --time-model=roofline");
                                                    # not with --update

Exit status 1 lists every output whose bytes differ (or that failed to be
written); the stored hashes are of the outputs at the commit that last ran
--update, named in the file.
"""
import hashlib
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "test", "Corpus"))
from check_corpus import bind_args, valid_models  # noqa: E402

BASELINE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "report-baseline.json")
DEVICES = "a100-sxm-40gb,h100-sxm"
FORMATS = ["txt", "json", "csv", "md", "html"]
# Two invocations per graph: inference with TP and symbolic costs plus a
# sweep (a graph without symbols sweeps the devices and degrees only), and
# one training step with TP.
RUNS = {
    "infer": ["--analyze-roofline", "--phase=both", "--tp=1,2,4,8",
              "--symbolic"],
    "train": ["--analyze-roofline", "--mode=train", "--tp=1,2,4,8",
              "--phase=both"],
}
SWEEP = "hw=" + DEVICES + ";tp=1,2"
# A graph whose dims no TP degree above 1 divides sweeps the devices only.
SWEEP_NO_TP = "hw=" + DEVICES
# The one measured figure in a report: how long the sweep took.
TIMING = re.compile(rb"evaluated in [0-9.]+ [a-z\xc2\xb5]+s")


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(TIMING.sub(b"evaluated in <t>", f.read())).hexdigest()


def run_model(opt, name, path, bindings, out, extra=()):
    """Runs both invocations for one model into `out`, each with the flags
    `extra` added; returns {output name: sha256 or 'FAILED: ...'}."""
    results = {}
    for run, flags in RUNS.items():
        stem = os.path.join(out, "%s.%s" % (name, run))
        cmd = [opt, path, "--hw=" + DEVICES] + flags + list(extra) + bind_args(bindings)
        cmd += ["--report=%s.%s" % (stem, f) for f in FORMATS]
        r = None
        if run == "infer":
            base = cmd + ["--sweep-out=%s.sweep.csv" % stem]
            r = subprocess.run(base + ["--sweep=" + SWEEP], capture_output=True)
            if r.returncode != 0 and b"axis 'tp'" in r.stderr:
                r = subprocess.run(base + ["--sweep=" + SWEEP_NO_TP],
                                   capture_output=True)
        else:
            r = subprocess.run(cmd, capture_output=True)
        with open(stem + ".stdout", "wb") as f:
            f.write(r.stdout)
        outputs = ["stdout"] + FORMATS + (["sweep.csv"] if run == "infer" else [])
        for o in outputs:
            key = "%s.%s.%s" % (name, run, o)
            if r.returncode != 0:
                results[key] = "FAILED: rc=%d %s" % (
                    r.returncode, r.stderr.decode(errors="replace").strip()[:300])
                continue
            results[key] = digest("%s.%s" % (stem, o))
    return results


def main():
    args = sys.argv[1:]
    if len(args) < 2:
        sys.exit(__doc__)
    corpus, bindir = args[0], args[1]
    update = "--update" in args
    keep = args[args.index("--keep") + 1] if "--keep" in args else None
    only = set(args[args.index("--only") + 1].split(",")) if "--only" in args else None
    extra = shlex.split(args[args.index("--extra-args") + 1]) if "--extra-args" in args else []
    if update and extra:
        sys.exit("report_baseline: --update records the default runs; drop --extra-args")
    opt = os.path.join(bindir, "tfperf-opt")
    out = keep or tempfile.mkdtemp(prefix="tfperf-baseline-")
    os.makedirs(out, exist_ok=True)
    got = {}
    for name, path, _ref, bindings in valid_models(corpus):
        if only and name not in only:
            continue
        got.update(run_model(opt, name, path, bindings, out, extra))
        print("ran  " + name, flush=True)
    if not got:
        sys.exit("report_baseline: no models in " + corpus)
    if update:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True,
                                cwd=os.path.dirname(BASELINE)).stdout.strip()
        failed = [k for k, v in got.items() if v.startswith("FAILED")]
        if failed:
            sys.exit("report_baseline: not updating, runs failed: " +
                     "; ".join("%s %s" % (k, got[k]) for k in failed[:5]))
        with open(BASELINE, "w") as f:
            json.dump({"commit": commit, "devices": DEVICES, "runs": RUNS,
                       "sweep": SWEEP, "sha256": got}, f, indent=1,
                      sort_keys=True)
            f.write("\n")
        print("wrote %d hashes to %s" % (len(got), BASELINE))
        return
    base = json.load(open(BASELINE))["sha256"]
    diffs = [k for k in sorted(got) if base.get(k) != got[k]]
    for k in diffs:
        print("DIFF %s: %s" % (k, got[k] if got[k].startswith("FAILED")
                                else "bytes differ" if k in base else "not in baseline"))
    print("%d outputs, %d identical, %d differ%s" % (
        len(got), len(got) - len(diffs), len(diffs),
        "" if keep else " (--keep DIR keeps them)"))
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()
