#!/usr/bin/env bash
# Command 1: installs every dependency from Debian with apt-get, configures
# and builds tfperf, then runs it on the example model kept in the repo.
#
#   ./scripts/setup.sh            # Release build in ./build
#   BUILD_DIR=b ./scripts/setup.sh
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${BUILD_DIR:-build}
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo

# Everything the build, the tests and the tools need (chromium renders the
# HTML report in a browser test; clang-22 and its runtime build the fuzzers
# and sanitizer runs; python3-onnx turns text fixtures into models; the
# tools link libonnx1's protobuf bindings and schema registry).
PACKAGES=(
  cmake ninja-build ccache g++ git
  libmlir-22-dev mlir-22-tools llvm-22-dev llvm-22-tools
  clang-22 libclang-rt-22-dev lld-22
  libonnx-dev libonnx1 libprotobuf-dev protobuf-compiler
  libgtest-dev
  python3 python3-onnx python3-numpy python3-jsonschema
  chromium fonts-dejavu-core
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
    missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "${missing[@]}"
fi

cmake -G Ninja -S . -B "$BUILD_DIR" \
  -DCMAKE_BUILD_TYPE=Release \
  -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
  -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit \
  -DPython3_EXECUTABLE=/usr/bin/python3
cmake --build "$BUILD_DIR"

# The main job, on a real GPT-2 (124M) export kept in the repo.
"$BUILD_DIR"/bin/tfperf examples/gpt2_124m_nanogpt_b1_s1024.onnx \
  --analyze-roofline --hw=h100-sxm --compute-dtype=bf16 \
  --report="$BUILD_DIR"/gpt2_124m.json
