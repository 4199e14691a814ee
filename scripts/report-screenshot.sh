#!/usr/bin/env bash
# Regenerates docs/report-roofline.png, the README's picture of the HTML
# report: GPT-2 124M (the corpus's nanoGPT export, 1 x 1024 tokens) in bf16
# on A100 and H100, the top 1320 x 900 pixels of the page as headless
# Chromium (Debian 12's `chromium` package) draws them.
#   scripts/report-screenshot.sh [BUILD_DIR] [CORPUS_DIR]
# (defaults: build, ../shared/corpus). Rerun it when the HTML report's look
# or the figures on its first screen change.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
corpus=${2:-../shared/corpus}
command -v chromium > /dev/null ||
  { echo "report-screenshot.sh: needs chromium (apt-get install chromium)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$build/bin/tfperf" "$corpus/models/gpt2_124m_nanogpt_b1_s1024.onnx" \
  --hw=a100-sxm-80gb,h100-sxm --compute-dtype=bf16 \
  --report="$work/report.html" > /dev/null
# --no-sandbox: Chromium refuses to run as root without it; the page is
# local and its Content-Security-Policy forbids loading anything.
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --window-size=1320,900 --screenshot="$work/report.png" \
  "file://$work/report.html" 2> /dev/null
cp "$work/report.png" docs/report-roofline.png
echo "wrote docs/report-roofline.png"
