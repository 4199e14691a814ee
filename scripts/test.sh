#!/usr/bin/env bash
# Command 2: runs the whole test suite (lit + FileCheck tests and the
# GoogleTest units, through the check-tfperf target).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
cmake --build "$BUILD_DIR" --target check-tfperf
