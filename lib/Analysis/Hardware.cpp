//===- Hardware.cpp - the device database ---------------------------------===//

#include "tfperf/Analysis/Hardware.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

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
  out = *v;
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
    if (const llvm::json::Object *src = d->getObject("sources"))
      for (auto &[k, v] : *src)
        if (auto s = v.getAsString())
          spec.sources[k.str()] = s->str();
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
