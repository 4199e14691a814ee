#!/usr/bin/env bash
# Builds tfperf with AddressSanitizer + UndefinedBehaviorSanitizer (clang-22,
# asserts on) in its own build directory and runs the whole lit suite under
# them: any sanitizer report aborts the tool, and the test that ran it fails.
#
#   ./scripts/sanitize.sh             # build-asan
#   BUILD_DIR=b JOBS=2 ./scripts/sanitize.sh
#
# Builds only what check-tfperf needs (the tools and the unit tests).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build-asan}
start=$(date +%s)

# -O1 keeps reports readable; no -DNDEBUG, so the asserts in MLIR's and
# LLVM's headers (cast<>, ArrayRef and SmallVector bounds) check our code too.
cmake -G Ninja -S . -B "$BUILD_DIR" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
  -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
  -DLLVM_USE_LINKER=lld \
  -DTFPERF_SANITIZE="address;undefined" \
  -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
  -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit \
  -DPython3_EXECUTABLE=/usr/bin/python3 >/dev/null

# abort_on_error: a report ends in SIGABRT, never in exit status 1, which
# `not tfperf-opt ...` in a test would take for an expected failure.
# allow_user_poisoning=0: libMLIR.so is not instrumented, and memory its
# BumpPtrAllocator hands out may lie in a slab that our inlined copy of the
# allocator poisoned (a false use-after-poison the fuzzer hit).
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1:allow_user_poisoning=0:check_initialization_order=1:strict_init_order=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:abort_on_error=1
export LSAN_OPTIONS=suppressions=$PWD/scripts/lsan.supp:print_suppressions=0
export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-22/bin/llvm-symbolizer
# check-tfperf builds exactly the lit suite's dependencies, then runs it.
cmake --build "$BUILD_DIR" -j "${JOBS:-2}" --target check-tfperf
echo "sanitize.sh: ASan+UBSan build and lit suite passed in $(( $(date +%s) - start ))s"
