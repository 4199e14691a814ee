//===- TimeModelTest.cpp - the calibrated time model ----------------------===//
//
// The C++ time model against its Python reference: the golden values in
// Inputs/time-model-goldens.json are bench/calibrate.py's gemm_time /
// mem_time / collective_time evaluated at full precision from
// data/hardware.json (the kernels --predict prints and
// test/Bench/time-model.test pins to 3 decimals). Regenerate them with
// `calibrate.py --goldens` when the parameters are refitted.
//
//===----------------------------------------------------------------------===//

#include "tfperf/Analysis/Hardware.h"
#include "tfperf/Analysis/TimeModel.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ErrorHandling.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tfperf;

namespace {

constexpr double kRelTol = 1e-9;

::testing::AssertionResult closeRel(double got, double want) {
  if (std::fabs(got - want) <= kRelTol * std::fabs(want))
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "got " << got << ", want " << want << " (rel. error "
         << std::fabs(got - want) / std::fabs(want) << ")";
}

const DeviceSpec &device(llvm::StringRef name) {
  const DeviceSpec *d = HardwareDatabase::builtin().lookup(name);
  if (!d)
    llvm::report_fatal_error(llvm::Twine("no device ") + name);
  return *d;
}

/// The golden values, one JSON object per kernel or collective.
const llvm::json::Array &goldens(llvm::StringRef key) {
  static const llvm::json::Value file = [] {
    std::string path =
        TFPERF_SOURCE_DIR "/unittests/Analysis/Inputs/time-model-goldens.json";
    auto buffer = llvm::MemoryBuffer::getFile(path);
    if (!buffer)
      llvm::report_fatal_error(llvm::Twine("cannot read ") + path);
    auto parsed = llvm::json::parse((*buffer)->getBuffer());
    if (!parsed)
      llvm::report_fatal_error(llvm::Twine("bad JSON in ") + path + ": " +
                               llvm::toString(parsed.takeError()));
    return std::move(*parsed);
  }();
  const llvm::json::Array *array = file.getAsObject()->getArray(key);
  if (!array || array->empty())
    llvm::report_fatal_error(llvm::Twine("no golden ") + key);
  return *array;
}

int64_t integer(const llvm::json::Object &o, llvm::StringRef key) {
  return o.getInteger(key).value_or(-1);
}
double number(const llvm::json::Object &o, llvm::StringRef key) {
  return o.getNumber(key).value_or(-1);
}

TEST(TimeModel, ReproducesThePythonReference) {
  for (const llvm::json::Value &v : goldens("kernels")) {
    const llvm::json::Object &g = *v.getAsObject();
    llvm::StringRef dev = *g.getString("device"), cls = *g.getString("class");
    // gemm: M, N, K; memory classes: rows, row (0 for grid-stride), bytes.
    int64_t a = integer(g, "a"), b = integer(g, "b"), c = integer(g, "c");
    TimeModel model(device(dev));
    KernelWork w;
    w.cls = *symbolizeKernelClass(cls);
    if (w.cls == KernelClass::Gemm) {
      w.m = a;
      w.n = b;
      w.k = c;
      w.flops = 2.0 * a * b * c;
      w.bytes = 2.0 * (a * c + c * b + a * b);
    } else {
      w.row = b;
      w.bytes = static_cast<double>(c);
    }
    KernelTime t = model.price(w);
    SCOPED_TRACE((dev + " " + cls + " " + llvm::Twine(a) + " " +
                  llvm::Twine(b) + " " + llvm::Twine(c))
                     .str());
    EXPECT_TRUE(closeRel(t.seconds, number(g, "seconds")));
    EXPECT_TRUE(closeRel(t.roofline, number(g, "roofline")));
    EXPECT_EQ(t.uncalibrated, dev != "a100-sxm-80gb");
    EXPECT_FALSE(t.classFallback);
  }
}

TEST(TimeModel, CollectivesReproduceThePythonReference) {
  for (const llvm::json::Value &v : goldens("collectives")) {
    const llvm::json::Object &g = *v.getAsObject();
    llvm::StringRef dev = *g.getString("device"), tier = *g.getString("tier"),
                    kind = *g.getString("kind");
    TimeModel model(device(dev));
    CollectiveKind k = kind == "all_reduce"   ? CollectiveKind::AllReduce
                       : kind == "all_gather" ? CollectiveKind::AllGather
                                              : CollectiveKind::SendRecv;
    auto t = model.collectiveTime(k, integer(g, "ranks"), integer(g, "bytes"),
                                  tier);
    SCOPED_TRACE((dev + " " + tier + " " + kind).str());
    ASSERT_TRUE(t.has_value());
    EXPECT_TRUE(closeRel(*t, number(g, "seconds")));
  }
}

TEST(TimeModel, TiersKeepToTheirGroupSizes) {
  TimeModel a100(device("a100-sxm-80gb"));
  ASSERT_NE(a100.selectTier(8), nullptr);
  EXPECT_EQ(a100.selectTier(8)->name, "nvswitch");
  ASSERT_NE(a100.selectTier(16), nullptr);
  EXPECT_EQ(a100.selectTier(16)->name, "infiniband");
  EXPECT_EQ(a100.selectTier(32), nullptr);
  // nvlink_pair was measured on two GPUs only.
  EXPECT_FALSE(a100.collectiveTime(CollectiveKind::AllReduce, 8, 1e6,
                                   "nvlink_pair"));
  EXPECT_TRUE(a100.collectiveTime(CollectiveKind::AllReduce, 2, 1e6,
                                  "nvlink_pair"));
  // pcie_ring has no send/recv figures.
  EXPECT_FALSE(
      a100.collectiveTime(CollectiveKind::SendRecv, 2, 1e6, "pcie_ring"));
  TimeModel h100(device("h100-sxm"));
  ASSERT_NE(h100.selectTier(8), nullptr);
  EXPECT_EQ(h100.selectTier(8)->name, "scale_up");
  EXPECT_FALSE(h100.collectiveTime(CollectiveKind::AllReduce, 16, 1e6));
  // An NVL72 keeps all 72 GPUs on its NVLink domain, and no more.
  TimeModel gb200(device("gb200"));
  ASSERT_NE(gb200.selectTier(72), nullptr);
  EXPECT_EQ(gb200.selectTier(72)->name, "scale_up");
  EXPECT_EQ(gb200.selectTier(73), nullptr);
}

// Every class, on every device of the database, over shapes from one token
// to long prefills: the calibrated time never undercuts the roofline.
TEST(TimeModel, CalibratedIsNeverBelowTheRoofline) {
  const KernelClass memClasses[] = {
      KernelClass::Add,        KernelClass::RMSNorm, KernelClass::LayerNorm,
      KernelClass::Softmax,    KernelClass::ActSiluMul,
      KernelClass::ActGelu,    KernelClass::Rope,    KernelClass::Gather};
  for (const DeviceSpec &d : HardwareDatabase::builtin().getDevices()) {
    TimeModel model(d);
    for (int64_t tokens : {1, 7, 128, 1000, 4096, 32768}) {
      for (int64_t width : {64, 4096, 11008}) {
        KernelWork g;
        g.cls = KernelClass::Gemm;
        g.m = tokens;
        g.n = width;
        g.k = 4096;
        g.batch = tokens == 7 ? 3 : 1;
        g.flops = 2.0 * g.batch * g.m * g.n * g.k + 8.0 * g.m * g.n;
        g.bytes = 2.0 * g.batch * (g.m * g.k + g.k * g.n + g.m * g.n);
        KernelTime t = model.price(g);
        EXPECT_GE(t.seconds, t.roofline) << d.name << " gemm " << tokens;
        for (KernelClass c : memClasses) {
          KernelWork m;
          m.cls = c;
          m.flops = 8.0 * tokens * width;
          m.bytes = 2.0 * 3 * tokens * width;
          m.row = width;
          m.kernels = tokens == 7 ? 2 : 1;
          KernelTime mt = model.price(m);
          EXPECT_GE(mt.seconds, mt.roofline)
              << d.name << " " << stringifyKernelClass(c).str() << " " << tokens;
        }
      }
      for (bool decode : {false, true}) {
        KernelWork a;
        a.cls = KernelClass::Attention;
        a.decode = decode;
        a.headDim = 128;
        a.kvLen = tokens;
        int64_t sq = decode ? 1 : tokens, heads = 32, kvHeads = 8;
        a.flops = 4.0 * heads * sq * tokens * a.headDim;
        a.bytes = 2.0 * a.headDim * (2 * heads * sq + 2 * kvHeads * tokens);
        KernelTime t = model.price(a);
        EXPECT_GE(t.seconds, t.roofline)
            << d.name << " attention " << tokens << " decode " << decode;
      }
    }
  }
}

TEST(TimeModel, AttentionFollowsTheDocumentedForm) {
  const DeviceSpec &d = device("a100-sxm-80gb");
  TimeModel model(d);
  const DeviceCalibration &c = model.getCalibration();
  KernelWork a;
  a.cls = KernelClass::Attention;
  a.headDim = 64;
  a.kvLen = 2048;
  a.flops = 4.0 * 32 * 2048 * 2048 * 64 / 2; // causal
  a.bytes = 2.0 * 4 * 32 * 2048 * 64;
  double eff = 0.6 * (64.0 / 128) * (2048.0 / (2048 + 512));
  double want = c.gemmOverheadS +
                std::max(a.flops / (eff * 312e12),
                         a.bytes / (c.gemmMemEff * d.memBandwidth));
  EXPECT_TRUE(closeRel(model.price(a).seconds, want));
  a.decode = true;
  EXPECT_TRUE(closeRel(model.price(a).seconds,
                       c.gemmOverheadS +
                           a.bytes / (c.gemmMemEff * d.memBandwidth)));
}

// A decode GEMM (fewer rows than A100's smallest 64-row tile) runs as a
// GEMV: its real FLOPs at the GEMM efficiency, so in fp32 (GPT-2's c_fc at
// one token) it streams its weights instead of paying a padded 64-row tile
// per SM at the fp32 peak. At 64 rows the tiles price it again.
TEST(TimeModel, FewerRowsThanAnyTileIsAGemv) {
  const DeviceSpec &d = device("a100-sxm-80gb");
  TimeModel model(d);
  const DeviceCalibration &c = model.getCalibration();
  double fp32 = *d.gemmPeak("fp32");
  auto bytes = [](int64_t m) { return 4.0 * (m * 768 + 768 * 3072 + m * 3072); };
  double gemv = model.gemmTime(1, 3072, 768, 1, bytes(1), fp32);
  EXPECT_TRUE(closeRel(gemv, c.gemmOverheadS +
                                 bytes(1) / (c.gemmMemEff * d.memBandwidth)));
  double rows63 = model.gemmTime(63, 3072, 768, 1, bytes(63), fp32);
  EXPECT_TRUE(closeRel(
      rows63, c.gemmOverheadS +
                  std::max(2.0 * 63 * 3072 * 768 / (c.gemmEffMax * fp32),
                           bytes(63) / (c.gemmMemEff * d.memBandwidth))));
  // 48 tiles of 64 x 64 on 108 SMs: one wave, K + K0 steps each.
  double eff = c.gemmEffMax *
               std::pow(64.0 * 64 / (256.0 * 128), c.gemmTileExp);
  double tiled = c.gemmOverheadS + 2.0 * 64 * 64 * (768 + c.gemmK0) /
                                       (eff * fp32 / c.units);
  EXPECT_TRUE(closeRel(model.gemmTime(64, 3072, 768, 1, bytes(64), fp32),
                       tiled));
  EXPECT_GT(tiled, rows63);
}

TEST(TimeModel, MissingClassIsPricedAsAdd) {
  TimeModel model(device("a100-sxm-80gb"));
  bool fallback = false;
  double softmax = model.memTime(KernelClass::Softmax, 1e6, 1, 0, &fallback);
  EXPECT_TRUE(fallback);
  EXPECT_EQ(softmax, model.memTime(KernelClass::Add, 1e6, 1, 0));
}

const char *kUserDevice = R"({"devices": [{"name": "my-gpu",
  "tensor": {"fp16": 989e12}, "vector_fp32": 67e12, "mem_bw": 3.35e12,
  "mem_capacity": 80e9, "link": {"bw": 450e9, "latency_s": 5e-6}}]})";

TEST(TimeModel, DevicesWithoutCalibrationUseTheUncalibratedRule) {
  std::string error;
  auto db = HardwareDatabase::parse(kUserDevice, error);
  ASSERT_TRUE(db) << error;
  const DeviceSpec *mine = db->lookup("my-gpu");
  ASSERT_FALSE(mine->calibration.has_value());
  TimeModel model(*mine);
  EXPECT_FALSE(model.isCalibrated());
  EXPECT_FALSE(model.getCalibration().rule.empty());
  // Without its SM count and FP32 lanes the memory classes keep the A100's
  // efficiencies and unit count; the link scales β as stored for h100-sxm
  // (same link).
  TimeModel a100(device("a100-sxm-80gb")), h100(device("h100-sxm"));
  const MemClassParams &rms = model.getCalibration().mem.at("rmsnorm");
  EXPECT_EQ(rms.eff, a100.getCalibration().mem.at("rmsnorm").eff);
  EXPECT_EQ(rms.rowS, a100.getCalibration().mem.at("rmsnorm").rowS);
  EXPECT_EQ(model.getCalibration().units, 108);
  EXPECT_TRUE(closeRel(
      *model.collectiveTime(CollectiveKind::AllReduce, 8, 33554432),
      *h100.collectiveTime(CollectiveKind::AllReduce, 8, 33554432)));
}

TEST(TimeModel, UncalibratedRuleScalesMemoryClassesBySMThroughput) {
  // h100-sxm's datasheet with its SMs and lanes: the runtime rule gives
  // what bench/calibrate.py's `derive` wrote for the built-in h100-sxm.
  std::string error;
  auto db = HardwareDatabase::parse(
      R"({"devices": [{"name": "my-h100", "tensor": {"fp16": 989e12},
        "vector_fp32": 67e12, "sm_count": 132, "fp32_lanes_per_sm": 128,
        "mem_bw": 3350e9, "mem_capacity": 80e9}]})",
      error);
  ASSERT_TRUE(db) << error;
  TimeModel model(*db->lookup("my-h100")), h100(device("h100-sxm"));
  EXPECT_EQ(model.getCalibration().units, 132);
  for (auto [cls, rows, row] :
       {std::tuple(KernelClass::RMSNorm, 4096, 4096),
        std::tuple(KernelClass::RMSNorm, 1, 8192),
        std::tuple(KernelClass::ActSiluMul, 2048, 11008),
        std::tuple(KernelClass::Gather, 2048, 0),
        std::tuple(KernelClass::Add, 4096, 0)}) {
    double bytes = 2.0 * 3 * rows * std::max(row, 4096);
    // Stored parameters are rounded to 4 digits.
    EXPECT_NEAR(model.memTime(cls, bytes, 1, row) /
                    h100.memTime(cls, bytes, 1, row),
                1.0, 1e-3)
        << stringifyKernelClass(cls).str();
  }
  // The norm the A100's SMs hold to 39% of its HBM runs 1.72x faster (the
  // SM throughput) on H100, not 3350 / 2039 = 1.64x (its bandwidth).
  TimeModel a100(device("a100-sxm-80gb"));
  double big = 2.0 * 2 * 4096 * 4096;
  EXPECT_NEAR(a100.memTime(KernelClass::RMSNorm, big, 1, 4096) /
                  model.memTime(KernelClass::RMSNorm, big, 1, 4096),
              1.72, 0.02);
}

std::string withCalibration(llvm::StringRef calibration) {
  return R"({"devices": [{"name": "my-gpu", "tensor": {"fp16": 989e12},
    "vector_fp32": 67e12, "mem_bw": 3.35e12, "mem_capacity": 80e9,
    "calibration": )" +
         calibration.str() + "}]}";
}

const char *kGoodCalibration = R"({"calibrated": true, "units": 132,
  "tiles": [[128, 128]], "params": {"mem_ceiling_frac": 0.9,
  "mem": {"add": {"floor_s": 2e-6, "overhead_s": 1e-7, "eff": 1}},
  "gemm_eff_max": 0.8, "gemm_k0": 64, "gemm_tile_exp": 0.05,
  "gemm_mem_eff": 0.75, "gemm_overhead_s": 4e-6}})";

TEST(HardwareCalibration, ParsesAUserCalibration) {
  std::string error;
  auto db = HardwareDatabase::parse(withCalibration(kGoodCalibration), error);
  ASSERT_TRUE(db) << error;
  const DeviceCalibration &c = *db->lookup("my-gpu")->calibration;
  EXPECT_TRUE(c.calibrated);
  EXPECT_EQ(c.units, 132);
  EXPECT_EQ(c.tiles.size(), 1u);
  EXPECT_EQ(c.gemmK0, 64);
  EXPECT_TRUE(c.collectives.empty());
}

TEST(HardwareCalibration, MalformedValuesNameDeviceAndField) {
  struct Case {
    std::string from, to, message;
  } cases[] = {
      {"\"units\": 132", "\"units\": -1",
       "device 'my-gpu' calibration: 'units' must be a positive number"},
      {"\"units\": 132", "\"units\": 13.5",
       "device 'my-gpu' calibration: 'units' must be an integer"},
      {"[[128, 128]]", "[[128]]",
       "device 'my-gpu' calibration: each of 'tiles' must be [rows, cols]"},
      {"\"gemm_eff_max\": 0.8", "\"gemm_eff_max\": 1.5",
       "device 'my-gpu' calibration params: 'gemm_eff_max' must be in (0, 1]"},
      {"\"gemm_k0\": 64,", "",
       "device 'my-gpu' calibration params: missing number 'gemm_k0'"},
      {"\"eff\": 1}", "\"eff\": \"x\"}",
       "device 'my-gpu' calibration params mem.add: missing number 'eff'"},
      {"\"floor_s\": 2e-6", "\"floor_s\": -2e-6",
       "device 'my-gpu' calibration params mem.add: 'floor_s' must be in [0"},
      {"\"add\":", "\"rmsnorm\":",
       "device 'my-gpu' calibration params: missing 'mem' with at least the "
       "'add' class"},
  };
  for (const Case &c : cases) {
    std::string cal = kGoodCalibration;
    size_t at = cal.find(c.from);
    ASSERT_NE(at, std::string::npos) << c.from;
    cal.replace(at, c.from.size(), c.to);
    std::string error;
    EXPECT_FALSE(HardwareDatabase::parse(withCalibration(cal), error))
        << c.to;
    EXPECT_NE(error.find(c.message), std::string::npos)
        << "error: " << error << "\nexpected: " << c.message;
  }
  std::string error;
  EXPECT_FALSE(HardwareDatabase::parse(withCalibration("[1]"), error));
  EXPECT_EQ(error, "device 'my-gpu': 'calibration' must be an object");
  EXPECT_FALSE(HardwareDatabase::parse(
      withCalibration(R"({"calibrated": true, "units": 8, "tiles": [[64, 64]],
        "params": {"mem_ceiling_frac": 0.9, "mem": {"add": {"floor_s": 0,
        "overhead_s": 0, "eff": 1}}, "gemm_eff_max": 0.8, "gemm_k0": 0,
        "gemm_tile_exp": 0, "gemm_mem_eff": 0.7, "gemm_overhead_s": 0},
        "collectives": {"nvswitch": {"all_reduce": {"alpha_s": 1e-6,
        "beta_Bps": 0}}}})"),
      error));
  EXPECT_EQ(error, "device 'my-gpu' calibration collectives.nvswitch."
                   "all_reduce: 'beta_Bps' must be a positive number");
}

} // namespace
