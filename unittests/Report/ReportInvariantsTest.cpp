//===- ReportInvariantsTest.cpp - the checks every report passes ----------===//
//
// Reports built by hand with one bad figure each: the checker must name the
// op or section and the figure. (Reports of real graphs pass it: every lit
// test and the corpus baseline run through it.)
//
//===----------------------------------------------------------------------===//

#include "tfperf/Report/ReportInvariants.h"
#include "tfperf/Report/Report.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tfperf;

namespace {

/// A report of one op on one device, consistent throughout.
struct OneOpReport {
  OneOpReport() {
    record.name = "MatMul_7";
    record.opType = "MatMul";
    record.known = true;
    figures.flops = 1024;
    figures.gemmFlops = 1024;
    figures.bytes = 512;
    figures.computeTime = 1e-9;
    figures.memoryTime = 2e-9;
    figures.time = 2e-9;
    figures.bound = Bound::Memory;
    ReportDevice dev;
    dev.spec.name = "h100-sxm";
    report.devices.push_back(dev);
  }
  /// Totals from the op, as buildReport sums them.
  Report &build() {
    ReportDevice &dev = report.devices.front();
    dev.totals.add(figures);
    dev.byOpType[record.opType].add(figures);
    ReportOpRow row;
    row.record = &record;
    row.figures = ArrayRef<OpFigures>(figures);
    report.ops.push_back(row);
    return report;
  }
  OpCostRecord record;
  OpFigures figures;
  Report report;
};

std::string violationOf(const Report &r) {
  std::string violation;
  if (succeeded(checkReportInvariants(r, violation)))
    return "";
  return violation;
}

/// `r` fails the checks with a message containing `expected`.
void expectViolation(const Report &r, llvm::StringRef expected) {
  std::string v = violationOf(r);
  EXPECT_NE(v.find(expected.str()), std::string::npos) << v;
}

TEST(ReportInvariants, NegativeOpFigureNamesOpAndFigure) {
  OneOpReport o;
  o.figures.bytes = -8153520;
  expectViolation(o.build(),
                  "internal error: op 'MatMul_7' on h100-sxm: figure "
                  "'bytes' is -8153520");
}

TEST(ReportInvariants, NaNAndInfiniteTimesOfAKnownOp) {
  for (double bad : {double(NAN), double(INFINITY)}) {
    OneOpReport o;
    o.figures.time = bad;
    expectViolation(o.build(), "figure 'time_s'");
  }
}

TEST(ReportInvariants, GemmFlopsAboveFlops) {
  OneOpReport o;
  o.figures.gemmFlops = 2048;
  expectViolation(o.build(),
                  "figure 'gemm_flops' is 2048, more than its total 1024");
}

TEST(ReportInvariants, OpTypeRowsMustSumToTheTotals) {
  OneOpReport o;
  Report &r = o.build();
  r.devices.front().byOpType["Add"].flops = 10;
  expectViolation(r, "totals on h100-sxm (by op type): figure 'flops' is 1024 "
                     "but its parts sum to 1034");
}

TEST(ReportInvariants, PhaseBlocksMustSumToThePhase) {
  OneOpReport o;
  Report &r = o.build();
  TransformerFigures fig;
  PhaseResult decode;
  decode.name = "decode";
  decode.totals.flops = 100;
  decode.byBlock[0].flops = 60;
  decode.byBlock[1].flops = 30;
  fig.decode = decode;
  TransformerSection t;
  t.perDevice = ArrayRef<TransformerFigures>(fig);
  r.transformer = t;
  expectViolation(r, "decode on h100-sxm (by block): figure 'flops' is 100 but "
                     "its parts sum to 90");

  // An op at the decode step's sizes with a negative figure is named.
  fig.decode->invalidOp = "op 'Slice_9': figure 'bytes' is -8";
  expectViolation(r, "internal error: decode on h100-sxm: op 'Slice_9': "
                     "figure 'bytes' is -8");
  fig.decode->invalidOp.clear();

  // A negative block (the derived decode's attention scores) is named first.
  fig.decode->byBlock[2].bytes = -8;
  expectViolation(r,
                  "decode on h100-sxm block attention_scores: figure 'bytes' "
                  "is -8");
}

TEST(ReportInvariants, PerDeviceTimesDegree) {
  OneOpReport o;
  Report &r = o.build();
  TensorParallelFigures fig;
  fig.device = "h100-sxm";
  TPDegree d;
  d.tp = 4;
  TPPhaseFigures p;
  p.flops = 300;
  p.unshardedFlops = 1000;
  p.duplicatedFlops = 100;
  d.prefill = p;
  fig.degrees.push_back(d);
  TensorParallelSection tp;
  tp.perDevice = ArrayRef<TensorParallelFigures>(fig);
  r.tensorParallel = tp;
  expectViolation(r,
                  "tensor parallel tp=4 on h100-sxm prefill (flops_per_device "
                  "x tp): figure 'flops' is 1100 but its parts sum to 1200");
}

} // namespace
