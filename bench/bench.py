#!/usr/bin/python3
"""tfperf benchmark: wall time and peak RSS against python onnx and onnx-tool.

For every corpus graph and the generated ones (TinyLlama-shaped graphs of
22/32/80/126 layers, GPT-2 124M with 650 MB of inline weights, a 4.4 GB
inline TinyLlama as a sparse file), each in a fresh process, N runs:

* tfperf import only:    tfperf-opt MODEL -o /dev/null
* tfperf full pipeline:  tfperf-opt MODEL <--full-args>, by default
  `--analyze-roofline --report=<tmp>.json`; when the binary has no such
  option (see `tfperf-opt --help`) the column says so and only the import
  is measured;
* the same full pipeline with `tfperf`, the command-line tool the default
  build links against the static MLIR/LLVM archives (tfperf-opt links
  libMLIR.so), when the build has it; the targets are checked with it;
* python onnx:           onnx.load(load_external_data=False) +
  onnx.shape_inference.infer_shapes, in-process time (the corpus README's
  convention) and the whole process (interpreter and `import onnx`
  included);
* onnx-tool:             model_profile, when `import onnx_tool` works;
  otherwise the corpus's reference figures (ref/*.json peer_and_timing, and
  the README's 50.6 s / 9.1 GB for TinyLlama) are quoted.

Reported: median (and min) wall time, median user+sys CPU time, peak RSS
(ru_maxrss of the child), and ratios. Timings on shared 2-core machines are
noisy; the load average before and after is recorded with the machine
notes. Nothing here is a test: no pass/fail depends on timing.

The tables replace the part of --out between the markers
`<!-- bench:begin SECTION -->` and `<!-- bench:end SECTION -->` (appended
when absent; SECTION is --section, default "shared"), so the hand-written
parts of docs/benchmarks.md stay and several builds can be recorded.

Usage (Debian python3 with python3-onnx):
  /usr/bin/python3 bench/bench.py --build build --out docs/benchmarks.md
  /usr/bin/python3 bench/bench.py --build build --quick   # 1 run, no 4.4 GB file
"""

import argparse
import datetime
import glob
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PY = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
MARKERS = "<!-- bench:begin %s -->", "<!-- bench:end %s -->"


def replace_section(path, section, body):
    """Writes `body` between the markers of `section` in `path` (appended,
    with its markers, when they are absent); the rest of the file stays."""
    text = open(path).read() if os.path.exists(path) else ""
    begin, end = (m % section for m in MARKERS)
    block = begin + "\n" + body + end
    if begin in text and end in text:
        text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    with open(path, "w") as f:
        f.write(text)

# onnx-tool on this machine kind (corpus README, problem 8): TinyLlama-shaped
# llama2.c export with a sparse zero-filled weights file.
TINYLLAMA_ONNX_TOOL = (50.6, 9.1 * 1024, "corpus README (zero-weights)")

PY_ONNX = r"""
import sys, time, json
t0 = time.perf_counter()
import onnx
t1 = time.perf_counter()
try:
    m = onnx.load(sys.argv[1], load_external_data=False)
    t2 = time.perf_counter()
    onnx.shape_inference.infer_shapes(m)
    t3 = time.perf_counter()
    print(json.dumps({"ok": True, "import": t1 - t0, "load": t2 - t1,
                      "infer": t3 - t2}))
except Exception as e:
    print(json.dumps({"ok": False, "error": "%s: %s" % (type(e).__name__,
                                                       str(e)[:80])}))
"""

PY_ONNX_TOOL = r"""
import sys, time, json
import onnx_tool
t0 = time.perf_counter()
try:
    onnx_tool.model_profile(sys.argv[1])
    print(json.dumps({"ok": True, "seconds": time.perf_counter() - t0}))
except Exception as e:
    print(json.dumps({"ok": False, "error": "%s: %s" % (type(e).__name__,
                                                       str(e)[:80])}))
"""


GNU_TIME = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None


def run(cmd):
    """Runs cmd; returns (rc, wall s, cpu s, peak RSS KiB, stdout, stderr).

    Peak RSS comes from GNU time, which forks the command itself: Linux
    charges a child spawned straight from this python process with
    python's own peak RSS, taken over at exec (about 14 MiB here)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r") as rssf:
        if GNU_TIME:
            cmd = [GNU_TIME, "-o", rssf.name, "-f", "%M"] + cmd
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err)
        try:
            _, status, ru = os.wait4(p.pid, 0)
        except KeyboardInterrupt:
            p.kill()
            raise
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        rss = ru.ru_maxrss
        if GNU_TIME:
            lines = rssf.read().split()
            rss = int(lines[-1]) if lines and lines[-1].isdigit() else rss
        return (p.returncode, wall, ru.ru_utime + ru.ru_stime, rss,
                out.read().decode(errors="replace"),
                err.read().decode(errors="replace"))


class Stats:
    def __init__(self):
        self.wall, self.cpu, self.rss, self.extra = [], [], [], []
        self.error = None

    def add(self, wall, cpu, rss, extra=None):
        self.wall.append(wall)
        self.cpu.append(cpu)
        self.rss.append(rss)
        if extra is not None:
            self.extra.append(extra)

    @property
    def ok(self):
        return self.error is None and bool(self.wall)

    def med(self, what="wall"):
        return statistics.median(getattr(self, what))

    def min(self, what="wall"):
        return min(getattr(self, what))


def fmt_s(s):
    if s is None:
        return "-"
    if s < 0.1:
        return "%.3f s" % s
    if s < 10:
        return "%.2f s" % s
    return "%.1f s" % s


def fmt_mb(kib):
    return "-" if kib is None else "%.0f MiB" % (kib / 1024.0)


def fmt_ratio(r):
    if r is None:
        return "-"
    return "%.2g×" % r if r < 10 else "%.0f×" % r


def bench_tfperf(binary, model, args, runs):
    st = Stats()
    with tempfile.TemporaryDirectory() as d:
        report = os.path.join(d, "report.json")
        cmd = [binary, model] + [a.replace("{report}", report) for a in args]
        for _ in range(runs):
            rc, wall, cpu, rss, _, err = run(cmd)
            if rc != 0:
                line = (err.strip().splitlines() or ["rc %d" % rc])[-1]
                st.error = re.sub(r"^.*?: error: ", "", line)[:100]
                return st
            st.add(wall, cpu, rss)
    return st


def bench_python(model, runs, script=PY_ONNX):
    st = Stats()
    for _ in range(runs):
        rc, wall, cpu, rss, out, err = run([PY, "-c", script, model])
        try:
            res = json.loads(out.strip().splitlines()[-1])
        except (ValueError, IndexError):
            res = {"ok": False, "error": (err.strip().splitlines() or
                                          ["rc %d" % rc])[-1][:100]}
        if not res.get("ok"):
            st.error = res.get("error")
            return st
        st.add(wall, cpu, rss, res)
    return st


def supports(binary, flag):
    rc, _, _, _, out, _ = run([binary, "--help"])
    return flag in out


def ensure_generated(build, gen_dir, quick, log):
    """Makes the generated models if missing; returns [(name, path, kind)]."""
    os.makedirs(gen_dir, exist_ok=True)
    opt = os.path.join(build, "bin", "tfperf-opt")
    models = []
    for layers in (22, 32, 80, 126):
        path = os.path.join(gen_dir, "tinyllama_L%d.onnx" % layers)
        if not os.path.exists(path):
            log("generating %s" % path)
            subprocess.run([PY, os.path.join(HERE, "make_scaled_graph.py"),
                            "--preset", "tinyllama", "--layers", str(layers),
                            "-o", path, "--verify-with", opt], check=True)
        models.append(("tinyllama_L%d" % layers, path, "scaled"))
    gpt2 = os.path.join(gen_dir, "gpt2_124m_inline.onnx")
    src = os.path.join(args_corpus, "models", "gpt2_124m_nanogpt_b1_s1024.onnx")
    if not os.path.exists(gpt2) and os.path.exists(src):
        log("generating %s (650 MB)" % gpt2)
        subprocess.run([PY, os.path.join(HERE, "make_inline_weights.py"), src,
                        "-o", gpt2], check=True)
    if os.path.exists(gpt2):
        models.append(("gpt2_124m_inline (650 MB)", gpt2, "inline"))
    if not quick:
        big = os.path.join(gen_dir, "tinyllama_L22_inline_sparse.onnx")
        if not os.path.exists(big):
            log("generating %s (4.4 GB sparse)" % big)
            subprocess.run([PY, os.path.join(HERE, "make_inline_weights.py"),
                            os.path.join(gen_dir, "tinyllama_L22.onnx"),
                            "--fill", "sparse", "-o", big], check=True)
        st = os.stat(big)
        if st.st_blocks * 512 > st.st_size // 4:
            log("note: %s is not sparse on this filesystem" % big)
        models.append(("tinyllama_L22_inline (4.4 GB, sparse)", big, "inline"))
    return models


def linking_of(binary):
    ldd = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
    return ("shared libMLIR.so + libLLVM.so"
            if "libMLIR" in ldd or "libLLVM" in ldd else
            "static MLIR/LLVM archives")


def machine_notes(build, load_before, load_after, floor, static_floor):
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"model name\s*:\s*(.*)", f.read())
            cpu = m.group(1).strip() if m else "?"
    except OSError:
        pass
    try:
        with open("/proc/meminfo") as f:
            mem = int(re.search(r"MemTotal:\s*(\d+)", f.read()).group(1)) // 1024
    except (OSError, AttributeError):
        mem = 0
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "-uno"],
                           capture_output=True, text=True).stdout.strip()
    onnx_v = subprocess.run([PY, "-c", "import onnx; print(onnx.__version__)"],
                            capture_output=True, text=True).stdout.strip()
    tools = ["tfperf-opt linked against %s" %
             linking_of(os.path.join(build, "bin", "tfperf-opt"))]
    static_tool = os.path.join(build, "bin", "tfperf")
    if os.path.exists(static_tool):
        tools.append("tfperf against %s" % linking_of(static_tool))
    notes = [
        "date: %s" % datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "machine: %s, %d cores, %d MiB RAM, %s %s" % (
            cpu, os.cpu_count() or 0, mem, platform.system(), platform.release()),
        "tfperf: %s%s (%s), %s" % (
            commit, "+dirty" if dirty else "", os.path.relpath(build, ROOT),
            "; ".join(tools)),
        "python onnx %s (%s)" % (onnx_v, PY),
        "load average before / after: %s / %s (2 cores shared with other "
        "jobs: compare min and CPU time when it is high)" % (load_before,
                                                            load_after),
        "RSS floor (`--version`, mostly the pages of the libraries the "
        "binary maps): tfperf-opt %s, tfperf %s" % (fmt_mb(floor),
                                                  fmt_mb(static_floor)),
    ]
    return notes


def onnx_tool_ref(corpus, name):
    """The corpus's onnx-tool runtime and RSS for a model, if recorded."""
    path = os.path.join(corpus, "ref", name + ".json")
    try:
        with open(path) as f:
            pt = json.load(f).get("peer_and_timing", {})
    except (OSError, ValueError):
        return None
    for key in ("onnx_tool_retry", "onnx_tool_on_graph_only_file"):
        r = pt.get(key)
        if r and r.get("ok"):
            return (r["seconds"], r["peak_rss_MiB"],
                    "ref (%s)" % pt.get("onnx_tool_mode", "as-is"))
    return None


def main():
    global args_corpus
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--out", help="markdown file to update (default: print)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--corpus", default=os.environ.get(
        "TFPERF_CORPUS", os.path.join(os.path.dirname(ROOT), "shared", "corpus")))
    ap.add_argument("--gen-dir", default=os.path.join(HERE, "out"))
    ap.add_argument("--full-args", default="--analyze-roofline --report={report}",
                    help="tfperf-opt arguments of the full pipeline "
                         "({report} is a temporary path)")
    ap.add_argument("--quick", action="store_true",
                    help="1 run each, skip the 4.4 GB sparse model")
    ap.add_argument("--only", help="regex: benchmark matching models only")
    ap.add_argument("--section", default="shared",
                    help="name of the --out section to replace")
    args = ap.parse_args()
    args_corpus = args.corpus
    runs = 1 if args.quick else args.runs
    build = os.path.abspath(args.build)
    opt = os.path.join(build, "bin", "tfperf-opt")
    tool = os.path.join(build, "bin", "tfperf")
    have_tool = os.path.exists(tool)
    log = lambda m: print(m, file=sys.stderr, flush=True)

    full_args = shlex.split(args.full_args)
    full_flag = full_args[0] if full_args else ""
    have_full = bool(full_flag) and supports(opt, full_flag.split("=")[0])
    try:
        import onnx_tool  # noqa: F401
        have_onnx_tool = True
    except ImportError:
        have_onnx_tool = subprocess.run(
            [PY, "-c", "import onnx_tool"], capture_output=True).returncode == 0

    load_before = "%.2f" % os.getloadavg()[0]
    floor = bench_tfperf(opt, "--version", [], max(runs, 3))
    floor_kib = floor.med("rss") if floor.wall else None
    static_floor_kib = None
    if have_tool:
        sf = bench_tfperf(tool, "--version", [], max(runs, 3))
        static_floor_kib = sf.med("rss") if sf.wall else None

    models = [(os.path.basename(p)[:-5], p, "corpus")
              for p in sorted(glob.glob(os.path.join(args.corpus, "models",
                                                     "*.onnx")))]
    models += ensure_generated(build, args.gen_dir, args.quick, log)
    if args.only:
        models = [m for m in models if re.search(args.only, m[0])]

    rows = []
    for name, path, kind in models:
        log("%s ..." % name)
        r = {"name": name, "path": path, "kind": kind,
             "size": os.path.getsize(path)}
        r["import"] = bench_tfperf(opt, path, ["-o", "/dev/null"], runs)
        r["full"] = (bench_tfperf(opt, path, full_args + ["-o", "/dev/null"],
                                  runs) if have_full else None)
        r["static"] = (bench_tfperf(tool, path, full_args + ["-o", "/dev/null"],
                                    runs) if have_full and have_tool else None)
        r["py"] = bench_python(path, runs)
        if have_onnx_tool:
            ot = bench_python(path, runs, PY_ONNX_TOOL)
            r["ot"] = ((ot.med(), ot.med("rss") / 1024.0, "measured")
                       if ot.ok else None)
            r["ot_error"] = ot.error
        else:
            r["ot"] = (TINYLLAMA_ONNX_TOOL if name.startswith("tinyllama_L22")
                       else onnx_tool_ref(args.corpus, name))
        rows.append(r)
    load_after = "%.2f" % os.getloadavg()[0]

    md = render(rows, runs, have_full, args.full_args, have_onnx_tool,
                machine_notes(build, load_before, load_after, floor_kib,
                              static_floor_kib),
                floor_kib, static_floor_kib)
    if args.out:
        replace_section(args.out, args.section, md + "\n")
        log("wrote %s" % args.out)
    else:
        print(md)


def render(rows, runs, have_full, full_args, have_onnx_tool, notes, floor,
           static_floor):
    L = []
    L.append("_Generated by `bench/bench.py` (median of %d runs each, fresh "
             "process per run)._" % runs)
    L.append("")
    L += ["- " + n for n in notes]
    if not have_full:
        L.append("- full pipeline (`tfperf-opt MODEL %s`): not measured, this "
                 "tfperf-opt has no `%s` option yet; the tfperf columns are "
                 "import only (parse, import, shape inference, verify, print)"
                 % (full_args, shlex.split(full_args)[0].split("=")[0]))
    if not have_onnx_tool:
        L.append("- onnx-tool is not installed here: its column quotes the "
                 "corpus reference run (ref/*.json `peer_and_timing`, same "
                 "machine kind; TinyLlama from the corpus README)")
    L.append("- ratios compare tfperf's whole process (start-up included: "
             "the floor above; the static `tfperf` where the build has it, "
             "else tfperf-opt) with python's in-process load+infer time "
             "and with python's whole process; onnx-tool's reference "
             "figures are in-process")
    L.append("")

    def tf_cols(st):
        if st is None:
            return ["n/a", "-", "-"]
        if not st.ok:
            # e.g. the corpus's deliberately invalid model: an error exit
            return ["error exit: %s" % (st.error or "")[:70], "-", "-"]
        return ["%s (min %s)" % (fmt_s(st.med()), fmt_s(st.min())),
                fmt_s(st.med("cpu")), fmt_mb(st.med("rss"))]

    def py_cols(st):
        if not st.ok:
            return ["fails: %s" % (st.error or "?")[:60], "-", "-"]
        inproc = statistics.median(e["load"] + e["infer"] for e in st.extra)
        return [fmt_s(inproc), fmt_s(st.med()), fmt_mb(st.med("rss"))]

    L += targets(rows, have_full)
    L.append("### All graphs")
    L.append("")
    has_static = any(r.get("static") for r in rows)
    head = ["model", "file", "tfperf-opt import: wall", "CPU", "peak RSS"]
    if have_full:
        head += ["tfperf-opt full: wall", "CPU", "peak RSS"]
    if has_static:
        head += ["tfperf (static) full: wall", "CPU", "peak RSS"]
    head += ["python onnx load+infer (in-process)", "python process",
             "python peak RSS", "tfperf ÷ python in-process",
             "tfperf ÷ python process", "onnx-tool (source)",
             "tfperf ÷ onnx-tool"]
    L.append("| " + " | ".join(head) + " |")
    L.append("|" + "---|" * len(head))
    for r in rows:
        main = main_stats(r, have_full) or r["import"]
        cols = [r["name"], "%.1f MB" % (r["size"] / 1e6)] + tf_cols(r["import"])
        if have_full:
            cols += tf_cols(r["full"])
        if has_static:
            cols += tf_cols(r.get("static"))
        cols += py_cols(r["py"])
        if main.ok and r["py"].ok:
            inproc = statistics.median(e["load"] + e["infer"]
                                       for e in r["py"].extra)
            cols += [fmt_ratio(main.med() / inproc),
                     fmt_ratio(main.med() / r["py"].med())]
        else:
            cols += ["-", "-"]
        ot = r.get("ot")
        if ot:
            cols.append("%s, %s (%s)" % (fmt_s(ot[0]), fmt_mb(ot[1] * 1024), ot[2]))
            cols.append(fmt_ratio(main.med() / ot[0]) if main.ok else "-")
        else:
            cols += ["fails" if r.get("ot_error") else "-", "-"]
        L.append("| " + " | ".join(cols) + " |")
    L.append("")

    scaled = [r for r in rows if r["kind"] == "scaled"]
    if has_static:
        floor = static_floor
    if scaled:
        L.append("### Layer scaling (TinyLlama dims, %s)" %
                 ("full pipeline, " + ("tfperf (static)" if has_static else
                                       "tfperf-opt")
                  if have_full else "import only"))
        L.append("")
        L.append("| layers | nodes | wall | CPU | wall per layer | CPU per layer "
                 "| per-layer wall / CPU vs 32 layers | peak RSS "
                 "| RSS above floor | RSS per layer |")
        L.append("|---|---|---|---|---|---|---|---|---|---|")
        ref = None
        for r in scaled:
            n = int(r["name"].split("_L")[1])
            if n == 32:
                st = main_stats(r, have_full) or r["import"]
                ref = (st.med() / n, st.med("cpu") / n) if st.ok else None
        for r in scaled:
            n = int(r["name"].split("_L")[1])
            st = main_stats(r, have_full) or r["import"]
            if not st.ok:
                L.append("| %d | FAIL: %s |" % (n, st.error))
                continue
            nodes = count_nodes(r["path"])
            above = st.med("rss") - floor if floor else None
            L.append("| %d | %d | %s | %s | %.2f ms | %.2f ms | %s | %s | %s | %s |" % (
                n, nodes, fmt_s(st.med()), fmt_s(st.med("cpu")),
                1000 * st.med() / n, 1000 * st.med("cpu") / n,
                "%.2f / %.2f" % (st.med() / n / ref[0],
                                 st.med("cpu") / n / ref[1]) if ref else "-",
                fmt_mb(st.med("rss")), fmt_mb(above),
                "%.2f MiB" % (above / 1024.0 / n) if above else "-"))
        L.append("")
    return "\n".join(L)


def main_stats(r, have_full):
    """The full pipeline of the static tfperf, else of tfperf-opt, else
    None."""
    if not have_full:
        return None
    for key in ("static", "full"):
        st = r.get(key)
        if st is not None:
            return st
    return None


def targets(rows, have_full):
    """The issue's targets, checked against this run (1 MB = 10^6 bytes)."""
    by = {r["name"]: r for r in rows}

    def pick(name):
        r = by.get(name)
        if not r:
            return None
        st = main_stats(r, have_full) or r["import"]
        return st if st.ok else None

    static = any(r.get("static") for r in rows)
    what = ("full analysis, %s" % ("tfperf (static)" if static else "tfperf-opt")
            if have_full else "import only (no full pipeline yet)")
    L = ["### Targets (%s)" % what, "",
         "| target | measured | met |", "|---|---|---|"]

    def mb(kib):
        return kib * 1024 / 1e6

    tl = pick("tinyllama_L22")
    if tl:
        L.append("| TinyLlama (22 layers, 3006 nodes) ≤ 0.1 s | %s wall (min %s), "
                 "%s CPU | %s |" % (fmt_s(tl.med()), fmt_s(tl.min()),
                                    fmt_s(tl.med("cpu")),
                                    "yes" if tl.med() <= 0.1 else "no"))
        L.append("| TinyLlama ≤ 100 MB peak RSS | %.1f MB (%s) | %s |" % (
            mb(tl.med("rss")), fmt_mb(tl.med("rss")),
            "yes" if mb(tl.med("rss")) <= 100 else "no"))
        py = by["tinyllama_L22"]["py"]
        if py.ok:
            inproc = statistics.median(e["load"] + e["infer"] for e in py.extra)
            ratio = tl.med() / inproc
            L.append("| TinyLlama ≤ 1.5× python onnx load + shape inference "
                     "(in-process, this run) | %s ÷ %s = %.2f× (min %s ÷ %s = "
                     "%.2f×) | %s |" % (
                         fmt_s(tl.med()), fmt_s(inproc), ratio, fmt_s(tl.min()),
                         fmt_s(min(e["load"] + e["infer"] for e in py.extra)),
                         tl.min() / min(e["load"] + e["infer"] for e in py.extra),
                         "yes" if ratio <= 1.5 else "no"))
    a, b = pick("tinyllama_L32"), pick("tinyllama_L126")
    if a and b:
        rw = (b.med() / 126) / (a.med() / 32)
        rc = (b.med("cpu") / 126) / (a.med("cpu") / 32)
        L.append("| 126 layers ≤ 4× the per-layer time of 32 layers | %.2f× "
                 "(wall), %.2f× (CPU) | %s |" % (rw, rc,
                                                "yes" if rw <= 4 else "no"))
    g = next((by[n] for n in by if n.startswith("gpt2_124m_inline")), None)
    g = pick(g["name"]) if g else None
    if g:
        L.append("| inline-weights GPT-2 (650 MB file) ≤ 0.5 s | %s wall "
                 "(min %s) | %s |" % (fmt_s(g.med()), fmt_s(g.min()),
                                      "yes" if g.med() <= 0.5 else "no"))
        L.append("| inline-weights GPT-2 ≤ 150 MB peak RSS | %.1f MB (%s) "
                 "| %s |" % (mb(g.med("rss")), fmt_mb(g.med("rss")),
                             "yes" if mb(g.med("rss")) <= 150 else "no"))
    L.append("")
    return L


def count_nodes(path):
    r = subprocess.run([PY, "-c", "import onnx,sys; print(len(onnx.load("
                        "sys.argv[1], load_external_data=False).graph.node))",
                        path], capture_output=True, text=True)
    try:
        return int(r.stdout.strip())
    except ValueError:
        return 0


args_corpus = None

if __name__ == "__main__":
    sys.exit(main())
