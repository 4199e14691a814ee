#!/usr/bin/python3
"""Checks a tfperf HTML report against the JSON report of the same run.

  check_html_report.py static REPORT.html REPORT.json [--show-shape-ops]
      Checks the file as written: self-contained (no URL to fetch, a
      Content-Security-Policy that forbids loading), and its structure.
  check_html_report.py browser REPORT.html REPORT.json [--show-shape-ops]
          [--screenshot OUT.png] [--window-size W,H] [--dom OUT.html]
      Renders the file in headless Chromium (TFPERF_CHROMIUM, else
      `chromium` on PATH, else /usr/bin/chromium; a fresh profile each run,
      killed with its process group on a timeout, tried twice), checks the
      DOM after scripts ran (the page marks itself data-tfperf-ready), then
      takes a screenshot and checks it is a real picture of that size.

Structure: per device one <svg class="roofline"> with an x and a y axis
(ticks and titles), the memory roof, the ridge point at the device's ridge,
and one mark per group of ops with identical op type and figures, counted
here from the JSON report (so every drawn op is in exactly one mark); one
<svg class="bars"> per device; the op table's rows; the section list.
Prints "ok ..." lines; exits 1 naming every problem.
"""
import json
import math
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import zlib
from html.parser import HTMLParser

VOID = {"meta", "link", "br", "hr", "img", "input", "source", "wbr", "col", "area",
        "base", "embed", "param", "track"}


class Node:
    def __init__(self, tag, attrs, parent=None):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children, self.text = [], ""

    def classes(self):
        return (self.attrs.get("class") or "").split()

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()

    def find(self, tag=None, cls=None, **attrs):
        return [n for n in self.walk()
                if (tag is None or n.tag == tag)
                and (cls is None or cls in n.classes())
                and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())]

    def all_text(self):
        return self.text + "".join(c.all_text() for c in self.children)


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, attrs, self.current))

    def handle_endtag(self, tag):
        n = self.current
        while n is not self.root and n.tag != tag:
            n = n.parent
        if n is not self.root:
            self.current = n.parent

    def handle_data(self, data):
        self.current.text += data


def parse(text):
    b = TreeBuilder()
    b.feed(text)
    b.close()
    return b.root


def expected_marks(report, show_shape_ops):
    """Groups of drawn ops, as the HTML report groups them."""
    devices = [d["name"] for d in report["devices"]]
    groups = {}
    for op in report["ops"]:
        if op["bound"] == "unknown":
            continue
        if op["flops"] == 0 and op["bytes"] == 0:
            continue
        if op["shape_computation"] and not show_shape_ops:
            continue
        if not (op["flops"] > 0 and op["bytes"] > 0):
            continue
        if len(devices) > 1:
            times = tuple(op["by_device"][d]["time_s"] for d in devices)
        else:
            times = (op["time_s"],)
        key = (op["op"], op["flops"], op["gemm_flops"], op["bytes"], times)
        groups.setdefault(key, []).append(op["name"])
    return groups


def check_structure(doc, report, show_shape_ops):
    errors = []
    devices = report["devices"]
    groups = expected_marks(report, show_shape_ops)
    plotted = sum(len(v) for v in groups.values())

    charts = doc.find("svg", cls="roofline")
    if [c.attrs.get("data-device") for c in charts] != [d["name"] for d in devices]:
        errors.append("roofline charts for %s, expected %s"
                      % ([c.attrs.get("data-device") for c in charts],
                         [d["name"] for d in devices]))
    for i, (chart, dev) in enumerate(zip(charts, devices)):
        name = dev["name"]
        before = len(errors)
        for axis in ("x-axis", "y-axis"):
            g = chart.find("g", cls=axis)
            ticks = g[0].find("g", cls="tick") if g else []
            labels = [t.all_text().strip() for t in ticks]
            if len(g) != 1 or len(ticks) < 3 or not all(labels):
                errors.append("%s: %s missing or with fewer than 3 labelled ticks" % (name, axis))
            elif not g[0].find("text", cls="axis-title"):
                errors.append("%s: %s has no title" % (name, axis))
        if len(chart.find("polyline", cls="memory-roof")) != 1:
            errors.append("%s: no memory roof" % name)
        ridge = chart.find("g", cls="ridge")
        want = dev["ridge"] if dev["ridge"] is not None else dev["vector_flops"] / dev["mem_bw"]
        if len(ridge) != 1 or not ridge[0].find("circle"):
            errors.append("%s: no ridge point" % name)
        elif not math.isclose(float(ridge[0].attrs["data-intensity"]), want, rel_tol=1e-9):
            errors.append("%s: ridge at %s, expected %r"
                          % (name, ridge[0].attrs["data-intensity"], want))
        marks = chart.find("circle", cls="mark")
        want_marks = sorted((k[0], len(v)) for k, v in groups.items() if k[4][i] is not None)
        got_marks = sorted((m.attrs.get("data-op"), int(m.attrs.get("data-count", 0)))
                           for m in marks)
        if got_marks != want_marks:
            errors.append("%s: %d marks for %d ops, expected %d marks for %d ops"
                          % (name, len(got_marks), sum(c for _, c in got_marks),
                             len(want_marks), sum(c for _, c in want_marks)))
        for m in marks:
            bound = [c for c in m.classes() if c in ("memory", "compute")]
            title = m.find("title")
            if len(bound) != 1 or not title or not title[0].all_text().strip():
                errors.append("%s: a mark without a bound class or a title" % name)
                break
        if len(errors) == before:
            print("ok %s: %d marks for %d ops, axes, ridge at %.4g FLOP/B"
                  % (name, len(marks), sum(c for _, c in got_marks), want))

    counts = doc.find(id="roofline-counts")
    if not counts or counts[0].attrs.get("data-marks") != str(len(groups)) \
            or counts[0].attrs.get("data-ops") != str(plotted):
        errors.append("roofline-counts does not say %d marks for %d ops" % (len(groups), plotted))

    bars = doc.find("svg", cls="bars")
    typed = [t for t in report["by_op_type"] if t["time_s"] > 0]
    want_rows = len(typed) if len(typed) <= 13 else 13
    if len(bars) != len(devices):
        errors.append("%d bar charts for %d devices" % (len(bars), len(devices)))
    for b in bars:
        rows = b.find("g", cls="bar-row")
        if len(rows) != want_rows:
            errors.append("bars of %s: %d rows, expected %d"
                          % (b.attrs.get("data-device"), len(rows), want_rows))

    table = doc.find("table", id="op-table")
    listed = [o for o in report["ops"]
              if o["bound"] == "unknown"
              or ((o["flops"] or o["bytes"])
                  and (show_shape_ops or not o["shape_computation"]))]
    if len(table) != 1:
        errors.append("no op table")
    else:
        rows = table[0].find("tbody")[0].find("tr")
        names = sorted(r.find("td")[1].all_text() for r in rows)
        if names != sorted(o["name"] for o in listed):
            errors.append("op table has %d rows, expected %d" % (len(rows), len(listed)))
        else:
            print("ok op table: %d rows" % len(rows))

    sections = doc.find("ol", id="sections")
    links = sections[0].find("a") if sections else []
    ids = [a.attrs.get("href", "")[1:] for a in links]
    if len(ids) < 4 or any(not doc.find("section", id=i) for i in ids):
        errors.append("section list %r does not match the sections" % ids)
    return errors


def check_self_contained(text, doc):
    errors = []
    if not text.startswith("<!DOCTYPE html>"):
        errors.append("no <!DOCTYPE html>")
    csp = [m for m in doc.find("meta")
           if m.attrs.get("http-equiv", "").lower() == "content-security-policy"]
    if not csp or "default-src 'none'" not in csp[0].attrs.get("content", ""):
        errors.append("no Content-Security-Policy with default-src 'none'")
    for n in doc.walk():
        for k, v in n.attrs.items():
            v = v or ""
            if k in ("src", "srcset", "poster", "data", "action") or \
                    (k in ("href", "xlink:href") and not v.startswith("#")):
                errors.append("<%s %s=%r> loads something" % (n.tag, k, v))
    rest = text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    for bad in ("http://", "https://", "//cdn", "@import", "@font-face"):
        if bad in rest:
            errors.append("mentions %r" % bad)
    if "url(" in rest.replace("url(#", ""):
        errors.append("a CSS url() that is not a fragment")
    return errors


def chromium_binary():
    for c in (os.environ.get("TFPERF_CHROMIUM"), shutil.which("chromium"),
              "/usr/bin/chromium"):
        if c and os.path.exists(c):
            return c
    return None


def run_chromium(binary, args, timeout=90, tries=2):
    """Runs headless Chromium on a fresh profile; stdout, or None."""
    for attempt in range(tries):
        with tempfile.TemporaryDirectory(prefix="tfperf-chromium-") as profile:
            cmd = [binary, "--headless", "--no-sandbox", "--disable-gpu",
                   "--no-first-run", "--disable-background-networking",
                   "--disable-component-update", "--disable-sync",
                   "--disable-dev-shm-usage", "--user-data-dir=" + profile] + args
            env = dict(os.environ, HOME=profile)
            p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 env=env, start_new_session=True)
            try:
                out, err = p.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.communicate()
                sys.stderr.write("chromium timed out after %ds (try %d)\n"
                                 % (timeout, attempt + 1))
                continue
            if p.returncode == 0:
                return out.decode("utf-8", "replace")
            sys.stderr.write("chromium exited with %d (try %d): %s\n"
                             % (p.returncode, attempt + 1, err.decode()[-2000:]))
    return None


def png_pixels(data):
    """(width, height, rows of RGB(A) bytes) of an 8-bit RGB/RGBA PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, ihdr = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, color, _, _, interlace = ihdr
    if depth != 8 or color not in (2, 6) or interlace:
        raise ValueError("unsupported PNG layout")
    bpp = 3 if color == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pred) & 255
        rows.append(line)
        prev = line
    return width, height, bpp, rows


def check_screenshot(path, width, height):
    data = open(path, "rb").read()
    w, h, bpp, rows = png_pixels(data)
    if (w, h) != (width, height):
        return ["screenshot is %dx%d, expected %dx%d" % (w, h, width, height)]
    colours = set()
    for row in rows[::4]:
        for x in range(0, len(row), bpp * 3):
            colours.add(bytes(row[x:x + 3]))
    if len(colours) < 32:
        return ["screenshot has only %d colours: nothing rendered?" % len(colours)]
    print("ok screenshot %dx%d, %d colours" % (w, h, len(colours)))
    return []


def main(argv):
    if len(argv) < 4 or argv[1] not in ("static", "browser"):
        sys.exit(__doc__)
    mode, html_path, json_path = argv[1:4]
    opts = argv[4:]
    show_shape_ops = "--show-shape-ops" in opts

    def opt(name, default=None):
        return opts[opts.index(name) + 1] if name in opts else default

    report = json.load(open(json_path, encoding="utf-8"))
    text = open(html_path, encoding="utf-8").read()
    errors = []
    if mode == "static":
        doc = parse(text)
        errors += check_self_contained(text, doc)
        errors += check_structure(doc, report, show_shape_ops)
    else:
        binary = chromium_binary()
        if not binary:
            print("FAIL chromium not found (set TFPERF_CHROMIUM)")
            return 1
        url = "file://" + os.path.abspath(html_path)
        dom = run_chromium(binary, ["--dump-dom", url])
        if dom is None:
            print("FAIL chromium could not render %s" % html_path)
            return 1
        if opt("--dom"):
            open(opt("--dom"), "w", encoding="utf-8").write(dom)
        doc = parse(dom)
        html = doc.find("html")
        if not html or html[0].attrs.get("data-tfperf-ready") != "true":
            errors.append("the page's script did not run (no data-tfperf-ready)")
        else:
            print("ok scripts ran")
        errors += check_structure(doc, report, show_shape_ops)
        if opt("--screenshot"):
            w, h = (int(v) for v in opt("--window-size", "1320,1000").split(","))
            shot = os.path.abspath(opt("--screenshot"))
            if os.path.exists(shot):
                os.remove(shot)
            if run_chromium(binary, ["--hide-scrollbars", "--window-size=%d,%d" % (w, h),
                                     "--screenshot=" + shot, url]) is None \
                    or not os.path.exists(shot):
                errors.append("chromium wrote no screenshot")
            else:
                errors += check_screenshot(shot, w, h)
    for e in errors[:30]:
        print("FAIL " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
