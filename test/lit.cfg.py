# -*- Python -*-
# lit configuration for tfperf.

import os

import lit.formats
from lit.llvm import llvm_config

config.name = "TFPERF"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test", ".pbtxt", ".onnxtxt"]
config.excludes = ["Inputs", "lit.cfg.py", "lit.site.cfg.py", "check_corpus.py", "check_costs.py", "check_transformer.py", "check_serving.py", "check_kernels.py", "check_corpus2026.py"]
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

# Data shared beside the repository (../shared): each folder gets a
# substitution and, when present, a feature. Tests that need one fail (never
# skip) when CI=true and it is missing; elsewhere they are unsupported.
def shared_data(folder, env, marker, feature, what):
    path = os.environ.get(env, os.path.normpath(
        os.path.join(config.tfperf_src_root, "..", "shared", folder)))
    config.substitutions.append(("%" + feature.replace("-", "_"), path))
    if os.path.exists(os.path.join(path, marker)):
        config.available_features.add(feature)
    elif os.environ.get("CI") == "true":
        lit_config.error("CI=true but %s cannot be found at %s (set %s)"
                         % (what, path, env))


# Registered before %corpus: lit substitutes in order, and %corpus would eat
# the start of %corpus2026.
shared_data("corpus2026", "TFPERF_CORPUS2026", "models", "corpus2026",
            "the 2026 corpus of third-party test models")
shared_data("corpus", "TFPERF_CORPUS", "models", "corpus",
            "the shared corpus of real exports")
shared_data("calibration", "TFPERF_CALIBRATION", "vidur", "calibration",
            "the GPU measurements the time model is calibrated on")
shared_data("serving-traces", "TFPERF_SERVING_TRACES", "sharegpt_300req_1.csv",
            "serving-traces", "the published serving traces")

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
