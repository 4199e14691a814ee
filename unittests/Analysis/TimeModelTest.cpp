//===- TimeModelTest.cpp - the calibrated time model ----------------------===//
//
// The C++ time model against its Python reference: the golden values are
// bench/calibrate.py's gemm_time / mem_time / collective_time evaluated at
// full precision from data/hardware.json (the kernels --predict prints and
// test/Bench/time-model.test pins to 3 decimals). Regenerate them when the
// parameters are refitted (calibrate.py --write).
//
//===----------------------------------------------------------------------===//

#include "tfperf/Analysis/Hardware.h"
#include "tfperf/Analysis/TimeModel.h"

#include "llvm/ADT/Twine.h"
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

struct GoldenKernel {
  const char *device, *cls;
  // gemm: M, N, K; memory classes: rows, row (0 for grid-stride), bytes.
  int64_t a, b, c;
  double seconds, roofline;
};

// bench/calibrate.py PREDICT_KERNELS (fp16), plus mi300x and b200.
const GoldenKernel kGoldenKernels[] = {
    {"a100-sxm-80gb", "gemm", 1, 12288, 4096, 7.1245965116269034e-05, 4.9385024031387932e-05},
    {"a100-sxm-80gb", "gemm", 128, 12288, 4096, 7.4008885249613048e-05, 5.1425993133889162e-05},
    {"a100-sxm-80gb", "gemm", 2048, 12288, 4096, 0.00095322890575969107, 0.00066076419938461536},
    {"a100-sxm-80gb", "gemm", 4096, 4096, 11008, 0.0016242119650187398, 0.0011838691905641026},
    {"a100-sxm-80gb", "gemm", 8192, 64, 64, 5.7897765241523863e-06, 1.0325375183913684e-06},
    {"a100-sxm-80gb", "rmsnorm", 4096, 4096, 67108864, 9.251278636885893e-05, 3.2912635605689066e-05},
    {"a100-sxm-80gb", "rmsnorm", 1, 8192, 32768, 7.5815504e-06, 1.6070622854340364e-08},
    {"a100-sxm-80gb", "act_silu_mul", 2048, 11008, 135266304, 0.0001375656200513973, 6.6339531142717024e-05},
    {"a100-sxm-80gb", "add", 4096, 0, 100663296, 5.3784780685524648e-05, 4.9368953408533592e-05},
    {"a100-sxm-80gb", "rope", 2048, 8192, 67108864, 7.6095340961652977e-05, 3.2912635605689066e-05},
    {"a100-sxm-80gb", "gather", 2048, 0, 33554432, 0.00010895970191526288, 1.6456317802844533e-05},
    {"h100-sxm", "gemm", 1, 12288, 4096, 4.508311488718584e-05, 3.0058526567164179e-05},
    {"h100-sxm", "gemm", 128, 12288, 4096, 4.6764784783271945e-05, 3.1300776119402987e-05},
    {"h100-sxm", "gemm", 2048, 12288, 4096, 0.00028627845497878045, 0.00020845139555915066},
    {"h100-sxm", "gemm", 4096, 4096, 11008, 0.00050404121873446261, 0.00037347541704347827},
    {"h100-sxm", "gemm", 8192, 64, 64, 5.2427660694766319e-06, 6.2846089552238811e-07},
    {"h100-sxm", "rmsnorm", 4096, 4096, 67108864, 5.6358464180926381e-05, 2.003249671641791e-05},
    {"h100-sxm", "rmsnorm", 1, 8192, 32768, 7.5815504e-06, 9.7814925373134324e-09},
    {"h100-sxm", "act_silu_mul", 2048, 11008, 135266304, 8.4347386950686307e-05, 4.0378001194029852e-05},
    {"h100-sxm", "add", 4096, 0, 100663296, 3.284600499038351e-05, 3.0048745074626864e-05},
    {"h100-sxm", "rope", 2048, 8192, 67108864, 4.6977310513674744e-05, 2.003249671641791e-05},
    {"h100-sxm", "gather", 2048, 0, 33554432, 6.6989816777677914e-05, 1.0016248358208955e-05},
    {"tpu-v5e", "gemm", 1, 12288, 4096, 0.00017083306821986884, 0.0001229500170940171},
    {"tpu-v5e", "gemm", 128, 12288, 4096, 0.00017771169355794997, 0.00012803125763125763},
    {"tpu-v5e", "gemm", 2048, 12288, 4096, 0.0014291993197375079, 0.0010464894934416244},
    {"tpu-v5e", "gemm", 4096, 4096, 11008, 0.0025298906594073117, 0.0018749603424162437},
    {"tpu-v5e", "gemm", 8192, 64, 64, 7.8719344722182131e-06, 2.5706275946275946e-06},
    {"tpu-v5e", "rmsnorm", 4096, 4096, 67108864, 0.00023013174530659751, 8.1940004884004881e-05},
    {"tpu-v5e", "rmsnorm", 1, 8192, 32768, 7.5815504e-06, 4.0009768009768008e-08},
    {"tpu-v5e", "act_silu_mul", 2048, 11008, 135266304, 0.00034013719082393056, 0.00016516032234432235},
    {"tpu-v5e", "add", 4096, 0, 100663296, 0.00013348680075431595, 0.00012291000732600731},
    {"tpu-v5e", "rope", 2048, 8192, 67108864, 0.00018693113580074529, 8.1940004884004881e-05},
    {"tpu-v5e", "gather", 2048, 0, 33554432, 0.000268715204157779, 4.097000244200244e-05},
    {"mi300x", "gemm", 1, 12288, 4096, 3.0111855636240107e-05, 1.8999257358490566e-05},
    {"mi300x", "gemm", 128, 12288, 4096, 3.1174797929049247e-05, 1.9784452830188679e-05},
    {"mi300x", "gemm", 2048, 12288, 4096, 0.00024495016319898885, 0.00015773407054934965},
    {"mi300x", "gemm", 4096, 4096, 11008, 0.00041506417467260546, 0.00028260687640091812},
    {"mi300x", "gemm", 8192, 64, 64, 4.9297483646691917e-06, 3.9723471698113205e-07},
    {"mi300x", "rmsnorm", 4096, 4096, 67108864, 3.5669750001151577e-05, 1.2662049811320755e-05},
    {"mi300x", "rmsnorm", 1, 8192, 32768, 7.5815504e-06, 6.1826415094339623e-09},
    {"mi300x", "act_silu_mul", 2048, 11008, 135266304, 5.3894131374490404e-05, 2.5521944150943396e-05},
    {"mi300x", "add", 4096, 0, 100663296, 2.0864136173166935e-05, 1.8993074716981133e-05},
    {"mi300x", "rope", 2048, 8192, 67108864, 3.0314998154869886e-05, 1.2662049811320755e-05},
    {"mi300x", "gather", 2048, 0, 33554432, 4.297324268023038e-05, 6.3310249056603774e-06},
    {"b200", "gemm", 1, 12288, 4096, 2.1431404359009071e-05, 1.2587008e-05},
    {"b200", "gemm", 128, 12288, 4096, 2.2135603627995127e-05, 1.31072e-05},
    {"b200", "gemm", 2048, 12288, 4096, 0.00013543549582459505, 9.1625968981333327e-05},
    {"b200", "gemm", 4096, 4096, 11008, 0.00022810470503288065, 0.00016416319442488889},
    {"b200", "gemm", 8192, 64, 64, 4.7482582915933393e-06, 2.6316799999999999e-07},
    {"b200", "rmsnorm", 4096, 4096, 67108864, 2.3674274375762918e-05, 8.3886079999999998e-06},
    {"b200", "rmsnorm", 1, 8192, 32768, 7.5815504e-06, 4.0959999999999999e-09},
    {"b200", "act_silu_mul", 2048, 11008, 135266304, 3.6237099535599895e-05, 1.6908287999999999e-05},
    {"b200", "add", 4096, 0, 100663296, 1.3916956464723095e-05, 1.2582912000000001e-05},
    {"b200", "rope", 2048, 8192, 67108864, 2.0654061277601299e-05, 8.3886079999999998e-06},
    {"b200", "gather", 2048, 0, 33554432, 2.9048248275652628e-05, 4.1943039999999999e-06},
};

TEST(TimeModel, ReproducesThePythonReference) {
  for (const GoldenKernel &g : kGoldenKernels) {
    TimeModel model(device(g.device));
    KernelWork w;
    w.cls = *parseKernelClass(g.cls);
    if (w.cls == KernelClass::Gemm) {
      w.m = g.a;
      w.n = g.b;
      w.k = g.c;
      w.flops = 2.0 * g.a * g.b * g.c;
      w.bytes = 2.0 * (g.a * g.c + g.c * g.b + g.a * g.b);
    } else {
      w.row = g.b;
      w.bytes = static_cast<double>(g.c);
    }
    KernelTime t = model.price(w);
    SCOPED_TRACE(std::string(g.device) + " " + g.cls + " " +
                 std::to_string(g.a) + " " + std::to_string(g.b) + " " +
                 std::to_string(g.c));
    EXPECT_TRUE(closeRel(t.seconds, g.seconds));
    EXPECT_TRUE(closeRel(t.roofline, g.roofline));
    EXPECT_EQ(t.uncalibrated, llvm::StringRef(g.device) != "a100-sxm-80gb");
    EXPECT_FALSE(t.classFallback);
  }
}

struct GoldenCollective {
  const char *device, *tier, *kind;
  int64_t ranks, bytes;
  double seconds;
};

const GoldenCollective kGoldenCollectives[] = {
    {"a100-sxm-80gb", "infiniband", "all_reduce", 8, 33554432, 0.0028620162564054435},
    {"a100-sxm-80gb", "infiniband", "all_reduce", 4, 33554432, 0.0024621409054903804},
    {"a100-sxm-80gb", "infiniband", "all_reduce", 2, 16384, 9.7916040919755976e-05},
    {"a100-sxm-80gb", "infiniband", "send_recv", 2, 33554432, 0.0021889202189311011},
    {"a100-sxm-80gb", "infiniband", "all_gather", 8, 33554432, 0.0014788031282027218},
    {"a100-sxm-80gb", "nvlink_pair", "all_reduce", 2, 16384, 2.8703263797200951e-05},
    {"a100-sxm-80gb", "nvlink_pair", "send_recv", 2, 33554432, 5.4370480782669464e-05},
    {"a100-sxm-80gb", "nvswitch", "all_reduce", 8, 33554432, 0.00022918270956072352},
    {"a100-sxm-80gb", "nvswitch", "all_reduce", 4, 33554432, 0.00019922612248062015},
    {"a100-sxm-80gb", "nvswitch", "all_reduce", 2, 16384, 3.527831989664083e-05},
    {"a100-sxm-80gb", "nvswitch", "send_recv", 2, 33554432, 7.1864919411352487e-05},
    {"a100-sxm-80gb", "nvswitch", "all_gather", 8, 33554432, 0.00013184635478036174},
    {"a100-sxm-80gb", "pcie_ring", "all_reduce", 4, 33554432, 0.0011231787819804505},
    {"a100-sxm-80gb", "pcie_ring", "all_reduce", 2, 16384, 1.8234151296217594e-05},
    {"h100-sxm", "scale_up", "all_reduce", 8, 33554432, 0.00016596107304048236},
    {"h100-sxm", "scale_up", "all_reduce", 4, 33554432, 0.00014503614832041343},
    {"h100-sxm", "scale_up", "all_reduce", 2, 16384, 3.5260679931093888e-05},
    {"h100-sxm", "scale_up", "all_gather", 8, 33554432, 0.00010023553652024118},
    {"tpu-v5e", "scale_up", "all_reduce", 8, 33554432, 0.00032401516434108526},
    {"tpu-v5e", "scale_up", "all_reduce", 4, 33554432, 0.00028051108372093025},
    {"tpu-v5e", "scale_up", "all_reduce", 2, 16384, 3.5304779844961244e-05},
    {"tpu-v5e", "scale_up", "all_gather", 8, 33554432, 0.00017926258217054264},
};

TEST(TimeModel, CollectivesReproduceThePythonReference) {
  for (const GoldenCollective &g : kGoldenCollectives) {
    TimeModel model(device(g.device));
    CollectiveKind kind = llvm::StringRef(g.kind) == "all_reduce"
                              ? CollectiveKind::AllReduce
                          : llvm::StringRef(g.kind) == "all_gather"
                              ? CollectiveKind::AllGather
                              : CollectiveKind::SendRecv;
    auto t = model.collectiveTime(kind, g.ranks, g.bytes, g.tier);
    SCOPED_TRACE(std::string(g.device) + " " + g.tier + " " + g.kind);
    ASSERT_TRUE(t.has_value());
    EXPECT_TRUE(closeRel(*t, g.seconds));
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
              << d.name << " " << kernelClassName(c).str() << " " << tokens;
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
  // Same datasheet as h100-sxm, whose stored rule is the same carry-over:
  // memory-bound kernels price the same; the link scales β as stored.
  TimeModel h100(device("h100-sxm"));
  EXPECT_TRUE(closeRel(model.memTime(KernelClass::RMSNorm, 67108864, 1, 4096),
                       h100.memTime(KernelClass::RMSNorm, 67108864, 1, 4096)));
  EXPECT_TRUE(closeRel(
      *model.collectiveTime(CollectiveKind::AllReduce, 8, 33554432),
      *h100.collectiveTime(CollectiveKind::AllReduce, 8, 33554432)));
  // The A100's unit count is carried over (the database has none for it).
  EXPECT_EQ(model.getCalibration().units, 108);
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
