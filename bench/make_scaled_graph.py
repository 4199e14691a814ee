#!/usr/bin/python3
"""Builds bigger graph-only ONNX models from a real llama2.c export.

Two transformations of a torch.onnx export:

* layer repetition (--layers N), for any export whose layer nodes are named
  `<scope>/layers.<i>/...` (llama2.c), `/transformer/h.<i>/` (nanoGPT),
  `blocks.<i>`, `encoder_layer_<i>` (torchvision ViT) and the like: layer 0
  is kept as exported, layers 1..N-1 are clones of the source's last layer
  with fresh value and weight names, each reading the previous layer's
  outputs (matched by node position) and the shared causal mask through one
  Identity per layer, as torch exports it; the tail (final norm, lm head)
  reads the last clone;
* dim rescaling, for llama2.c exports only (--preset tinyllama or --dim/--heads/...): initializer dims,
  the integer constants of the shape plumbing (Reshape targets, the
  repeat_kv Expand shape), the RoPE cos/sin tables and the 1/sqrt(head_dim)
  attention scale are rewritten consistently for the new config.

How dims are rewritten (the part that must be exact):
  The source config (seq S, d_model D, heads H, kv heads KV, head_dim HD,
  ffn F, vocab V) is read off the graph itself: the token input gives S, the
  embedding Gather's table gives V x D, the /layers.0/wq|wk|w1 MatMul weights
  give H*HD, KV*HD and F, and the Reshape targets after wq/wk give H, KV, HD.
  - Initializer dims are mapped by value ({D, H*HD, KV*HD, F, V, S} -> new);
    the script stops if two roles share a source value but need different
    targets (ambiguous), or if a dim is none of them. The one exception:
    with --head-dim, d_model and the query width H*HD may differ in the
    target though equal in the source (stories260K: 64 = 8 x 8); the
    attention projections' weights (the second input of
    `/layers.<i>/wq|wk|wv|wo/MatMul`) are then mapped by position
    (wq [D, H*HD], wk and wv [D, KV*HD], wo [H*HD, D]), the others by value.
  - Integer constants that are shape targets of [batch, seq, ...] tensors
    (they start with [1, S]) are matched against the llama2.c layouts
    [1,S,H|KV,HD], [1,S,H|KV,-1,2], [1,S,KV,n_rep,HD] and [1,S,-1]; each
    element gets the role its position has in the one matching layout, so
    equal source values (stories260K has H == HD == 8) are told apart by
    position. No match, or two matches that disagree, stops the script.
    Other integer constants (axes, split sizes, slice bounds, -1 indices)
    hold no model dims and are kept.
  - Float constants: the [1,S,1,HD/2] RoPE tables are recomputed (theta
    10000) for the new S and HD, the scalar sqrt(HD) becomes sqrt(HD');
    any other float constant whose shape would change stops the script.
  GQA needs the repeat_kv (Unsqueeze/Expand/Reshape) structure in the
  source: from a source with H == KV (stories15M) only H == KV targets work;
  use stories260K (8 heads, 4 kv heads) for TinyLlama's 32/4.

Every initializer is written as external data pointing at
`<output>.data`, which is not created (graph-only, like the corpus). The
result is checked with onnx.checker (against a sparse placeholder data file
in a temporary folder) and onnx shape inference, and optionally imported
with tfperf-opt (--verify-with), requiring zero unknown dims (and no
symbolic ones unless the graph has dim_params).

Needs Debian's python3-onnx (run it with /usr/bin/python3).

Examples:
  bench/make_scaled_graph.py --preset tinyllama --layers 22 \\
      -o bench/out/tinyllama_L22.onnx
  bench/make_scaled_graph.py SRC.onnx --layers 80 -o /tmp/x.onnx
"""

import argparse
import math
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import helper, numpy_helper

DEFAULT_SRC = "/work/shared/corpus/models/llama2c_stories260K_b1_s256_inline.onnx"
# Layer blocks are the nodes named `<scope>/layers.<i>/...` (llama2.c),
# `/transformer/h.<i>/...` (nanoGPT) and the like.
LAYER_RE = re.compile(
    r"^(.*?/(?:layers|h|blocks|block|layer|encoder_layer|decoder_layer)[._])"
    r"(\d+)/")
_TAG = ["/layers."]  # the block scope prefix of the graph being scaled


def pfx(i):
    return "%s%d/" % (_TAG[0], i)


def detect_tag(model):
    for n in model.graph.node:
        m = LAYER_RE.match(n.name)
        if m:
            _TAG[0] = m.group(1)
            return
    raise ScaleError("no layer blocks (nodes named .../layers.<i>/...)")

PRESETS = {
    # TinyLlama-1.1B as llama2.c would export it (ties embeddings).
    "tinyllama": dict(dim=2048, heads=32, kv_heads=4, ffn=5632, vocab=32000,
                      seq=2048),
}


class ScaleError(Exception):
    pass


def layer_of(node):
    m = LAYER_RE.match(node.name)
    return int(m.group(2)) if m and m.group(1) == _TAG[0] else None


def rel_name(name, layer):
    return name.replace(pfx(layer), pfx(0), 1)


class Config:
    def __init__(self, seq, dim, heads, kv_heads, head_dim, ffn, vocab):
        self.S, self.D, self.H, self.KV = seq, dim, heads, kv_heads
        self.HD, self.F, self.V = head_dim, ffn, vocab

    @property
    def roles(self):
        return dict(S=self.S, D=self.D, H=self.H, KV=self.KV, HD=self.HD,
                    F=self.F, V=self.V, QD=self.H * self.HD,
                    KVD=self.KV * self.HD, REP=self.H // self.KV,
                    HD2=self.HD // 2)

    def __str__(self):
        return ("seq=%d d_model=%d heads=%d kv_heads=%d head_dim=%d ffn=%d "
                "vocab=%d" % (self.S, self.D, self.H, self.KV, self.HD, self.F,
                              self.V))


def const_array(node):
    for a in node.attribute:
        if a.name == "value" and a.type == onnx.AttributeProto.TENSOR:
            return numpy_helper.to_array(a.t)
    return None


def detect_config(model):
    """Reads the llama2.c config off the exported graph."""
    g = model.graph
    inits = {t.name: t for t in g.initializer}
    producers = {o: n for n in g.node for o in n.output}
    consumers = {}
    for n in g.node:
        for x in n.input:
            consumers.setdefault(x, []).append(n)
    inputs = [i for i in g.input if i.name not in inits]
    if len(inputs) != 1:
        raise ScaleError("expected one token input, found %d" % len(inputs))
    dims = [d.dim_value for d in inputs[0].type.tensor_type.shape.dim]
    if len(dims) != 2 or dims[0] != 1 or dims[1] <= 0:
        raise ScaleError("token input is not [1, seq]: %s" % dims)
    seq = dims[1]
    emb = next((n for n in g.node if n.op_type == "Gather" and
                n.input[0] in inits and len(inits[n.input[0]].dims) == 2),
               None)
    if emb is None:
        raise ScaleError("no embedding Gather found")
    vocab, dim = inits[emb.input[0]].dims

    def matmul(proj):
        n = next((n for n in g.node
                  if n.name == "/layers.0/%s/MatMul" % proj), None)
        if n is None or n.input[1] not in inits:
            raise ScaleError("no /layers.0/%s/MatMul with a weight; not a "
                             "llama2.c export?" % proj)
        return n, list(inits[n.input[1]].dims)

    def reshape_target(mm):
        for c in consumers.get(mm.output[0], []):
            if c.op_type == "Reshape" and c.input[1] in producers:
                v = const_array(producers[c.input[1]])
                if v is not None and v.size == 4:
                    return [int(x) for x in v]
        raise ScaleError("no constant Reshape after %s" % mm.name)

    wq, wq_dims = matmul("wq")
    wk, wk_dims = matmul("wk")
    _, w1_dims = matmul("w1")
    _, _, heads, head_dim = reshape_target(wq)
    _, _, kv_heads, kv_head_dim = reshape_target(wk)
    if kv_head_dim != head_dim or wq_dims != [dim, heads * head_dim] or \
            wk_dims != [dim, kv_heads * head_dim]:
        raise ScaleError("inconsistent attention dims: wq %s wk %s heads %d "
                         "kv_heads %d head_dim %d" % (wq_dims, wk_dims, heads,
                                                      kv_heads, head_dim))
    return Config(seq, dim, heads, kv_heads, head_dim, w1_dims[1], vocab)


class DimMapper:
    """Maps source dims to target dims (see the module docstring)."""

    LAYOUTS = [
        ("S", "H", "HD"), ("S", "KV", "HD"),
        ("S", "H", -1, 2), ("S", "KV", -1, 2),
        ("S", "KV", "REP", "HD"),
        ("S", -1), ("S", "D"),
    ]

    def __init__(self, src, dst):
        self.src, self.dst = src.roles, dst.roles
        self.src_cfg, self.dst_cfg = src, dst
        if (dst.D % dst.H and dst.QD == dst.D) or dst.H % dst.KV or dst.HD % 2:
            raise ScaleError("target dims inconsistent: %s" % dst)
        if src.H == src.KV and dst.H != dst.KV:
            raise ScaleError(
                "the source has heads == kv_heads, so its export has no "
                "repeat_kv structure to scale into GQA; use a GQA source such "
                "as llama2c_stories260K_b1_s256_inline.onnx")
        self.weight_map = {1: 1}
        # A query width that differs from d_model only in the target is
        # placed by position in the projections (weight_dims' proj).
        self.by_position = self.src["QD"] == self.src["D"] and \
            self.dst["QD"] != self.dst["D"]
        for role in ("D", "QD", "KVD", "F", "V", "S"):
            if role == "QD" and self.by_position:
                continue
            s, d = self.src[role], self.dst[role]
            if self.weight_map.get(s, d) != d:
                raise ScaleError("initializer dim %d is ambiguous (role %s)" %
                                 (s, role))
            self.weight_map[s] = d

    PROJECTION_ROLES = {"wq": ("D", "QD"), "wk": ("D", "KVD"),
                        "wv": ("D", "KVD"), "wo": ("QD", "D")}

    def weight_dims(self, name, dims, proj=None):
        if self.by_position and proj in self.PROJECTION_ROLES:
            roles = self.PROJECTION_ROLES[proj]
            if dims != [self.src[r] for r in roles]:
                raise ScaleError("projection weight '%s' of %s has dims %s, "
                                 "expected %s" % (name, proj, dims, list(roles)))
            return [self.dst[r] for r in roles]
        out = []
        for d in dims:
            if d not in self.weight_map:
                raise ScaleError("initializer '%s' has dim %d, which is no "
                                 "known model dim" % (name, d))
            out.append(self.weight_map[d])
        return out

    def is_shape_target(self, vals):
        return len(vals) >= 3 and vals[0] == 1 and vals[1] == self.src["S"]

    def shape_target(self, vals):
        results = set()
        for layout in self.LAYOUTS:
            if len(layout) != len(vals) - 1:
                continue
            out = [1]
            for role, v in zip(layout, vals[1:]):
                if isinstance(role, int):
                    if v != role:
                        break
                    out.append(v)
                elif self.src[role] != v:
                    break
                else:
                    out.append(self.dst[role])
            else:
                results.add(tuple(out))
        if len(results) != 1:
            raise ScaleError("shape constant %s matches %s llama2.c layouts" %
                             (vals, "no" if not results else "conflicting"))
        return list(results.pop())

    def rope_table(self, arr):
        s, d = self.src, self.dst
        if arr.shape != (1, s["S"], 1, s["HD2"]):
            return None
        freqs = 1.0 / (10000.0 ** (np.arange(0, d["HD"], 2)[:d["HD2"]]
                                   .astype(np.float32) / d["HD"]))
        ang = np.outer(np.arange(d["S"], dtype=np.float32), freqs)
        is_cos = abs(float(arr.flat[0]) - 1.0) < 1e-6
        table = np.cos(ang) if is_cos else np.sin(ang)
        return table.astype(arr.dtype).reshape(1, d["S"], 1, d["HD2"])

    def constant(self, node):
        """Returns a rescaled value for a Constant node, or None to keep it."""
        arr = const_array(node)
        if arr is None:
            return None
        if arr.dtype.kind in "iu":
            vals = [int(x) for x in arr.reshape(-1)]
            if arr.ndim == 1 and self.is_shape_target(vals):
                return np.array(self.shape_target(vals), dtype=arr.dtype)
            return None
        if arr.dtype.kind != "f":
            return None
        if arr.size == 1:
            if math.isclose(float(arr.reshape(-1)[0]), math.sqrt(self.src["HD"]),
                            rel_tol=1e-6):
                return np.array(math.sqrt(self.dst["HD"]),
                                dtype=arr.dtype).reshape(arr.shape)
            return None
        rope = self.rope_table(arr)
        if rope is not None:
            return rope
        raise ScaleError("float constant '%s' of shape %s is not a RoPE "
                         "table; do not know how to rescale it" %
                         (node.name, list(arr.shape)))


def set_constant(node, arr):
    for a in node.attribute:
        if a.name == "value":
            a.t.CopyFrom(numpy_helper.from_array(arr, a.t.name))


def scale_type_dims(vi, mapper):
    for d in vi.type.tensor_type.shape.dim:
        if d.HasField("dim_value"):
            d.dim_value = mapper.weight_dims(vi.name, [d.dim_value])[0]


def build(src_model, layers, mapper, data_name):
    g = src_model.graph
    inits = {t_.name: t_ for t_ in g.initializer}
    producers = {o: n for n in g.node for o in n.output}
    blocks = {}
    for n in g.node:
        li = layer_of(n)
        if li is not None:
            blocks.setdefault(li, []).append(n)
    if not blocks or sorted(blocks) != list(range(len(blocks))):
        raise ScaleError("no %s<i>/ blocks numbered 0..L-1" % _TAG[0])
    nsrc = len(blocks)
    if nsrc < 2:
        raise ScaleError("the source has one layer; two are needed to see "
                         "how layers chain")
    sig = lambda li: [(n.op_type, rel_name(n.name, li)) for n in blocks[li]]
    for li in range(2, nsrc):
        if sig(li) != sig(1):
            raise ScaleError("layer %d differs from layer 1 in structure" % li)
    block_out = {li: {o for n in blocks[li] for o in n.output} for li in blocks}
    users = {}  # value -> set of layer indices (None outside blocks)
    for n in g.node:
        for x in n.input:
            users.setdefault(x, set()).add(layer_of(n))
    for o in g.output:
        users.setdefault(o.name, set()).add(None)

    # Layer 0 is kept as exported (it may differ: it reads the embedding and
    # the mask without an Identity); layers 1..N-1 are clones of the last
    # layer t, the one whose outputs the tail reads.
    t = nsrc - 1
    pos = lambda li: {o: (j, k) for j, n in enumerate(blocks[li])
                      for k, o in enumerate(n.output)}
    prev_pos = pos(t - 1)
    same0 = sig(0) == sig(t)
    per_layer = {x for x in inits if users.get(x) and len(users[x]) == 1 and
                 None not in users[x]}
    mask_identity = {}  # template input -> shared initializer behind Identity
    for n in blocks[t]:
        for x in n.input:
            p = producers.get(x)
            if p is not None and layer_of(p) is None and \
                    p.op_type == "Identity" and p.input[0] in inits:
                mask_identity[x] = p.input[0]
    mm_counter = [max([int(m.group(1)) for m in
                       (re.search(r"_(\d+)$", v) for v in
                        list(inits) + list(producers)) if m] + [0]) + 1]

    def fresh(prefix):
        mm_counter[0] += 1
        return "%s_%d" % (prefix, mm_counter[0])

    # Per-layer weight names such as `layers.3.ffn_norm.weight`.
    weight_re = re.compile(
        r"((?:^|[./])(?:layers|h|blocks|block|layer|encoder_layer|"
        r"decoder_layer)[._])%d\." % t)

    def internal(x, i):
        """Name in clone i of the template's value x."""
        if pfx(t) in x:
            return x.replace(pfx(t), pfx(i))
        return "%s_L%d" % (x, i)

    def in_layer(i, j, k):
        """Output k of node j of layer i (layer 0 as exported, or a clone)."""
        if i > 0:
            return internal(blocks[t][j].output[k], i)
        if same0:
            return blocks[0][j].output[k]
        # Layer 0 differs in structure (e.g. exporter CSE): match by name.
        name = blocks[t][j].output[k].replace(pfx(t), pfx(0))
        if name not in block_out[0]:
            raise ScaleError("layer 0 differs from layer %d in structure, so "
                             "its outputs cannot be matched" % t)
        return name

    new_inits, new_nodes, prelude_ident = [], [], []
    for i in range(1, layers):
        rename = {}
        for nt in blocks[t]:
            for x in nt.input:
                if not x or x in rename:
                    continue
                if x in block_out[t]:
                    rename[x] = internal(x, i)
                elif x in per_layer:
                    name = (weight_re.sub(r"\g<1>%d." % i, x, 1)
                            if weight_re.search(x)
                            else fresh(x.rsplit("_", 1)[0]))
                    new_inits.append(_copy(inits[x], name))
                    rename[x] = name
                elif x in mask_identity:
                    out = fresh(x.rsplit("_", 1)[0])
                    prelude_ident.append(helper.make_node(
                        "Identity", [mask_identity[x]], [out],
                        name="Identity_L%d" % i))
                    rename[x] = out
                elif x in prev_pos:
                    # The previous layer's output (the residual stream).
                    rename[x] = in_layer(i - 1, *prev_pos[x])
                elif x in producers and layer_of(producers[x]) == 0:
                    rename[x] = x  # computed once in layer 0, read by all
                elif x in producers and layer_of(producers[x]) is not None:
                    raise ScaleError("layer %d reads '%s' from layer %d" %
                                     (t, x, layer_of(producers[x])))
                else:
                    rename[x] = x  # initializer, graph input, prelude value
        for nt in blocks[t]:
            n = onnx.NodeProto()
            n.CopyFrom(nt)
            n.name = nt.name.replace(pfx(t), pfx(i), 1)
            del n.input[:]
            n.input.extend([rename.get(x, x) for x in nt.input])
            del n.output[:]
            n.output.extend([internal(o, i) if o else o for o in nt.output])
            new_nodes.append(n)

    # Prelude (before the blocks) and tail (reading block outputs); the
    # tail and the graph outputs now read the last clone.
    last_pos = pos(t)
    tail_rename = {x: in_layer(layers - 1, j, k)
                   for x, (j, k) in last_pos.items()}
    prelude, tail = [], []
    downstream = set()
    for n in g.node:
        if layer_of(n) is not None:
            downstream.update(n.output)
            continue
        # Mask Identities of layers 1..L-1 were regenerated above.
        if n.op_type == "Identity" and n.input[0] in inits and \
                all(users.get(o) and not users[o] & {None, 0}
                    for o in n.output):
            continue
        c = onnx.NodeProto()
        c.CopyFrom(n)
        del c.input[:]
        c.input.extend([tail_rename.get(x, x) for x in n.input])
        if any(x in downstream for x in n.input):
            downstream.update(n.output)
            tail.append(c)
        else:
            prelude.append(c)

    out = onnx.ModelProto()
    out.CopyFrom(src_model)
    og = out.graph
    del og.node[:]
    body = prelude_ident + prelude + list(blocks[0]) + new_nodes + tail
    # Drop prelude values only the dropped layers read.
    used = {x for n in body for x in n.input} | {o.name for o in g.output}
    used |= {tail_rename.get(o.name, o.name) for o in g.output}
    pruned = True
    while pruned:
        keep = [n for n in body if layer_of(n) is not None or
                any(o in used for o in n.output)]
        pruned = len(keep) != len(body)
        body = keep
        used = {x for n in body for x in n.input} | \
            {tail_rename.get(o.name, o.name) for o in g.output}
    og.node.extend(body)
    for o in og.output:
        o.name = tail_rename.get(o.name, o.name)
    kept = [t_ for t_ in g.initializer
            if t_.name not in per_layer or users[t_.name] == {0}]
    del og.initializer[:]
    og.initializer.extend([_copy(t_) for t_ in kept] + new_inits)
    del og.value_info[:]

    # Rescale.
    if mapper is not None:
        # The attention projection each weight feeds (by position, when the
        # query width leaves d_model).
        proj_of = {}
        for n in og.node:
            m = re.search(r"/(wq|wk|wv|wo)/MatMul$", n.name)
            if n.op_type == "MatMul" and m and len(n.input) == 2:
                proj_of[n.input[1]] = m.group(1)
        for t_ in og.initializer:
            new = mapper.weight_dims(t_.name, list(t_.dims), proj_of.get(t_.name))
            del t_.dims[:]
            t_.dims.extend(new)
        for n in og.node:
            if n.op_type == "Constant":
                arr = mapper.constant(n)
                if arr is not None:
                    set_constant(n, arr)
        for vi in list(og.input) + list(og.output):
            scale_type_dims(vi, mapper)

    # Graph-only: every initializer points into a data file that is absent.
    offset = 0
    for t_ in og.initializer:
        nbytes = int(np.prod(t_.dims, dtype=np.int64)) * \
            np.dtype(onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[t_.data_type]).itemsize
        for f in ("raw_data", "float_data", "int32_data", "int64_data",
                  "double_data", "uint64_data", "string_data"):
            t_.ClearField(f)
        del t_.external_data[:]
        t_.data_location = onnx.TensorProto.EXTERNAL
        for k, v in (("location", data_name), ("offset", str(offset)),
                     ("length", str(nbytes))):
            e = t_.external_data.add()
            e.key, e.value = k, v
        offset += nbytes
    return out, offset


def _copy(t, name=None):
    c = onnx.TensorProto()
    c.CopyFrom(t)
    if name is not None:
        c.name = name
    return c


def check_with_onnx(model, data_bytes, data_name):
    """onnx.checker needs the data file: check against a sparse placeholder."""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "model.onnx")
        onnx.save(model, path)
        with open(os.path.join(d, data_name), "wb") as f:
            f.truncate(data_bytes)
        onnx.checker.check_model(path)
    inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True,
                                                 data_prop=True)
    unknown = 0
    for vi in inferred.graph.value_info:
        tt = vi.type.tensor_type
        if not tt.HasField("shape") or any(
                not d.HasField("dim_value") for d in tt.shape.dim):
            unknown += 1
    return len(inferred.graph.value_info), unknown


def verify_with_tfperf(binary, path, static):
    """Imports with tfperf-opt; no dim may be unknown (symbolic dims named
    after dim_params are fine unless the graph is static)."""
    r = subprocess.run([binary, path], capture_output=True, text=True)
    if r.returncode != 0:
        raise ScaleError("tfperf-opt failed on %s:\n%s" % (path, r.stderr))
    types = re.findall(r"tensor<(?:[^<>]|<[^<>]*>)*>", r.stdout)
    unknown = [t for t in types if t.startswith("tensor<*") or "'?'" in t or
               ("?" in t and "#tfperf.dims" not in t)]
    if unknown or (static and any("?" in t for t in types)):
        bad = unknown or [t for t in types if "?" in t]
        raise ScaleError("tfperf left %d types not fully %s, e.g. %s" %
                         (len(bad), "static" if static else "known", bad[0]))
    symbolic = sum("?" in t for t in types)
    return len(types), symbolic


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("src", nargs="?", default=DEFAULT_SRC,
                    help="llama2.c export to start from (default: %(default)s)")
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--layers", type=int, help="layer count (default: keep)")
    ap.add_argument("--preset", choices=sorted(PRESETS))
    for k in ("dim", "heads", "kv-heads", "ffn", "vocab", "seq"):
        ap.add_argument("--" + k, type=int)
    ap.add_argument("--head-dim", type=int,
                    help="attention head width (default: dim / heads); "
                         "heads x head-dim may differ from dim (Qwen3)")
    ap.add_argument("--no-check", action="store_true",
                    help="skip onnx.checker and onnx shape inference")
    ap.add_argument("--verify-with", metavar="TFPERF_OPT",
                    help="import the result with this tfperf-opt and require "
                         "fully static types")
    args = ap.parse_args()

    src_model = onnx.load(args.src, load_external_data=False)
    try:
        detect_tag(src_model)
        want = dict(PRESETS.get(args.preset, {}))
        for k in ("dim", "heads", "kv_heads", "ffn", "vocab", "seq"):
            if getattr(args, k) is not None:
                want[k] = getattr(args, k)
        mapper = None
        src_cfg = None
        if want:
            src_cfg = detect_config(src_model)
            full = dict(dim=src_cfg.D, heads=src_cfg.H, kv_heads=src_cfg.KV,
                        ffn=src_cfg.F, vocab=src_cfg.V, seq=src_cfg.S)
            full.update(want)
            dst_cfg = Config(full["seq"], full["dim"], full["heads"],
                             full["kv_heads"],
                             args.head_dim or full["dim"] // full["heads"],
                             full["ffn"], full["vocab"])
            mapper = DimMapper(src_cfg, dst_cfg)
        else:
            dst_cfg = "dims unchanged"
        nblocks = len({layer_of(n) for n in src_model.graph.node} - {None})
        layers = args.layers or nblocks
        data_name = os.path.basename(args.output) + ".data"
        model, data_bytes = build(src_model, layers, mapper, data_name)
        model.producer_name = src_model.producer_name
        model.doc_string = ("tfperf bench/make_scaled_graph.py: %d layers, %s, "
                            "from %s" % (layers, dst_cfg,
                                         os.path.basename(args.src)))
        os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
        onnx.save(model, args.output)
        params = sum(int(np.prod(t.dims, dtype=np.int64))
                     for t in model.graph.initializer)
        print("%s: %d nodes, %d initializers (%.3fG elements, %.1f MB of "
              "absent external data), %d layers, %s" %
              (args.output, len(model.graph.node), len(model.graph.initializer),
               params / 1e9, data_bytes / 1e6, layers, dst_cfg))
        if not args.no_check:
            nvals, unknown = check_with_onnx(model, data_bytes, data_name)
            print("  onnx.checker ok; onnx shape inference (strict, data_prop): "
                  "%d values, %d not fully static" % (nvals, unknown))
        if args.verify_with:
            static = not any(d.HasField("dim_param")
                             for vi in model.graph.input
                             for d in vi.type.tensor_type.shape.dim)
            n, symbolic = verify_with_tfperf(args.verify_with, args.output,
                                             static)
            print("  tfperf-opt import ok: %d types, 0 unknown dims%s" %
                  (n, ", all static" if static else
                   ", %d with symbolic dims" % symbolic))
    except ScaleError as e:
        print("make_scaled_graph: error: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
