// A `tfperf.tp_split` annotation that does not name a splittable dim is an
// error of tfperf-suggest-tp (the report's plan ignores it).
// RUN: tfperf-opt %s --split-input-file --verify-diagnostics --tfperf-suggest-tp="tp=2"

// expected-error @+1 {{'tfperf.tp_split' of argument 0 dim 2 is out of range for rank 2}}
func.func @out_of_range(%x: tensor<8x64xf32> {tfperf.tp_split = 2 : i64}) {
  return
}

// -----

// expected-error @+1 {{'tfperf.tp_split' of argument 1 must be an integer: the dim to split}}
func.func @not_an_integer(%x: tensor<8x64xf32>, %y: tensor<8x64xf32> {tfperf.tp_split = "columns"}) {
  return
}

// -----

// expected-error @+1 {{'tfperf.tp_split' of argument 0 dim 0 needs a static extent of at least 2}}
func.func @dynamic(%x: tensor<?x64xf32> {tfperf.tp_split = 0 : i64}) {
  return
}

// -----

// expected-error @+1 {{'tfperf.tp_split' of argument 0 needs a ranked tensor argument}}
func.func @scalar(%x: f32 {tfperf.tp_split = 0 : i64}) {
  return
}
