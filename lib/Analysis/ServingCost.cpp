//===- ServingCost.cpp - a serving step's cost, from the graph -----------===//

#include "tfperf/Analysis/ServingCost.h"
#include "tfperf/Analysis/ExpertParallel.h"
#include "tfperf/Analysis/KernelAnalysis.h"
#include "tfperf/Analysis/PhaseAnalysis.h"
#include "tfperf/Dialect/TFPerf/IR/TFPerfOps.h"
#include "tfperf/Dialect/TFPerf/IR/WindowBandCost.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <cmath>
#include <cstring>
#include <map>
#include <tuple>

using namespace mlir;
using namespace mlir::tfperf;
using serving::LinearInMix;
using serving::StepMix;
using serving::StepCostTerm;

namespace {
/// The step symbols.
constexpr llvm::StringLiteral kSeqs = "step_seqs", kTokens = "step_tokens",
                              kKV = "step_kv";

/// Maps a polynomial in the step symbols onto the mix. Terms outside the
/// basis are approximated (`approx` gets the first such monomial).
struct MixMapper {
  /// The graph has no batch symbol: it is one sequence.
  bool implicitBatch = false;
  /// Ops computed once per sequence: their terms count per started one.
  bool perStart = false;

  bool map(const SymExpr &e, LinearInMix &out, std::string &approx,
           std::string &error, double scale = 1) const {
    if (!e.isKnown()) {
      error = "a cost is unknown or overflows";
      return false;
    }
    out.constant += scale * int128ToDouble(e.getConstantTerm());
    for (const SymExpr::Term &t : e.getTerms()) {
      // A division by a constant (the tokens routed to one expert,
      // floordiv(T k, E)) counts as the exact quotient: balanced routing.
      if (auto quotient = exactQuotient(t)) {
        if (approx.empty())
          approx = "a rounded division as its exact quotient";
        if (!map(quotient->first, out, approx, error,
                 scale * int128ToDouble(t.coeff) / quotient->second))
          return false;
        continue;
      }
      if (auto rest = dominantMax(t)) {
        if (!map(*rest, out, approx, error, scale * int128ToDouble(t.coeff)))
          return false;
        continue;
      }
      unsigned b = 0, s = 0, kv = 0, windowedKV = 0;
      int64_t window = 0;
      for (const SymExpr::Factor &f : t.mono) {
        if (f.name() == kSeqs)
          b = f.pow;
        else if (f.name() == kTokens)
          s = f.pow;
        else if (f.name() == kKV)
          kv = f.pow;
        else if (auto w = windowOfKV(f); w && (!window || window == *w)) {
          window = *w;
          windowedKV = f.pow;
        } else {
          error = "the cost depends on '" + f.name().str() +
                  "', which is not a batch, sequence or KV dim: bind it with "
                  "--bind-dims";
          return false;
        }
      }
      double c = scale * int128ToDouble(t.coeff);
      if (b == 0 && (s > 0 || kv > 0) && !implicitBatch && !perStart) {
        // A per-token term without the batch: the graph broadcasts it over
        // the batch (position ids, a mask); it is still per sequence.
        b = 1;
      }
      if (b > 1 && approx.empty())
        approx = "batch^" + std::to_string(b);
      if (perStart) {
        out.perStartedSequence += c;
        continue;
      }
      if (windowedKV) {
        // The keys a fused op's window lets each new token see: per pair
        // (with the tokens) or per cached token (without) of the window.
        if (kv > 0 || windowedKV > 1 || s > 1) {
          error = "the cost is not linear in the windowed KV length (" +
                  e.str() + ")";
          return false;
        }
        if (out.windowKeys && out.windowKeys != window) {
          error = "the cost has two windows";
          return false;
        }
        out.windowKeys = window;
        (s == 1 ? out.perWindowQueryKey : out.perWindowContextToken) += c;
        continue;
      }
      if (b == 0 && s == 0 && kv == 0)
        out.constant += c;
      else if (s == 0 && kv == 0)
        out.perSequence += c;
      else if (s == 1 && kv == 0)
        out.perToken += c;
      else if (s == 1 && kv == 1)
        out.perQueryKey += c;
      else if (s == 0 && kv == 1)
        out.perContextToken += c;
      else {
        // s^2 (a causal mask over the chunk) is at most s*kv, and equal to
        // it for a prompt's first chunk; higher powers are kept as s*kv too.
        if (approx.empty())
          approx = "tokens^" + std::to_string(s) + " x kv^" + std::to_string(kv);
        out.perQueryKey += c;
      }
    }
    return true;
  }

  /// For a factor min(step_kv, W), W a positive constant (a fused op's
  /// local window, its own key included): W.
  static std::optional<int64_t> windowOfKV(const SymExpr::Factor &f) {
    auto atom = SymExpr::lookupAtom(f.sym);
    if (!atom || atom->fn != "min")
      return std::nullopt;
    for (auto [kv, w] :
         {std::pair{atom->lhs, atom->rhs}, std::pair{atom->rhs, atom->lhs}})
      if (kv->getSingleSymbol() == std::optional<llvm::StringRef>(kKV) &&
          w->isConstant() && w->getConstant() > 0)
        return int64_t(w->getConstant());
    return std::nullopt;
  }

  /// For a term with a factor floordiv(x, d) or ceildiv(x, d), d a
  /// positive constant: the term's other factors times x, and d.
  static std::optional<std::pair<SymExpr, double>>
  exactQuotient(const SymExpr::Term &t) {
    for (const SymExpr::Factor &f : t.mono) {
      auto atom = SymExpr::lookupAtom(f.sym);
      if (!atom || f.pow != 1 || (atom->fn != "floordiv" && atom->fn != "ceildiv") ||
          !atom->rhs->isConstant() || atom->rhs->getConstant() <= 0)
        continue;
      SymExpr rest = *atom->lhs;
      for (const SymExpr::Factor &g : t.mono)
        if (&g != &f)
          for (uint32_t i = 0; i < g.pow; ++i)
            rest *= SymExpr::symbol(g.name());
      return std::make_pair(rest, int128ToDouble(atom->rhs->getConstant()));
    }
    return std::nullopt;
  }

  /// For a term with a factor max(c, p), c a constant and p a sum of step
  /// symbols with positive coefficients that is at least c when each is 1
  /// (a mask's max(0, step_kv - 1)): the term's other factors times p,
  /// since every step symbol is at least 1.
  static std::optional<SymExpr> dominantMax(const SymExpr::Term &t) {
    for (const SymExpr::Factor &f : t.mono) {
      auto atom = SymExpr::lookupAtom(f.sym);
      if (!atom || f.pow != 1 || atom->fn != "max")
        continue;
      for (auto [c, p] : {std::pair{atom->lhs, atom->rhs},
                          std::pair{atom->rhs, atom->lhs}}) {
        if (!c->isConstant() || !p->isKnown())
          continue;
        Int128 least = p->getConstantTerm();
        bool linear = true;
        for (const SymExpr::Term &pt : p->getTerms()) {
          llvm::StringRef name =
              pt.mono.size() == 1 ? pt.mono[0].name() : llvm::StringRef();
          linear &= pt.coeff > 0 && pt.mono.size() == 1 &&
                    pt.mono[0].pow == 1 &&
                    (name == kSeqs || name == kTokens || name == kKV);
          least += pt.coeff;
        }
        if (!linear || least < c->getConstant())
          continue;
        SymExpr rest = *p;
        for (const SymExpr::Factor &g : t.mono)
          if (&g != &f)
            for (uint32_t i = 0; i < g.pow; ++i)
              rest *= SymExpr::symbol(g.name());
        return rest;
      }
    }
    return std::nullopt;
  }
};

/// One op's step term, kept for the kernel it belongs to.
struct OpStepTerm {
  /// Per device, at the policy's element sizes.
  StepCostTerm term;
  /// Its bytes whole and at the graph's own element sizes (the kernel
  /// view's).
  LinearInMix graphBytes;
  const OpSplit *split = nullptr;
};

/// The kernel's time at a step in the chosen model, with what does not
/// depend on the step computed once: the GEMM's per-device N and K and
/// tensor peak, a memory class's parameters, the attention's head dim.
/// A GEMM whose bytes and M depend on the token count only keeps its
/// times by token count (an engine step is at most the token budget).
struct StepKernelPricer {
  std::shared_ptr<const TimeModel> model;
  TimeModelKind kind = TimeModelKind::Calibrated;
  KernelWork work;
  MemClassParams mem;
  double peak = 0;
  bool causal = false;
  std::shared_ptr<std::vector<double>> byTokens;

  /// The kernel as the time model sees it at `mix`.
  KernelWork at(const StepMix &mix, double flops, double gemm,
                double bytes) const {
    KernelWork w = work;
    w.flops = flops;
    w.bytes = bytes;
    if (w.cls == KernelClass::Gemm) {
      double m = gemm / (2.0 * double(w.n) * double(w.k));
      w.m = std::max<int64_t>(1, std::llround(m));
    } else if (w.cls == KernelClass::Attention) {
      // One flash kernel over the step's sequences: decode when every
      // sequence brings one token, at their mean KV length; under a causal
      // mask a prompt chunk skips the keys after each of its tokens (half
      // of a first chunk, less of a later one, nothing of a decode).
      w.decode = mix.tokens <= mix.sequences;
      w.kvLen = std::llround(mix.contextTokens / std::max(mix.sequences, 1.0));
      if (causal && !w.decode && mix.queryKeyPairs > 0)
        w.flops = gemm * mix.causalPairs / mix.queryKeyPairs;
      else
        w.flops = gemm;
    }
    return w;
  }

  /// A loop body's kernel runs `work.launches` times per step: the step's
  /// figures are all launches' together, and each launch is priced on its
  /// share, as TimeModel::price prices the phases' kernels.
  double operator()(const StepMix &mix, double flops, double gemm,
                    double bytes) const {
    double launches = double(std::max<int64_t>(work.launches, 1));
    return launches * priceLaunch(mix, at(mix, flops / launches,
                                          gemm / launches, bytes / launches));
  }

  double priceLaunch(const StepMix &mix, const KernelWork &w) const {
    if (kind == TimeModelKind::Roofline)
      return model->rooflineTime(w);
    switch (w.cls) {
    case KernelClass::Gemm: {
      size_t slot = byTokens ? size_t(mix.tokens) : 0;
      if (byTokens && slot < kMaxTokensKept) {
        if (slot >= byTokens->size())
          byTokens->resize(slot + 1, NAN);
        double &t = (*byTokens)[slot];
        if (std::isnan(t))
          t = model->gemmTime(w.m, w.n, w.k, w.batch, w.bytes, peak);
        return t;
      }
      return model->gemmTime(w.m, w.n, w.k, w.batch, w.bytes, peak);
    }
    case KernelClass::Attention:
      return model->attentionTime(w);
    default:
      return model->memTime(mem, w.bytes, w.kernels, w.row);
    }
  }
  static constexpr size_t kMaxTokensKept = 1 << 17;
};
} // namespace

std::optional<ServingStepCost> mlir::tfperf::buildServingStepCost(
    ModuleOp module, const TransformerStructure &structure,
    const DtypePolicy &policy, const DeviceSpec &device, std::string &error,
    const TensorParallelPlan *plan, int64_t tp, Timing timing, int64_t ep) {
  func::FuncOp func = firstFunction(module);
  if (!func || !structure.isTransformer()) {
    error = "serving needs a transformer with attention (none recognised)";
    return std::nullopt;
  }
  TokenShapes tokens(func, structure);
  if (!tokens.seq.getSingleSymbol()) {
    error = "the graph's sequence length is fixed and could not be "
            "re-derived: a serving step cannot re-run it at other token "
            "counts";
    return std::nullopt;
  }
  bool implicitBatch = !tokens.batch.getSingleSymbol();
  if (implicitBatch && tokens.batch0 > 1) {
    error = "the graph's batch is fixed at " + std::to_string(tokens.batch0) +
            ": export it with a dynamic batch or batch 1";
    return std::nullopt;
  }
  bool pastSym = bool(tokens.past.getSingleSymbol());
  bool hasPast = llvm::any_of(structure.getAttentions(), [](const AttentionBlock &a) {
    return !a.pastInputs.empty();
  });
  if (hasPast && !pastSym) {
    error = "the graph's past-KV length is fixed: export it with a dynamic "
            "past length";
    return std::nullopt;
  }

  SymExpr b = SymExpr::symbol(kSeqs), s = SymExpr::symbol(kTokens),
          kv = SymExpr::symbol(kKV);
  // As the phases bind them (a mask's total length at kv).
  auto subst = [&](std::optional<SymExpr> past) {
    return tokens.substitution(b, s, pastSym ? past : std::nullopt, kv);
  };
  // As the decode phase runs: with past-KV inputs the past is kv - s and
  // the cache path appends only; otherwise the scores ops' key dims are kv.
  SubstitutedShapes step(tokens, subst(kv - s));
  SubstitutedShapes append(tokens, subst(SymExpr(0)));
  llvm::DenseSet<Operation *> cachePath = cacheAppendOps(structure);
  llvm::StringMap<SymExpr> kvSubst;
  kvSubst[*tokens.seq.getSingleSymbol()] = kv;
  SubstitutedShapes scores(tokens, subst(std::nullopt), kvDimsOf(func, structure),
                           kvSubst);
  auto select = [&](Operation *op) -> const ShapeQuery & {
    if (pastSym)
      return cachePath.count(op) ? append : step;
    return structure.isScoresOp(op) ? scores : step;
  };
  llvm::DenseSet<Operation *> once =
      pastSym ? llvm::DenseSet<Operation *>()
              : oncePerSequence(func, tokens, tokens.seq);
  CostAnalysis costs(func, select);
  // Expert parallelism: the routed experts' ops run on one device in 1 / ep
  // of the step's (token, expert) pairs at balanced routing; under a skewed
  // one the busiest device's share (experts placed contiguously), whose
  // all-to-all receives that over 1 / ep times the mean.
  SmallVector<const MLPBlock *> moeBlocks = routedExpertBlocks(structure);
  if (moeBlocks.empty())
    ep = 1;
  llvm::DenseSet<Operation *> routed;
  if (ep > 1)
    routed = routedExpertOps(moeBlocks);
  double routedCount = 1.0 / double(ep), allToAllLoad = 1.0;
  std::optional<RoutingSkew> skew = routingSkewOf(moeBlocks);
  if (skew && ep > 1 && checkExpertDegree(structure, ep).empty()) {
    routedCount = skew->busiestDeviceShare(ep);
    allToAllLoad = routedCount * double(ep);
  }

  ServingStepCost out{serving::StepCostModel({}), 0, {}, 0, 0};
  if (skew) {
    out.routing = skew->name;
    out.busiestShare = routedCount;
  }
  // Identical terms merge: (flops, gemm, bytes, peaks, link) -> index.
  std::vector<StepCostTerm> terms;
  std::map<std::vector<double>, size_t> index;
  auto addTerm = [&](StepCostTerm t, llvm::ArrayRef<double> identity = {}) {
    std::vector<double> key(identity.begin(), identity.end());
    for (const LinearInMix *m : {&t.flops, &t.gemmFlops, &t.bytes}) {
      for (double c : m->coefficients())
        key.push_back(c);
      key.push_back(double(m->windowKeys));
    }
    key.push_back(t.tensorPeak);
    key.push_back(t.bandwidth);
    key.push_back(t.overhead);
    key.push_back(t.count);
    auto [it, inserted] = index.try_emplace(key, terms.size());
    if (inserted)
      terms.push_back(std::move(t));
    else
      terms[it->second].count += t.count;
  };
  // The kernel view: each op's terms are kept for its kernel, priced as one.
  bool kernelView = !timing.isPerOpRoofline();
  bool calibrated = timing.model == TimeModelKind::Calibrated;
  auto model = std::make_shared<const TimeModel>(device);
  llvm::DenseMap<Operation *, OpStepTerm> opTerms;
  for (const OpCostRecord &rec : costs.getRecords()) {
    if (rec.op->hasTrait<OpTrait::ConstantLike>() || isa<WeightOp>(rec.op))
      continue;
    if (!rec.known) {
      ++out.unknownOps;
      continue;
    }
    StepCostTerm t;
    MixMapper mapper{implicitBatch, once.contains(rec.op)};
    std::string approx, why;
    auto fail = [&] {
      error = "op '" + rec.name + "': " + why;
      return std::nullopt;
    };
    static const OpSplit replicated;
    const OpSplit *split = plan ? plan->lookup(rec.op) : nullptr;
    if (!split)
      split = &replicated;
    double div = double(tpDivisor(split->units, tp));
    // A fused op with a sliding window: its cost over the causal band,
    // whose pairs and cached keys then count the window's sums (its own
    // closed form has max and floordiv of the lengths, which a step cannot
    // sum over its sequences).
    OpCost band;
    FailureOr<int64_t> window =
        computeWindowBandCost(rec.op, select(rec.op), band);
    if (failed(window)) {
      why = band.unknownReason;
      return fail();
    }
    const OpCost &cost = *window ? band : rec.cost;
    // The reads the window cuts: the cached keys and values.
    SmallVector<TensorAccess> cutReads, wholeReads;
    llvm::DenseSet<Value> cut;
    for (const TensorAccess &a : cost.reads) {
      if (*window && llvm::none_of(rec.cost.reads, [&](auto &r) {
            return r.value == a.value && r.elements == a.elements;
          })) {
        cut.insert(a.value);
        cutReads.push_back(a);
      } else {
        wholeReads.push_back(a);
      }
    }
    if (!mapper.map(cost.flops, t.flops, approx, why) ||
        !mapper.map(cost.gemmFlops, t.gemmFlops, approx, why))
      return fail();
    if (*window) {
      t.flops.window(*window);
      t.gemmFlops.window(*window);
    }
    t.flops.scale(1 / div);
    t.gemmFlops.scale(1 / div);
    // Each access at its element size, divided over the devices that
    // share its units.
    auto bytesOf = [&](const TensorAccess &a, LinearInMix &out) {
      SymExpr bits = a.elements * SymExpr((int64_t)policy.bitsOf(a.value));
      return mapper.map(bits, out, approx, why);
    };
    // An access's bytes on one device: its bits over the split's units.
    auto addBytes = [&](const TensorAccess &a, int64_t units) {
      LinearInMix b;
      if (!bytesOf(a, b))
        return false;
      b.scale(1 / (8.0 * double(tpDivisor(units, tp))));
      if (cut.contains(a.value))
        b.window(*window);
      t.bytes.add(b);
      return true;
    };
    for (const TensorAccess &a : cost.reads)
      if (!addBytes(a, split->readUnits(rec.op, a.value)))
        return fail();
    for (const TensorAccess &a : cost.writes)
      if (!addBytes(a, split->writeUnits(rec.op, a.value)))
        return fail();
    if (!approx.empty() && out.approximations.size() < 16)
      out.approximations.push_back(rec.name + " (" + rec.opType + "): " + approx);
    // Collectives after the op move its result: ring times over the link.
    for (auto [res, kind] : tp > 1 ? split->collectives
                                   : decltype(split->collectives)()) {
      StepCostTerm c;
      c.name = kind == Collective::AllReduce ? "all-reduce" : "all-gather";
      for (const TensorAccess &a : cost.writes)
        if (a.value == rec.op->getResult(res) && !bytesOf(a, c.bytes))
          return fail();
      bool reduce = kind == Collective::AllReduce;
      c.bytes.scale((reduce ? ringAllReduceBytesSent(1, tp)
                            : ringAllGatherBytesSent(1, tp)) / 8.0);
      c.bandwidth = device.linkBandwidth;
      c.overhead = (reduce ? 2.0 : 1.0) * double(tp - 1) * device.linkLatency;
      // The calibrated model's α-β time of the payload on the group's tier
      // (the ring roofline where the device has no figures for it).
      CollectiveKind ck =
          reduce ? CollectiveKind::AllReduce : CollectiveKind::AllGather;
      if (calibrated && model->collectiveTime(ck, tp, 0)) {
        double sent = reduce ? ringAllReduceBytesSent(1, tp)
                             : ringAllGatherBytesSent(1, tp);
        c.kernelTime = [model, ck, tp, sent](const serving::StepMix &, double,
                                             double, double bytes) {
          return *model->collectiveTime(ck, tp, bytes / sent);
        };
      }
      if (c.kernelTime)
        addTerm(std::move(c), {double(ck) + 1});
      else
        addTerm(std::move(c));
    }
    t.vectorPeak = device.vectorPeak;
    t.bandwidth = device.memBandwidth;
    if (rec.cost.gemmFlops.isKnown() && !rec.cost.gemmFlops.isConstant(0)) {
      std::string dt = policy.peakDtype(rec.op);
      auto peak = device.gemmPeak(dt);
      if (!peak) {
        error = "device '" + device.name + "' has no " + dt +
                " matmul peak (choose another --compute-dtype)";
        return std::nullopt;
      }
      t.tensorPeak = *peak;
    }
    t.name = rec.opType;
    if (routed.contains(rec.op))
      t.count = routedCount;
    if (!kernelView) {
      addTerm(std::move(t));
      continue;
    }
    OpStepTerm &kept = opTerms[rec.op];
    kept.split = split;
    LinearInMix cutBytes;
    if (!mapper.map(accessBits(wholeReads, cost.writes, DtypePolicy()),
                    kept.graphBytes, approx, why) ||
        !mapper.map(accessBits(cutReads, {}, DtypePolicy()), cutBytes, approx,
                    why))
      return fail();
    if (*window) {
      cutBytes.window(*window);
      kept.graphBytes.add(cutBytes);
    }
    kept.graphBytes.scale(1 / 8.0);
    kept.term = std::move(t);
  }
  // Per device: the KV cache by KV heads (copies of a KV head when the
  // degree exceeds them).
  double kvReplicas = 1;
  if (plan && tp > 1) {
    TPFeasibility f = checkDegree(*plan, tp, device);
    if (!f.feasible)
      out.infeasible = f.reason;
    kvReplicas = double(f.kvReplicas);
  }
  double kvPerDevice = kvReplicas / double(tp);
  for (const AttentionBlock &a : structure.getAttentions())
    if (auto bytes = kvCacheBytesPerToken(a, policy))
      out.kvBytesPerToken += *bytes;
  out.kvBytesPerToken *= kvPerDevice;
  func.walk([&](Operation *op) {
    auto st = recurrentStatePerSequence(op, policy);
    if (!st)
      return;
    int64_t units = recurrentStateUnits(*st, plan ? plan->lookup(op) : nullptr);
    out.stateBytesPerSequence += st->bytes / double(tpDivisor(units, tp));
  });
  if (kernelView) {
    KernelOptions opts;
    opts.exported = timing.view == KernelView::Exported;
    opts.shapes = select;
    // A step's KV length counts its new tokens.
    opts.atLeast = {{kKV.str(), kTokens.str()}};
    KernelAnalysis kernels(func, costs, structure, opts);
    for (const Kernel &k : kernels.getKernels()) {
      std::vector<const OpStepTerm *> members;
      for (Operation *op : k.ops)
        if (auto it = opTerms.find(op); it != opTerms.end())
          members.push_back(&it->second);
      // A member of unknown cost is counted in unknownOps already.
      if (members.size() != k.ops.size() || members.empty())
        continue;
      StepCostTerm t;
      t.name = stringifyKernelClass(k.cls).str();
      if (routed.contains(k.mainOp))
        t.count = routedCount;
      LinearInMix memberBytes, memberGraphBytes;
      for (const OpStepTerm *m : members) {
        t.flops.add(m->term.flops);
        t.gemmFlops.add(m->term.gemmFlops);
        memberBytes.add(m->term.bytes);
        memberGraphBytes.add(m->graphBytes);
      }
      MixMapper mapper{implicitBatch, once.contains(k.mainOp)};
      std::string approx, why;
      if (t.gemmFlops.windowKeys) {
        // A fused windowed op's kernel: its own traffic over the band
        // (its boundary holds the window's closed form).
        t.bytes = memberBytes;
      } else if (mapper.map(k.boundaryBits, t.bytes, approx, why)) {
        // At the policy's element sizes and split over the group as its
        // ops' bytes are.
        t.bytes.scale(1 / 8.0);
        t.bytes.scaleEach(memberBytes, memberGraphBytes);
      } else {
        t.bytes = memberBytes;
        approx = "its boundary bytes are not a formula of the step (" + why +
                 "): its ops' own bytes";
      }
      // A sliding-window layer's flash kernel visits each new token's
      // window of keys only (as the phase analysis's kernel does): its
      // per-pair work counts the window's pairs of the step.
      // A fused windowed op's terms have their window already.
      int64_t windowKeys = t.gemmFlops.windowKeys;
      if (k.cls == KernelClass::Attention)
        for (const AttentionBlock &a : structure.getAttentions())
          if (a.scores && llvm::is_contained(k.ops, a.scores) && a.window &&
              !windowKeys)
            windowKeys = *a.window;
      if (windowKeys) {
        t.flops.window(windowKeys);
        t.gemmFlops.window(windowKeys);
        t.bytes.windowKeys = windowKeys;
      }
      // Without past-KV inputs the graph computes K and V of the step's
      // tokens only; the flash kernel of an engine also reads the cached
      // ones, each sequence's context before its new tokens (from its
      // window's first key on).
      if (!pastSym && k.cls == KernelClass::Attention)
        for (const AttentionBlock &a : structure.getAttentions())
          if (a.scores && llvm::is_contained(k.ops, a.scores))
            if (auto perContext = uncachedKVReadBytes(a, policy, 1, 0)) {
              (windowKeys ? t.bytes.perWindowContextToken
                          : t.bytes.perContextToken) +=
                  *perContext * kvPerDevice;
              t.bytes.perToken +=
                  *uncachedKVReadBytes(a, policy, 0, 1) * kvPerDevice;
            }
      if (!approx.empty() && out.approximations.size() < 16)
        out.approximations.push_back("kernel " + k.name + " (" + t.name +
                                     "): " + approx);
      StepKernelPricer pricer;
      pricer.model = model;
      pricer.kind = timing.model;
      pricer.work = k.getWork(policy.peakDtype(k.mainOp));
      pricer.peak = model->tensorPeak(pricer.work.dtype);
      // A window's pairs are the exact causal count: no half to take.
      pricer.causal = k.causal && !windowKeys;
      pricer.mem = model->memParams(k.cls);
      splitGemmDims(pricer.work, *opTerms[k.mainOp].split, tp);
      pricer.work.batch = 1;
      if (k.cls == KernelClass::Gemm &&
          (pricer.work.n <= 0 || pricer.work.k <= 0)) {
        // No GEMM shape to quantize: its ops' rooflines.
        for (const OpStepTerm *m : members)
          addTerm(m->term);
        continue;
      }
      if (k.cls == KernelClass::Gemm && t.gemmFlops.tokensOnly() &&
          t.bytes.tokensOnly())
        pricer.byTokens = std::make_shared<std::vector<double>>();
      t.kernelTime = pricer;
      addTerm(std::move(t),
              {double(k.cls) + 10, double(pricer.work.n), double(pricer.work.k),
               double(pricer.work.row), double(pricer.work.headDim),
               double(pricer.causal), pricer.peak});
    }
  }
  if (ep > 1) {
    std::string why = checkExpertDegree(structure, ep);
    if (!why.empty() && out.infeasible.empty())
      out.infeasible = "ep = " + std::to_string(ep) + " " + why;
    if (device.linkBandwidth <= 0 && out.infeasible.empty())
      out.infeasible = "device '" + device.name +
                       "' has no interconnect in the hardware database";
    // The dispatch and combine of every MoE layer, at the step's tokens,
    // as the expert-parallel analysis prices them.
    StepCostTerm a2a;
    a2a.name = kAllToAllTermName.str();
    auto buffers = std::make_shared<SmallVector<AllToAllBuffer>>(
        allToAllBuffers(moeBlocks, policy));
    a2a.bytes.perToken =
        priceMoEAllToAlls(*buffers, allToAllLoad, ep, device, nullptr)
            .bytesSent;
    auto link = std::make_shared<const DeviceSpec>(device);
    std::shared_ptr<const TimeModel> tier = calibrated ? model : nullptr;
    a2a.kernelTime = [buffers, link, tier, ep,
                      allToAllLoad](const serving::StepMix &mix, double,
                                    double, double) {
      return priceMoEAllToAlls(*buffers, mix.tokens * allToAllLoad, ep, *link,
                               tier.get())
          .time;
    };
    addTerm(std::move(a2a), {-1});
  }
  out.model = serving::StepCostModel(std::move(terms));
  // Per device: weights by their split, the routed experts' over ep too.
  llvm::DenseSet<Operation *> routedWeights;
  if (ep > 1)
    for (WeightOp w : routedExpertWeights(moeBlocks))
      routedWeights.insert(w);
  func.walk([&](WeightOp w) {
    double units = plan ? double(tpDivisor(plan->getWeightUnits(w.getResult()), tp)) : 1;
    if (routedWeights.contains(w))
      units *= double(ep);
    out.weightBytes += double(cast<ShapedType>(w.getType()).getNumElements()) *
                       policy.bitsOf(w.getResult()) / 8 / units;
  });
  out.tp = tp;
  out.ep = ep;
  return out;
}
