# -*- Python -*-
# lit configuration for tfperf.

import os

import lit.formats
from lit.llvm import llvm_config

config.name = "TFPERF"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test", ".pbtxt", ".onnxtxt"]
config.excludes = ["Inputs", "lit.cfg.py", "lit.site.cfg.py", "check_corpus.py", "check_costs.py", "check_transformer.py", "check_serving.py", "check_kernels.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.tfperf_obj_root, "test")

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.tfperf_tools_dir, append_path=True)

# Helper scripts need Debian's python3 with python3-onnx, not whatever
# python3 comes first on PATH.
python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else "python3"
config.substitutions.append(("%python", python))
config.substitutions.append(("%tfperf_src", config.tfperf_src_root))
# %onnxtxt: ONNX text syntax fixture -> binary model (utils/onnxtxt.py).
config.substitutions.append(
    ("%onnxtxt", python + " " +
     os.path.join(config.tfperf_src_root, "utils", "onnxtxt.py")))
config.substitutions.append(
    ("%onnx_mutate", python + " " +
     os.path.join(config.tfperf_src_root, "utils", "onnx_mutate.py")))
config.substitutions.append(("%tfperf_libs", config.tfperf_lib_dir))
config.substitutions.append(("%tfperf_bin", config.tfperf_tools_dir))
inputs = os.path.join(config.tfperf_src_root, "test", "Inputs")
config.substitutions.append(("%inputs", inputs))

# The 2026 corpus of third-party test models (onnxruntime, onnx node
# tests), under the same rule as the corpus below. Registered first: lit
# substitutes in order, and %corpus would eat the start of %corpus2026.
corpus2026 = os.environ.get(
    "TFPERF_CORPUS2026",
    os.path.normpath(os.path.join(config.tfperf_src_root, "..", "shared",
                                  "corpus2026")))
config.substitutions.append(("%corpus2026", corpus2026))
if os.path.isdir(os.path.join(corpus2026, "models")):
    config.available_features.add("corpus2026")
elif os.environ.get("CI") == "true":
    lit_config.error(
        "CI=true but the 2026 corpus is missing at %s "
        "(set TFPERF_CORPUS2026)" % corpus2026)

# The shared corpus of real exports. Tests that need it fail (never skip)
# when CI=true and it is missing; elsewhere they are unsupported.
corpus = os.environ.get(
    "TFPERF_CORPUS",
    os.path.normpath(os.path.join(config.tfperf_src_root, "..", "shared", "corpus")))
config.substitutions.append(("%corpus", corpus))
if os.path.isdir(os.path.join(corpus, "models")):
    config.available_features.add("corpus")
elif os.environ.get("CI") == "true":
    lit_config.error(
        "CI=true but the shared corpus is missing at %s "
        "(set TFPERF_CORPUS)" % corpus)

# Public GPU measurements the time model is calibrated on (bench/calibrate.py).
# Like the corpus: tests fail (never skip) when CI=true and it is missing.
calibration = os.environ.get(
    "TFPERF_CALIBRATION",
    os.path.normpath(os.path.join(config.tfperf_src_root, "..", "shared", "calibration")))
config.substitutions.append(("%calibration", calibration))
if os.path.isdir(os.path.join(calibration, "vidur")):
    config.available_features.add("calibration")
elif os.environ.get("CI") == "true":
    lit_config.error(
        "CI=true but the calibration data is missing at %s "
        "(set TFPERF_CALIBRATION)" % calibration)

# Published serving traces (arrival, input and output tokens per request)
# that drive the serving simulator. Like the corpus: fail under CI=true.
traces = os.environ.get(
    "TFPERF_SERVING_TRACES",
    os.path.normpath(os.path.join(config.tfperf_src_root, "..", "shared", "serving-traces")))
config.substitutions.append(("%serving_traces", traces))
if os.path.isfile(os.path.join(traces, "sharegpt_300req_1.csv")):
    config.available_features.add("serving-traces")
elif os.environ.get("CI") == "true":
    lit_config.error(
        "CI=true but the serving traces are missing at %s "
        "(set TFPERF_SERVING_TRACES)" % traces)

# Headless Chromium renders the HTML report. Under CI=true the browser test
# runs (and fails) even when chromium is missing.
chromium = os.environ.get("TFPERF_CHROMIUM", "/usr/bin/chromium")
if os.path.exists(chromium) or os.environ.get("CI") == "true":
    config.available_features.add("chromium")
config.environment["TFPERF_CHROMIUM"] = chromium

tools = ["tfperf-opt", "tfperf-translate"]
llvm_config.add_tool_substitutions(tools, [config.tfperf_tools_dir])
# The plugin is built everywhere except in sanitizer builds
# (tools/CMakeLists.txt); test/Plugin requires it.
if config.tfperf_has_plugin:
    config.available_features.add("plugin")
# tfperf links the static MLIR/LLVM archives (TFPERF_STATIC_TOOL, on unless
# sanitizing or fuzzing).
if config.tfperf_has_static_tool:
    config.available_features.add("static-tool")
# Stock mlir-opt of the same LLVM, for the plugin tests
# (%tfperf_libs/TFPerfPlugin.so).
llvm_config.add_tool_substitutions(["mlir-opt"], [config.llvm_tools_dir])
