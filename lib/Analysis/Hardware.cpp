//===- Hardware.cpp - the device database ---------------------------------===//

#include "tfperf/Analysis/Hardware.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::tfperf;

#include "tfperf/Analysis/HardwareData.inc"

std::optional<double> DeviceSpec::gemmPeak(llvm::StringRef dtype) const {
  auto it = tensorPeak.find(dtype);
  if (it == tensorPeak.end())
    return std::nullopt;
  return it->second;
}

namespace {
/// Rates (FLOP/s, B/s) and capacities (B) between 1 and 10^24, latencies at
/// most an hour: beyond that no device exists, and times computed from such
/// figures leave the range of a double (10^-300 FLOP/s makes every op take
/// infinitely long).
bool isPlausible(llvm::StringRef key, double v, const std::string &where,
                 std::string &error) {
  bool latency = key == "latency_s";
  double lo = latency ? 0 : 1, hi = latency ? 3600 : 1e24;
  if (v >= lo && v <= hi)
    return true;
  char shown[32];
  snprintf(shown, sizeof(shown), "%g", v);
  error = where + ": '" + key.str() + "' is " + shown +
          (latency ? ", more than an hour"
                   : ", outside what any device has (1 to 1e24)");
  return false;
}

/// Reads a positive number; sets `error` naming the field otherwise.
bool readPositive(const llvm::json::Object &o, llvm::StringRef key,
                  const std::string &where, double &out, std::string &error,
                  bool allowZero = false) {
  auto v = o.getNumber(key);
  if (!v) {
    error = where + ": missing number '" + key.str() + "'";
    return false;
  }
  if (!(*v > 0 || (allowZero && *v == 0)) || !std::isfinite(*v)) {
    error = where + ": '" + key.str() + "' must be a positive number";
    return false;
  }
  if (!isPlausible(key, *v, where, error))
    return false;
  out = *v;
  return true;
}

/// Reads a number in [lo, hi] (lo excluded when `openLow`; integral bounds
/// only, as printed in the error).
bool readInRange(const llvm::json::Object &o, llvm::StringRef key,
                 const std::string &where, double lo, double hi, bool openLow,
                 double &out, std::string &error) {
  auto v = o.getNumber(key);
  if (!v) {
    error = where + ": missing number '" + key.str() + "'";
    return false;
  }
  bool ok = std::isfinite(*v) && (openLow ? *v > lo : *v >= lo) && *v <= hi;
  if (!ok) {
    error = where + ": '" + key.str() + "' must be in " + (openLow ? "(" : "[") +
            std::to_string(static_cast<long long>(lo)) + ", " +
            (std::isinf(hi) ? std::string("inf)")
                            : std::to_string(static_cast<long long>(hi)) + "]");
    return false;
  }
  out = *v;
  return true;
}

constexpr double kInf = std::numeric_limits<double>::infinity();

bool readFraction(const llvm::json::Object &o, llvm::StringRef key,
                  const std::string &where, double &out, std::string &error) {
  return readInRange(o, key, where, 0, 1, /*openLow=*/true, out, error);
}
bool readNonNegative(const llvm::json::Object &o, llvm::StringRef key,
                     const std::string &where, double &out,
                     std::string &error) {
  return readInRange(o, key, where, 0, kInf, /*openLow=*/false, out, error);
}

/// `v` (read as `key`) is a whole number.
bool checkInteger(double v, llvm::StringRef key, const std::string &where,
                  std::string &error) {
  if (v == std::floor(v))
    return true;
  error = where + ": '" + key.str() + "' must be an integer";
  return false;
}

bool readCollective(const llvm::json::Object &o, const std::string &where,
                    bool withAlpha0, CollectiveParams &out,
                    std::string &error) {
  if (withAlpha0 && o.get("alpha0_s") &&
      !readNonNegative(o, "alpha0_s", where, out.alpha0S, error))
    return false;
  return readNonNegative(o, "alpha_s", where, out.alphaS, error) &&
         readPositive(o, "beta_Bps", where, out.betaBps, error);
}

/// Parses a device's "calibration" object (docs/TimeModel.md, "Parameters
/// and provenance"); efficiencies must lie in (0, 1] so that every
/// calibrated time stays above the roofline.
bool parseCalibration(const llvm::json::Object &c, const std::string &device,
                      DeviceCalibration &cal, std::string &error) {
  std::string where = device + " calibration";
  cal.calibrated = c.getBoolean("calibrated").value_or(false);
  if (c.getBoolean("uncalibrated").value_or(false))
    cal.calibrated = false;
  if (auto rule = c.getString("rule"))
    cal.rule = rule->str();
  double units = 0;
  if (!readPositive(c, "units", where, units, error) ||
      !checkInteger(units, "units", where, error))
    return false;
  cal.units = static_cast<int64_t>(units);
  const llvm::json::Array *tiles = c.getArray("tiles");
  if (!tiles || tiles->empty()) {
    error = where + ": missing 'tiles' (e.g. [[128, 128]])";
    return false;
  }
  for (const llvm::json::Value &t : *tiles) {
    const llvm::json::Array *pair = t.getAsArray();
    std::optional<int64_t> tm, tn;
    if (pair && pair->size() == 2) {
      tm = (*pair)[0].getAsInteger();
      tn = (*pair)[1].getAsInteger();
    }
    if (!tm || !tn || *tm <= 0 || *tn <= 0) {
      error = where + ": each of 'tiles' must be [rows, cols] of positive "
                      "integers";
      return false;
    }
    cal.tiles.emplace_back(*tm, *tn);
  }
  const llvm::json::Object *p = c.getObject("params");
  if (!p) {
    error = where + ": missing object 'params'";
    return false;
  }
  std::string pw = where + " params";
  if (!readFraction(*p, "mem_ceiling_frac", pw, cal.memCeilingFrac, error) ||
      !readFraction(*p, "gemm_eff_max", pw, cal.gemmEffMax, error) ||
      !readNonNegative(*p, "gemm_k0", pw, cal.gemmK0, error) ||
      !readNonNegative(*p, "gemm_tile_exp", pw, cal.gemmTileExp, error) ||
      !readFraction(*p, "gemm_mem_eff", pw, cal.gemmMemEff, error) ||
      !readNonNegative(*p, "gemm_overhead_s", pw, cal.gemmOverheadS, error))
    return false;
  const llvm::json::Object *mem = p->getObject("mem");
  if (!mem || !mem->getObject("add")) {
    error = pw + ": missing 'mem' with at least the 'add' class";
    return false;
  }
  for (auto &[name, v] : *mem) {
    std::string cw = pw + " mem." + name.str();
    const llvm::json::Object *o = v.getAsObject();
    if (!o) {
      error = cw + ": not an object";
      return false;
    }
    MemClassParams m;
    if (!readNonNegative(*o, "floor_s", cw, m.floorS, error) ||
        !readNonNegative(*o, "overhead_s", cw, m.overheadS, error) ||
        !readFraction(*o, "eff", cw, m.eff, error))
      return false;
    if (o->get("row_s") && !readNonNegative(*o, "row_s", cw, m.rowS, error))
      return false;
    cal.mem[name.str()] = m;
  }
  if (const llvm::json::Object *a = c.getObject("attention")) {
    std::string aw = where + " attention";
    cal.attentionFitted = a->getBoolean("fitted").value_or(false);
    if (!readFraction(*a, "eff_max", aw, cal.attentionEffMax, error) ||
        !readPositive(*a, "head_dim_ref", aw, cal.attentionHeadDimRef,
                      error) ||
        !readNonNegative(*a, "seq_half", aw, cal.attentionSeqHalf, error))
      return false;
  }
  if (const llvm::json::Object *tiers = c.getObject("collectives")) {
    for (auto &[name, v] : *tiers) {
      std::string tw = where + " collectives." + name.str();
      const llvm::json::Object *o = v.getAsObject();
      if (!o) {
        error = tw + ": not an object";
        return false;
      }
      CollectiveTier tier;
      tier.name = name.str();
      if (o->get("max_ranks")) {
        auto r = o->getInteger("max_ranks");
        if (!r || *r < 1) {
          error = tw + ": 'max_ranks' must be a positive integer";
          return false;
        }
        tier.maxRanks = *r;
      }
      if (const llvm::json::Object *ar = o->getObject("all_reduce")) {
        tier.allReduce.emplace();
        if (!readCollective(*ar, tw + ".all_reduce", true, *tier.allReduce,
                            error))
          return false;
      }
      if (const llvm::json::Object *sr = o->getObject("send_recv")) {
        tier.sendRecv.emplace();
        if (!readCollective(*sr, tw + ".send_recv", false, *tier.sendRecv,
                            error))
          return false;
      }
      cal.collectives.push_back(std::move(tier));
    }
    // JSON objects are unordered: keep the tiers in a stable order.
    llvm::sort(cal.collectives, [](const auto &a, const auto &b) {
      return a.name < b.name;
    });
  }
  return true;
}
} // namespace

std::optional<HardwareDatabase>
HardwareDatabase::parse(llvm::StringRef json, std::string &error) {
  auto parsed = llvm::json::parse(json);
  if (!parsed) {
    error = "not valid JSON: " + llvm::toString(parsed.takeError());
    return std::nullopt;
  }
  const llvm::json::Object *root = parsed->getAsObject();
  const llvm::json::Array *list = root ? root->getArray("devices") : nullptr;
  if (!list) {
    error = "expected an object with a \"devices\" array";
    return std::nullopt;
  }
  HardwareDatabase db;
  for (size_t i = 0; i < list->size(); ++i) {
    const llvm::json::Object *d = (*list)[i].getAsObject();
    std::string where = "device #" + std::to_string(i);
    if (!d) {
      error = where + ": not an object";
      return std::nullopt;
    }
    DeviceSpec spec;
    auto name = d->getString("name");
    if (!name || name->empty()) {
      error = where + ": missing \"name\"";
      return std::nullopt;
    }
    spec.name = name->str();
    where = "device '" + spec.name + "'";
    if (auto desc = d->getString("description"))
      spec.description = desc->str();
    const llvm::json::Object *tensor = d->getObject("tensor");
    if (!tensor || tensor->empty()) {
      error = where + ": missing \"tensor\" peaks (e.g. {\"bf16\": 989e12})";
      return std::nullopt;
    }
    for (auto &[k, v] : *tensor) {
      auto x = v.getAsNumber();
      if (!x || !(*x > 0) || !std::isfinite(*x)) {
        error = where + ": tensor peak '" + k.str() +
                "' must be a positive number";
        return std::nullopt;
      }
      if (!isPlausible(k, *x, where + " tensor peak", error))
        return std::nullopt;
      spec.tensorPeak[k.str()] = *x;
    }
    if (!readPositive(*d, "vector_fp32", where, spec.vectorPeak, error) ||
        !readPositive(*d, "mem_bw", where, spec.memBandwidth, error) ||
        !readPositive(*d, "mem_capacity", where, spec.memCapacity, error))
      return std::nullopt;
    if (const llvm::json::Object *link = d->getObject("link")) {
      if (auto ln = link->getString("name"))
        spec.linkName = ln->str();
      if (!readPositive(*link, "bw", where + " link", spec.linkBandwidth,
                        error) ||
          !readPositive(*link, "latency_s", where + " link", spec.linkLatency,
                        error, /*allowZero=*/true))
        return std::nullopt;
    }
    for (auto [key, out, most] :
         {std::tuple("sm_count", &spec.smCount, 1e5),
          std::tuple("fp32_lanes_per_sm", &spec.fp32LanesPerSM, 1e4)}) {
      if (!d->get(key))
        continue;
      double v = 0;
      if (!readInRange(*d, key, where, 1, most, /*openLow=*/false, v, error) ||
          !checkInteger(v, key, where, error))
        return std::nullopt;
      *out = static_cast<int64_t>(v);
    }
    if ((spec.smCount > 0) != (spec.fp32LanesPerSM > 0)) {
      error = where + ": 'sm_count' and 'fp32_lanes_per_sm' go together";
      return std::nullopt;
    }
    if (const llvm::json::Object *src = d->getObject("sources"))
      for (auto &[k, v] : *src)
        if (auto s = v.getAsString())
          spec.sources[k.str()] = s->str();
    if (const llvm::json::Value *cal = d->get("calibration")) {
      const llvm::json::Object *obj = cal->getAsObject();
      if (!obj) {
        error = where + ": 'calibration' must be an object";
        return std::nullopt;
      }
      spec.calibration.emplace();
      if (!parseCalibration(*obj, where, *spec.calibration, error))
        return std::nullopt;
    }
    if (db.lookup(spec.name)) {
      error = where + ": defined twice";
      return std::nullopt;
    }
    db.devices.push_back(std::move(spec));
  }
  return db;
}

const HardwareDatabase &HardwareDatabase::builtin() {
  static const HardwareDatabase db = [] {
    std::string error;
    auto parsed = parse(kBuiltinHardwareJSON, error);
    if (!parsed)
      llvm::report_fatal_error(
          llvm::Twine("built-in hardware database is invalid: ") + error);
    return std::move(*parsed);
  }();
  return db;
}

const DeviceSpec *HardwareDatabase::lookup(llvm::StringRef name) const {
  for (const DeviceSpec &d : devices)
    if (d.name == name)
      return &d;
  return nullptr;
}

void HardwareDatabase::merge(const HardwareDatabase &other) {
  for (const DeviceSpec &d : other.devices) {
    auto it = llvm::find_if(devices,
                            [&](const DeviceSpec &x) { return x.name == d.name; });
    if (it != devices.end())
      *it = d;
    else
      devices.push_back(d);
  }
}

std::optional<std::vector<DeviceSpec>>
mlir::tfperf::resolveDevices(llvm::StringRef names, llvm::StringRef hwFile,
                             std::string &error) {
  // The built-in database itself, or a copy merged with the user's file.
  const HardwareDatabase *db = &HardwareDatabase::builtin();
  std::optional<HardwareDatabase> merged;
  std::vector<std::string> fileDevices;
  if (!hwFile.empty()) {
    auto buf = llvm::MemoryBuffer::getFile(hwFile);
    if (!buf) {
      error = hwFile.str() + ": cannot read: " + buf.getError().message();
      return std::nullopt;
    }
    std::string perr;
    auto user = HardwareDatabase::parse((*buf)->getBuffer(), perr);
    if (!user) {
      error = hwFile.str() + ": " + perr;
      return std::nullopt;
    }
    for (const DeviceSpec &d : user->getDevices())
      fileDevices.push_back(d.name);
    merged = *db;
    merged->merge(*user);
    db = &*merged;
  }
  llvm::SmallVector<llvm::StringRef> list;
  names.split(list, ',', -1, /*KeepEmpty=*/false);
  std::vector<DeviceSpec> out;
  if (list.empty()) {
    // A user file alone names its own devices; otherwise the default.
    if (!fileDevices.empty()) {
      for (auto &n : fileDevices)
        out.push_back(*db->lookup(n));
      return out;
    }
    list.push_back("h100-sxm");
  }
  for (llvm::StringRef n : list) {
    n = n.trim();
    const DeviceSpec *d = db->lookup(n);
    if (!d) {
      std::string known;
      for (const DeviceSpec &x : db->getDevices())
        known += (known.empty() ? "" : ", ") + x.name;
      error = "unknown device '" + n.str() + "' (known: " + known + ")";
      return std::nullopt;
    }
    if (llvm::any_of(out, [&](const DeviceSpec &x) { return x.name == n; }))
      continue;
    out.push_back(*d);
  }
  return out;
}
