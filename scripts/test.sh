#!/usr/bin/env bash
# Command 2: runs the whole test suite — the lit + FileCheck tests and the
# GoogleTest units, through the check-tfperf target of the build that
# scripts/setup.sh made. Under CI=true (or with --sanitize) the same suite
# then runs again in an ASan+UBSan build (scripts/sanitize.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
sanitize=${CI:-false}
for arg in "$@"; do
  case "$arg" in
    --sanitize) sanitize=true ;;
    *) echo "test.sh: unknown argument '$arg' (only --sanitize)" >&2; exit 2 ;;
  esac
done
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  echo "test.sh: no build in '$BUILD_DIR': run ./scripts/setup.sh first" >&2
  exit 1
fi
cmake --build "$BUILD_DIR" --target check-tfperf
if [ "$sanitize" = true ]; then
  ./scripts/sanitize.sh
fi
