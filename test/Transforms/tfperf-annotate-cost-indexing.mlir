// Per-op FLOPs and bytes of the indexing and routing ops, checked against
// hand-computed values (docs/CostModel.md): gathers read only what they
// gather, scatters move only the updates, selections compare once per
// element. f32 = 4 bytes, i64 = 8, i1 = 1.
// RUN: tfperf-opt %s --tfperf-annotate-cost | FileCheck %s

// CHECK-LABEL: func.func @routing
func.func @routing(%logits: tensor<16x8xf32>, %k: tensor<1xi64>,
                   %mask: tensor<16x8xi1>, %idx: tensor<16x2xi64>,
                   %x: tensor<16x64xf32>, %pos: tensor<4x1xi64>,
                   %upd: tensor<4x64xf32>, %axis: tensor<i64>,
                   %vals: tensor<2xf32>, %sq: tensor<64x64xf32>) {
  // 128 compares; reads 128 f32 + k, writes 32 f32 values + 32 i64 indices.
  // CHECK: tfperf.top_k {{.*}}tfperf.bytes = 904 : i64, tfperf.flops = 128 : i64
  %w, %i = tfperf.top_k %logits, %k : (tensor<16x8xf32>, tensor<1xi64>) -> (tensor<16x2xf32>, tensor<16x2xi64>)
  // 128 compares; reads the i1 mask, writes 2 x 5 indices.
  // CHECK: tfperf.non_zero {{.*}}tfperf.bytes = 208 : i64, tfperf.flops = 128 : i64
  %nz = tfperf.non_zero %mask : (tensor<16x8xi1>) -> tensor<2x5xi64>
  // Reads the 32 indices and the 32 gathered elements, writes 32.
  // CHECK: tfperf.gather_elements {{.*}}tfperf.bytes = 512 : i64, tfperf.flops = 0 : i64
  %ge = tfperf.gather_elements %logits, %idx {axis = 1 : i64} : (tensor<16x8xf32>, tensor<16x2xi64>) -> tensor<16x2xf32>
  // In place: 256 updates read and written, 4 indices; not the 1024-element data.
  // CHECK: tfperf.scatter_nd {{.*}}tfperf.bytes = 2080 : i64, tfperf.flops = 0 : i64
  %sn = tfperf.scatter_nd %x, %pos, %upd : (tensor<16x64xf32>, tensor<4x1xi64>, tensor<4x64xf32>) -> tensor<16x64xf32>
  // With an add reduction: one add per update.
  // CHECK: tfperf.scatter_nd {{.*}}tfperf.flops = 256 : i64
  %sa = tfperf.scatter_nd %x, %pos, %upd {reduction = "add"} : (tensor<16x64xf32>, tensor<4x1xi64>, tensor<4x64xf32>) -> tensor<16x64xf32>
  // CHECK: tfperf.cum_sum {{.*}}tfperf.bytes = 1032 : i64, tfperf.flops = 128 : i64
  %cs = tfperf.cum_sum %logits, %axis : (tensor<16x8xf32>, tensor<i64>) -> tensor<16x8xf32>
  // A compare per output element (256); reads 32 indices, depth, values.
  // CHECK: tfperf.one_hot {{.*}}tfperf.bytes = 1296 : i64, tfperf.flops = 256 : i64
  %oh = tfperf.one_hot %idx, %axis, %vals : (tensor<16x2xi64>, tensor<i64>, tensor<2xf32>) -> tensor<16x2x8xf32>
  // CHECK: tfperf.trilu {{.*}}tfperf.bytes = 32768 : i64, tfperf.flops = 4096 : i64
  %tr = tfperf.trilu %sq {upper = 0 : i64} : (tensor<64x64xf32>) -> tensor<64x64xf32>
  return
}
