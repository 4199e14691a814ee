// `#tfperf.config` prints and parses back unchanged; parameters at their
// defaults are omitted (an empty part is `<>`).
// RUN: tfperf-opt %s --split-input-file --verify-roundtrip | FileCheck %s

// CHECK: module attributes {tfperf.config = #tfperf.config<hw = ["a100-sxm-40gb", "h100-sxm"], hw_file = "my-hw.json", compute_dtype = "bf16", weight_dtype = "int4", transformer = <phase = "decode", batch = 8, seq = 128, kv_len = 4096, devices = 2>, symbolic = <sweep = "batch=1,8;seq=128..4096*2">, tensor_parallel = <degrees = [1, 2, 4, 8], microbatches = 4>, training = <input_requires_grad = true, optimizer_bytes_per_param = 1.200000e+01>>}
module attributes {tfperf.config = #tfperf.config<
    hw = ["a100-sxm-40gb", "h100-sxm"], hw_file = "my-hw.json",
    compute_dtype = "bf16", weight_dtype = "int4",
    transformer = <phase = "decode", batch = 8, seq = 128, kv_len = 4096, devices = 2>,
    symbolic = <sweep = "batch=1,8;seq=128..4096*2">,
    tensor_parallel = <degrees = [1, 2, 4, 8], microbatches = 4>,
    training = <input_requires_grad = true, optimizer_bytes_per_param = 12.0>>} {
}

// -----

// Defaults are omitted, parameters may come in any order.
// CHECK: module attributes {tfperf.config = #tfperf.config<transformer = <>, symbolic = <>, tensor_parallel = <degrees = [2]>, training = <>>}
module attributes {tfperf.config = #tfperf.config<
    training = <optimizer_bytes_per_param = 16.0, input_requires_grad = false>,
    tensor_parallel = <microbatches = 0, degrees = [2]>,
    symbolic = <sweep = "">, hw = [], compute_dtype = "",
    transformer = <phase = "both", devices = 1>>} {
}

// -----

// CHECK: module attributes {tfperf.config = #tfperf.config<>}
module attributes {tfperf.config = #tfperf.config<>} {
}

// -----

// The parallel training step's options (docs/Training.md#parallel-training)
// print after the training part's first two; at their defaults they are
// omitted, and "" (no recomputation asked for) differs from "none".
// CHECK: module attributes {tfperf.config = #tfperf.config<training = <recompute = "selective", sequence_parallel = true, pp = 4, pp_schedule = "interleaved", pp_virtual_stages = 2, microbatches = 8, dp = 2>>}
module attributes {tfperf.config = #tfperf.config<training = <
    dp = 2, microbatches = 8, pp_virtual_stages = 2, pp_schedule = "interleaved",
    pp = 4, sequence_parallel = true, recompute = "selective",
    optimizer_bytes_per_param = 16.0>>} {
}

// -----

// CHECK: module attributes {tfperf.config = #tfperf.config<training = <recompute = "none">>}
module attributes {tfperf.config = #tfperf.config<training = <
    recompute = "none", sequence_parallel = false, pp = 1,
    pp_schedule = "1f1b", pp_virtual_stages = 1, microbatches = 1, dp = 1>>} {
}
