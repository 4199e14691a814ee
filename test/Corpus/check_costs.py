#!/usr/bin/python3
"""Cross-checks tfperf's GEMM FLOPs with the corpus references.

For every corpus model whose ref/*.json has `ref_flops_matmul` (counted by
PyTorch at run time, or by executing the graph), runs
`tfperf-opt --analyze-roofline --report=<json>` (dynamic graphs bound to the
dims the reference used) and requires `totals.gemm_flops` within 0.1%.
Also requires every op of every corpus graph to be costed (no unknown ops,
the BeamSearch graphs' searches included).

Usage: check_costs.py CORPUS_DIR TFPERF_BIN_DIR [--table OUT.md]
"""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from check_corpus import report, valid_models  # noqa: E402

TOLERANCE = 1e-3


def main():
    corpus, bindir = sys.argv[1], sys.argv[2]
    table = sys.argv[sys.argv.index("--table") + 1] if "--table" in sys.argv else None
    opt = os.path.join(bindir, "tfperf-opt")
    failures, rows = [], []
    checked = 0
    for name, path, ref, b in valid_models(corpus):
        with tempfile.TemporaryDirectory() as tmp:
            rep, err = report(opt, path, b, ["--analyze-roofline", "--hw=h100-sxm"],
                              os.path.join(tmp, "r.json"))
        if rep is None:
            failures.append("%s: analysis failed: %s" % (name, err))
            continue
        gemm = rep["totals"]["gemm_flops"]
        unknown = [o["name"] + " (" + o["op"] + ")" for o in rep["ops"]
                   if o["bound"] == "unknown"]
        if unknown:
            failures.append("%s: %d ops with unknown cost: %s"
                            % (name, len(unknown), ", ".join(unknown[:5])))
        want = ref.get("ref_flops_matmul")
        if want is None:
            rows.append((name, "-", "%d" % gemm, "-", "no reference"))
            print("ok   %-45s gemm_flops %d (no reference)" % (name, gemm))
            continue
        checked += 1
        err = abs(gemm - want) / want if want else abs(gemm)
        status = "ok" if err <= TOLERANCE else "FAIL"
        rows.append((name, "%d" % want, "%d" % gemm, "%.4f%%" % (100 * err), status))
        if status != "ok":
            failures.append("%s: gemm_flops %d vs reference %d (%.3f%%)"
                            % (name, gemm, want, 100 * err))
        print("%-4s %-45s gemm_flops %d ref %d diff %.4f%%"
              % (status, name, gemm, want, 100 * err))
    if table:
        with open(table, "w") as out:
            out.write("| model | ref_flops_matmul | tfperf gemm_flops | difference | |\n")
            out.write("|---|---|---|---|---|\n")
            for row in rows:
                out.write("| `%s` | %s | %s | %s | %s |\n" % row)
    if checked == 0:
        failures.append("no model with a reference was checked")
    for m in failures:
        print("FAIL " + m)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
