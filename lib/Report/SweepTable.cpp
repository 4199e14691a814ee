//===- SweepTable.cpp - the sweep's rows as CSV and JSON ------------------===//
//
// The table that tfperf-symbolic's sweep-out files hold: one row per point
// and device of the sweep (SweepAnalysis), every figure in the shortest
// decimal that reads back exactly.
//
//===----------------------------------------------------------------------===//

#include "tfperf/Report/SweepTable.h"

#include <charconv>
#include <cmath>

using namespace mlir;
using namespace mlir::tfperf;

/// The shortest decimal that reads back as `v` (std::to_chars); "" for
/// NaN and infinities, which mean unknown.
static std::string number(double v) {
  if (std::isnan(v) || std::isinf(v))
    return "";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, ec == std::errc() ? end : buf);
}

std::vector<std::pair<const char *, double>>
mlir::tfperf::sweepRowFigures(const SweepResult &r, const SweepRow &row) {
  std::vector<std::pair<const char *, double>> figures = {
      {"flops", row.flops},
      {"gemm_flops", row.gemmFlops},
      {"bytes", row.bytes},
      {"intensity", row.bytes > 0 ? row.flops / row.bytes : 0},
      {"time_s", row.time},
      {"compute_time_s", row.computeTime},
      {"memory_time_s", row.memoryTime},
      {"memory_bound_share", row.time > 0 ? row.memoryBoundTime / row.time : 0},
      {"attention_time_s", r.hasBlocks ? row.attentionTime : NAN},
      {"mlp_time_s", r.hasBlocks ? row.mlpTime : NAN},
      {"tokens_per_s", r.tokensPerSecond(row)},
      {"unknown_ops", double(row.unknownOps)},
  };
  if (r.kernelPriced)
    figures.push_back({"roofline_time_s", row.rooflineTime});
  if (r.hasTensorParallel) {
    figures.push_back({"comm_bytes", row.commBytes});
    figures.push_back({"comm_time_s", row.commTime});
  }
  return figures;
}

namespace {
std::string jsonString(llvm::StringRef s) {
  std::string q = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      q += '\\';
      q += c;
    } else if ((unsigned char)c < 0x20) {
      char buf[8];
      snprintf(buf, sizeof(buf), "\\u%04x", c);
      q += buf;
    } else {
      q += c;
    }
  }
  return q + "\"";
}

std::string csvField(llvm::StringRef s) {
  if (s.find_first_of(",\"\r\n") == llvm::StringRef::npos &&
      s.trim() == s)
    return s.str();
  std::string q = "\"";
  for (char c : s)
    q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}
} // namespace

void mlir::tfperf::writeSweepCSV(const SweepResult &r, llvm::raw_ostream &os) {
  for (size_t i = 0; i < r.numericAxes.size(); ++i)
    os << csvField(r.numericAxis(i).name) << ",";
  os << "hw";
  for (auto &[name, v] : sweepRowFigures(r, SweepRow()))
    os << "," << name;
  os << "\n";
  for (const SweepRow &row : r.rows) {
    for (int64_t v : r.point(row))
      os << v << ",";
    os << csvField(r.devices[row.device].name);
    for (auto &[name, v] : sweepRowFigures(r, row))
      os << "," << number(v);
    os << "\n";
  }
}

void mlir::tfperf::writeSweepJSON(const SweepResult &r, llvm::raw_ostream &os) {
  os << "[";
  bool first = true;
  for (const SweepRow &row : r.rows) {
    os << (first ? "\n" : ",\n") << " {";
    first = false;
    for (size_t i = 0; i < r.numericAxes.size(); ++i)
      os << jsonString(r.numericAxis(i).name) << ": " << r.point(row)[i]
         << ", ";
    os << "\"hw\": " << jsonString(r.devices[row.device].name);
    for (auto &[name, v] : sweepRowFigures(r, row)) {
      std::string text = number(v);
      os << ", \"" << name << "\": " << (text.empty() ? "null" : text);
    }
    os << "}";
  }
  os << "\n]\n";
}
