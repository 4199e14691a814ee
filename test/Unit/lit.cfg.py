# -*- Python -*-
# Runs the GoogleTest unit tests as part of check-tfperf.
import os

import lit.formats

config.name = "TFPERF-Unit"
config.suffixes = []
config.test_exec_root = os.path.join(config.tfperf_obj_root, "unittests")
config.test_source_root = config.test_exec_root
config.test_format = lit.formats.GoogleTest(".", "Tests")
