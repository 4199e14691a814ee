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
#   FORK=N      keep going after a finding (-fork=N -ignore_crashes=1) with
#               N worker processes: for long unattended runs (N = the cores
#               to give it); findings are saved all the same, and the
#               executions counted are all workers' together
#   BUILD_ONLY=1  build the target and stop (nothing run, no ledger line)
#   LIGHT=1     pipeline and mlir-pipeline only: build just the harness
#               (clang-22, ASan + UBSan + libFuzzer) into $BUILD_DIR/light/
#               and link it against the Release libraries of $RELEASE_DIR
#               (default build/, built first). Minutes instead of hours on
#               a small machine, but the libraries are neither instrumented
#               for coverage nor for out-of-bounds accesses: crashes, hangs,
#               aborts, allocator errors and report-invariant failures are
#               found, coverage guides only through the harness
#
# What stays in $BUILD_DIR/fuzz/ (out of git):
#   corpus-TARGET/     the grown corpus, reused by the next run
#   artifacts-TARGET/  crash-*, timeout-*, oom-* inputs to reproduce with
#                      $BUILD_DIR/bin/tfperf-TARGET-fuzzer FILE (LIGHT=1:
#                      $BUILD_DIR/light/bin/...)
#   ledger.tsv         one line per run: date, target, seconds, executions,
#                      build (instrumented or harness-only), the commit
#                      fuzzed (+dirty when a source of the fuzzer differs
#                      from it) and
#                      the findings the run saved, so that runs over several
#                      sessions on one frozen commit add up to one clean run
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

if [ "${LIGHT:-0}" != 1 ] && [ ! -f "$BUILD_DIR/build.ninja" ]; then
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
FUZZER="$BUILD_DIR/bin/tfperf-$TARGET-fuzzer"
TFPERF_OPT="$BUILD_DIR/bin/tfperf-opt"
BUILD_KIND=instrumented
if [ "${LIGHT:-0}" = 1 ]; then
  case "$TARGET" in pipeline|mlir-pipeline) ;;
    *) echo "fuzz.sh: LIGHT=1 is for pipeline and mlir-pipeline" >&2; exit 2 ;;
  esac
  RELEASE_DIR=${RELEASE_DIR:-build}
  BUILD_KIND=harness-only
  cmake --build "$RELEASE_DIR" -j "${JOBS:-2}" --target tfperf tfperf-opt
  FUZZER="$BUILD_DIR/light/bin/tfperf-$TARGET-fuzzer"
  TFPERF_OPT="$RELEASE_DIR/bin/tfperf-opt"
  case "$TARGET" in
    pipeline) MAIN_SRC=fuzz/PipelineFuzzer.cpp ;;
    *) MAIN_SRC=fuzz/MLIRPipelineFuzzer.cpp ;;
  esac
  # The libraries bin/tfperf-opt links (libMLIR.so, as fuzz/CMakeLists.txt
  # links the fuzzers), in its link order, from build.ninja.
  LIBS=()
  for lib in $(sed -n '/^build bin\/tfperf-opt:/,/^$/s/^  LINK_LIBRARIES = //p' \
                 "$RELEASE_DIR/build.ninja"); do
    case "$lib" in /*|-*) LIBS+=("$lib") ;; *) LIBS+=("$RELEASE_DIR/$lib") ;; esac
  done
  if [ -z "$(find "$FUZZER" -newer "$RELEASE_DIR/bin/tfperf" 2>/dev/null)" ] ||
     [ -n "$(find fuzz -newer "$FUZZER" 2>/dev/null)" ]; then
    mkdir -p "$(dirname "$FUZZER")"
    clang++-22 -std=gnu++17 -O2 -gline-tables-only -fno-exceptions -DNDEBUG \
      -D_GLIBCXX_USE_CXX11_ABI=1 -D__STDC_CONSTANT_MACROS \
      -D__STDC_FORMAT_MACROS -D__STDC_LIMIT_MACROS \
      -fsanitize=fuzzer,address,undefined -fuse-ld=lld \
      -Iinclude -I"$RELEASE_DIR/include" -isystem /usr/lib/llvm-22/include \
      -DONNX_ML=1 -DONNX_NAMESPACE=onnx \
      fuzz/FuzzPipeline.cpp fuzz/ModelMutator.cpp "$MAIN_SRC" \
      "${LIBS[@]}" -o "$FUZZER"
  fi
else
  BUILD_TARGETS=("tfperf-$TARGET-fuzzer")
  case "$TARGET" in mlir|mlir-pipeline) BUILD_TARGETS+=(tfperf-opt) ;; esac
  cmake --build "$BUILD_DIR" -j "${JOBS:-2}" --target "${BUILD_TARGETS[@]}"
fi
[ "${BUILD_ONLY:-0}" = 1 ] && { echo "fuzz.sh: built $FUZZER"; exit 0; }

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
    "$TFPERF_OPT" "$f" -o "$SEEDS/$(basename "$f" .onnx).mlir" \
      2>/dev/null || true
  done
fi

FLAGS=(-max_len="$MAX_LEN" -rss_limit_mb="$RSS_MB" -timeout="$TIMEOUT_S"
       -max_total_time="$SECONDS_TO_RUN" -print_final_stats=1
       -artifact_prefix="$ARTIFACTS/")
case "$TARGET" in import|pipeline) FLAGS+=(-dict=fuzz/onnx.dict) ;; esac
case "${FORK:-0}" in
  0) ;;
  [1-9]|[1-9][0-9]) FLAGS+=(-fork="$FORK" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1) ;;
  *) echo "fuzz.sh: FORK must be a number of worker processes (1-99), not '$FORK'" >&2; exit 2 ;;
esac
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allow_user_poisoning=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/scripts/lsan.supp}

LOG="$WORK/last-$TARGET.log"
STARTED=$(date +%s)
touch "$WORK/started-$TARGET"
COMMIT=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
# Dirty: a source the fuzzer is built from differs (not scripts or docs).
[ -z "$(git status --porcelain --untracked-files=no -- lib include fuzz tools \
        cmake CMakeLists.txt 2>/dev/null)" ] || COMMIT="$COMMIT+dirty"
set +e
"$FUZZER" "${FLAGS[@]}" "$GROWN" "$SEEDS" 2>&1 |
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
# A timeout is retried once, alone, as the mutation run retries its hangs:
# one that finishes within the limit was the machine's load (a build
# beside the run), not a hang; it is kept in unreproduced/, not counted.
mkdir -p "$ARTIFACTS/unreproduced"
for f in $(find "$ARTIFACTS" -maxdepth 1 -type f -name 'timeout-*' \
             -newer "$WORK/started-$TARGET"); do
  if timeout $((TIMEOUT_S * 3)) "$FUZZER" -timeout="$TIMEOUT_S" \
       -rss_limit_mb="$RSS_MB" "$f" >/dev/null 2>&1; then
    echo "fuzz.sh: $(basename "$f") ran within ${TIMEOUT_S}s alone: load, not a hang"
    mv "$f" "$ARTIFACTS/unreproduced/"
  fi
done
FINDINGS=$(find "$ARTIFACTS" -maxdepth 1 -type f -newer "$WORK/started-$TARGET" | wc -l)
printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$TARGET" "$RAN" \
  "$EXECS" "$BUILD_KIND" "$COMMIT" "$FINDINGS" >> "$WORK/ledger.tsv"
TOTAL=$(awk -F'\t' -v t="$TARGET" '$2 == t { s += $4 } END { print s + 0 }' "$WORK/ledger.tsv")
# Clean executions of this build kind on this commit, over every run of it
# (none if any of those runs saved a finding).
CLEAN=$(awk -F'\t' -v t="$TARGET" -v b="$BUILD_KIND" -v c="$COMMIT" \
  '$2 == t && $5 == b && $6 == c { s += $4; f += $7 } END { print f ? 0 : s + 0 }' \
  "$WORK/ledger.tsv")
echo "fuzz.sh: $TARGET: $EXECS executions in ${RAN}s ($((EXECS / (RAN > 0 ? RAN : 1))) exec/s), $FINDINGS findings; $TOTAL in all runs; $CLEAN clean on $COMMIT ($BUILD_KIND) (ledger $WORK/ledger.tsv)"
ls "$ARTIFACTS" | head -20
exit "$rc"
}
