#!/usr/bin/env bash
# Builds a libFuzzer target (clang-22, ASan + UBSan, asserts on) and runs it.
#
#   scripts/fuzz.sh [SECONDS] [TARGET]
#
#   TARGET      import (default): bytes into the importer;
#               mlir: MLIR text into shape inference;
#               pipeline: ONNX models, mutated structurally, through every
#                 analysis and report format with the report invariants on;
#               mlir-pipeline: MLIR text (linalg, tosa) through the same
#
#   SECONDS     how long to fuzz (default 300)
#   BUILD_DIR   build directory (default build-fuzz)
#   MAX_LEN     largest input in bytes (default 65536: every seed fits)
#   RSS_MB      memory limit; a single allocation above it is a finding too
#               (default 4096: the process-wide SymExpr symbol table keeps
#               every name a run has seen, so RSS creeps up over hours)
#   TIMEOUT_S   one input running longer than this is a hang (default 10)
#   FORK=1      keep going after a finding (-fork=1 -ignore_crashes=1): for
#               long unattended runs; findings are saved all the same
#
# What stays in $BUILD_DIR/fuzz/ (out of git):
#   corpus-TARGET/     the grown corpus, reused by the next run
#   artifacts-TARGET/  crash-*, timeout-*, oom-* inputs to reproduce with
#                      $BUILD_DIR/bin/tfperf-TARGET-fuzzer FILE
#   ledger.tsv         one line per run: date, target, seconds, executions,
#                      so runs over several sessions add up
# Seeds (fuzz/make_seeds.py) are rebuilt each run from test/ fixtures, the
# examples and the shared corpus (../shared/corpus or $TFPERF_CORPUS).
set -euo pipefail
cd "$(dirname "$0")/.."
# Everything below is one block, read whole before it runs, so that editing
# this file during a long run cannot derail the run.
{

SECONDS_TO_RUN=${1:-300}
TARGET=${2:-import}
case "$TARGET" in
  import|mlir|pipeline|mlir-pipeline) ;;
  *) echo "fuzz.sh: unknown target '$TARGET' (import, mlir, pipeline or mlir-pipeline)" >&2; exit 2 ;;
esac
BUILD_DIR=${BUILD_DIR:-build-fuzz}
MAX_LEN=${MAX_LEN:-65536}
RSS_MB=${RSS_MB:-4096}
TIMEOUT_S=${TIMEOUT_S:-10}
PY=/usr/bin/python3
CORPUS=${TFPERF_CORPUS:-../shared/corpus}

if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -G Ninja -S . -B "$BUILD_DIR" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -gline-tables-only" \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -gline-tables-only" \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DLLVM_USE_LINKER=lld \
    -DTFPERF_BUILD_FUZZERS=ON -DTFPERF_SANITIZE="address;undefined" \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit \
    -DPython3_EXECUTABLE=$PY
fi
BUILD_TARGETS=("tfperf-$TARGET-fuzzer")
case "$TARGET" in mlir|mlir-pipeline) BUILD_TARGETS+=(tfperf-opt) ;; esac
cmake --build "$BUILD_DIR" -j "${JOBS:-2}" --target "${BUILD_TARGETS[@]}"

WORK="$BUILD_DIR/fuzz"
SEEDS="$WORK/seeds-$TARGET"
GROWN="$WORK/corpus-$TARGET"
ARTIFACTS="$WORK/artifacts-$TARGET"
mkdir -p "$GROWN" "$ARTIFACTS"
rm -rf "$WORK/seeds-import" "$SEEDS"
$PY fuzz/make_seeds.py "$WORK/seeds-import" --corpus "$CORPUS/models" \
  --max-len "$MAX_LEN"
# Past bugs are seeds too.
cp test/Target/ONNX/Inputs/fuzz-regressions/* "$WORK/seeds-import/" 2>/dev/null || true
if [ "$TARGET" = pipeline ]; then
  # Binary models only: the structure-aware mutator parses those.
  mkdir -p "$SEEDS"
  cp "$WORK"/seeds-import/*.onnx "$SEEDS/"
elif [ "$TARGET" = mlir ] || [ "$TARGET" = mlir-pipeline ]; then
  # Every test .mlir (split at `// -----`) and every import seed as MLIR.
  mkdir -p "$SEEDS"
  $PY - "$SEEDS" <<'EOF'
import glob, re, sys
n = 0
for f in glob.glob("test/**/*.mlir", recursive=True):
    for part in re.split(r"^// -----$", open(f).read(), flags=re.M):
        n += 1
        open("%s/test-%d.mlir" % (sys.argv[1], n), "w").write(part)
EOF
  for f in "$WORK"/seeds-import/*.onnx; do
    "$BUILD_DIR/bin/tfperf-opt" "$f" -o "$SEEDS/$(basename "$f" .onnx).mlir" \
      2>/dev/null || true
  done
fi

FLAGS=(-max_len="$MAX_LEN" -rss_limit_mb="$RSS_MB" -timeout="$TIMEOUT_S"
       -max_total_time="$SECONDS_TO_RUN" -print_final_stats=1
       -artifact_prefix="$ARTIFACTS/")
case "$TARGET" in import|pipeline) FLAGS+=(-dict=fuzz/onnx.dict) ;; esac
[ "${FORK:-0}" = 1 ] && FLAGS+=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allow_user_poisoning=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/scripts/lsan.supp}

LOG="$WORK/last-$TARGET.log"
STARTED=$(date +%s)
set +e
"$BUILD_DIR/bin/tfperf-$TARGET-fuzzer" "${FLAGS[@]}" "$GROWN" "$SEEDS" 2>&1 |
  tee "$LOG" | grep -E --line-buffered '^(#[0-9]+: |INFO: (fuzzed|exiting)|==[0-9]+==ERROR|SUMMARY|stat::|artifact_prefix)|Test unit written|(pulse|DONE|RELOAD) '
rc=${PIPESTATUS[0]}
set -e

# Executions: the fork-mode parent's last `#N:` line, else the final stats
# (an interrupted fork-mode run has only its last `#N:` line).
last_number() {  # last_number REGEX: the last number in the last match
  { grep -oE "$1" "$LOG" | tail -1 | grep -oE '[0-9]+' | tail -1; } || true
}
EXECS=$(last_number '^#[0-9]+: ')
[ -n "$EXECS" ] || EXECS=$(last_number 'stat::number_of_executed_units: *[0-9]+')
[ -n "$EXECS" ] || EXECS=$(last_number '^#[0-9]+')
EXECS=${EXECS:-0}
RAN=$(last_number '^#[0-9]+: .* time: [0-9]+s')
[ -n "$RAN" ] || RAN=$(( $(date +%s) - STARTED ))
printf '%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$TARGET" "$RAN" "$EXECS" >> "$WORK/ledger.tsv"
TOTAL=$(awk -F'\t' -v t="$TARGET" '$2 == t { s += $4 } END { print s + 0 }' "$WORK/ledger.tsv")
echo "fuzz.sh: $TARGET: $EXECS executions in ${RAN}s ($((EXECS / (RAN > 0 ? RAN : 1))) exec/s); $TOTAL in all runs (ledger $WORK/ledger.tsv)"
ls "$ARTIFACTS" | head -20
exit "$rc"
}
