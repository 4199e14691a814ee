// What the IR alone can say is wrong in `#tfperf.config` (the dtypes and
// devices are checked by the analyses that read them:
// test/Transforms/tfperf-emit-report-errors.mlir).
// RUN: tfperf-opt %s --split-input-file --verify-diagnostics

// expected-error @+2 {{#tfperf.phases: phase must be prefill, decode or both, got 'middle'}}
// expected-error @+1 {{failed to parse TFPerf_ConfigAttr parameter 'transformer'}}
module attributes {tfperf.config = #tfperf.config<transformer = <phase = "middle">>} {
}

// -----

// expected-error @+2 {{#tfperf.phases: batch, seq and kv_len must be in [0, 2147483647], got -1}}
// expected-error @+1 {{failed to parse TFPerf_ConfigAttr parameter 'transformer'}}
module attributes {tfperf.config = #tfperf.config<transformer = <batch = -1>>} {
}

// -----

// expected-error @+2 {{#tfperf.phases: devices must be in [1, 1000000], got 0}}
// expected-error @+1 {{failed to parse TFPerf_ConfigAttr parameter 'transformer'}}
module attributes {tfperf.config = #tfperf.config<transformer = <devices = 0>>} {
}

// -----

// expected-error @+2 {{#tfperf.tensor_parallel: degrees must be increasing, got 2 after 4}}
// expected-error @+1 {{failed to parse TFPerf_ConfigAttr parameter 'tensor_parallel'}}
module attributes {tfperf.config = #tfperf.config<transformer = <>, tensor_parallel = <degrees = [4, 2]>>} {
}

// -----

// expected-error @+2 {{#tfperf.tensor_parallel: degrees must be at least 1, got 0}}
// expected-error @+1 {{failed to parse TFPerf_ConfigAttr parameter 'tensor_parallel'}}
module attributes {tfperf.config = #tfperf.config<transformer = <>, tensor_parallel = <degrees = [0]>>} {
}

// -----

// expected-error @+2 {{#tfperf.tensor_parallel: no degrees}}
// expected-error @+1 {{failed to parse TFPerf_ConfigAttr parameter 'tensor_parallel'}}
module attributes {tfperf.config = #tfperf.config<transformer = <>, tensor_parallel = <degrees = []>>} {
}

// -----

// expected-error @+2 {{#tfperf.tensor_parallel: microbatches must be >= 0, got -1}}
// expected-error @+1 {{failed to parse TFPerf_ConfigAttr parameter 'tensor_parallel'}}
module attributes {tfperf.config = #tfperf.config<transformer = <>, tensor_parallel = <degrees = [1], microbatches = -1>>} {
}

// -----

// The degrees are costed on the transformer's phases.
// expected-error @+1 {{#tfperf.config: tensor_parallel needs transformer}}
module attributes {tfperf.config = #tfperf.config<tensor_parallel = <degrees = [2]>>} {
}

// -----

// expected-error @+2 {{#tfperf.training: optimizer_bytes_per_param must be positive, got 0}}
// expected-error @+1 {{failed to parse TFPerf_ConfigAttr parameter 'training'}}
module attributes {tfperf.config = #tfperf.config<training = <optimizer_bytes_per_param = 0.0>>} {
}

// -----

// expected-error @+2 {{#tfperf.training: optimizer_bytes_per_param must be at most 1024 bytes, got 1025}}
// expected-error @+1 {{failed to parse TFPerf_ConfigAttr parameter 'training'}}
module attributes {tfperf.config = #tfperf.config<training = <optimizer_bytes_per_param = 1025.0>>} {
}

// -----

// expected-error @+1 {{#tfperf.config: device names must be non-empty and without commas}}
module attributes {tfperf.config = #tfperf.config<hw = ["a100-sxm-40gb,h100-sxm"]>} {
}

// -----

// expected-error @+3 {{expected true or false}}
// expected-error @+2 {{failed to parse TFPerf_TrainingConfigAttr parameter 'input_requires_grad'}}
// expected-error @+1 {{failed to parse TFPerf_ConfigAttr parameter 'training'}}
module attributes {tfperf.config = #tfperf.config<training = <input_requires_grad = 1>>} {
}

// -----

// expected-error @+1 {{duplicate or unknown struct parameter name: devices}}
module attributes {tfperf.config = #tfperf.config<devices = 2>} {
}

// -----

// The parallel training options: names and ranges (how the pipeline options
// fit together is the pass's check: test/Tools/train-parallel.test).
// expected-error @+2 {{#tfperf.training: recompute must be none, selective or full, got 'some'}}
// expected-error @+1 {{failed to parse TFPerf_ConfigAttr parameter 'training'}}
module attributes {tfperf.config = #tfperf.config<training = <recompute = "some">>} {
}

// -----

// expected-error @+2 {{#tfperf.training: pp_schedule must be 1f1b or interleaved, got 'gpipe'}}
// expected-error @+1 {{failed to parse TFPerf_ConfigAttr parameter 'training'}}
module attributes {tfperf.config = #tfperf.config<training = <pp_schedule = "gpipe">>} {
}

// -----

// expected-error @+2 {{#tfperf.training: pp must be in [1, 4096], got 0}}
// expected-error @+1 {{failed to parse TFPerf_ConfigAttr parameter 'training'}}
module attributes {tfperf.config = #tfperf.config<training = <pp = 0>>} {
}

// -----

// expected-error @+2 {{#tfperf.training: pp_virtual_stages must be in [1, 1024], got 1025}}
// expected-error @+1 {{failed to parse TFPerf_ConfigAttr parameter 'training'}}
module attributes {tfperf.config = #tfperf.config<training = <pp_virtual_stages = 1025>>} {
}

// -----

// expected-error @+2 {{#tfperf.training: microbatches must be in [1, 1048576], got 0}}
// expected-error @+1 {{failed to parse TFPerf_ConfigAttr parameter 'training'}}
module attributes {tfperf.config = #tfperf.config<training = <microbatches = 0>>} {
}

// -----

// expected-error @+2 {{#tfperf.training: dp must be in [1, 1048576], got 1048577}}
// expected-error @+1 {{failed to parse TFPerf_ConfigAttr parameter 'training'}}
module attributes {tfperf.config = #tfperf.config<training = <dp = 1048577>>} {
}

// -----

// expected-error @+3 {{expected true or false}}
// expected-error @+2 {{failed to parse TFPerf_TrainingConfigAttr parameter 'sequence_parallel'}}
// expected-error @+1 {{failed to parse TFPerf_ConfigAttr parameter 'training'}}
module attributes {tfperf.config = #tfperf.config<training = <sequence_parallel = 1>>} {
}
