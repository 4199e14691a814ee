// tfperf-symbolic fails, naming the problem, on sweep-out files it cannot
// tell the format of, sweep-out without a sweep, a malformed sweep, and a
// sweep the graph cannot honour; nothing is written then.
// RUN: tfperf-opt %s --split-input-file --tfperf-symbolic="sweep=seq=1,2" --verify-diagnostics -o /dev/null
// RUN: not tfperf-opt %s --tfperf-symbolic="sweep-out=%t.txt" 2>&1 | FileCheck %s --check-prefix=EXT
// RUN: not tfperf-opt %s --tfperf-symbolic="sweep-out=%t.csv" 2>&1 | FileCheck %s --check-prefix=NOSWEEP
// RUN: rm -f %t.csv && not tfperf-opt %s --tfperf-symbolic="sweep=batch=1..x sweep-out=%t.csv" 2>&1 | FileCheck %s --check-prefix=SYNTAX
// RUN: not test -e %t.csv
// RUN: not tfperf-opt %s --tfperf-symbolic="sweep=hw=no-such-gpu" 2>&1 | FileCheck %s --check-prefix=DEVICE
// EXT: error: sweep-out={{.*}}.txt: the format comes from the extension (.csv or .json)
// NOSWEEP: error: sweep-out needs a sweep
// SYNTAX: error: --sweep: axis 'batch': '1..x' is not a range
// DEVICE: error: --sweep: axis 'hw': unknown device 'no-such-gpu'

// expected-error @+1 {{--sweep: unknown axis 'seq'}}
module {
  func.func @f(%x: tensor<?x16xf32, #tfperf.dims<["batch"]>>) -> tensor<?x16xf32, #tfperf.dims<["batch"]>> {
    %y = tfperf.relu %x : (tensor<?x16xf32, #tfperf.dims<["batch"]>>) -> tensor<?x16xf32, #tfperf.dims<["batch"]>>
    return %y : tensor<?x16xf32, #tfperf.dims<["batch"]>>
  }
}

// -----

// The dtypes the configuration records are checked when the sweep reads
// them.
// expected-error @+1 {{--compute-dtype must be one of fp32, tf32, bf16, fp16, fp8; got 'fp7'}}
module attributes {tfperf.config = #tfperf.config<compute_dtype = "fp7">} {
  func.func @f(%x: tensor<?x16xf32, #tfperf.dims<["batch"]>>) -> tensor<?x16xf32, #tfperf.dims<["batch"]>> {
    return %x : tensor<?x16xf32, #tfperf.dims<["batch"]>>
  }
}
