#!/usr/bin/python3
"""Builds a graph-only GPT-style decoder (pre-norm, MHA or GQA, GELU or
SwiGLU MLP) as an ONNX file, for tests that need a controlled architecture.
Weights are external data in a file that is never written.

  gen_transformer.py -o out.onnx --layers 2 --d 64 --heads 4 [--kv-heads 2]
      [--ffn 256] [--vocab 512] [--batch 1 --seq 16 | --symbolic]
      [--past] [--gated] [--causal] [--megatron]

--symbolic makes batch and seq dim_params; --past adds a KV cache per
layer (past_key_i/past_value_i [batch, kv_heads, past, d_head] inputs,
concatenated in front of the new keys/values, present_* outputs);
--causal adds a causal mask (a constant buffer sliced to the lengths).
--megatron lays the layer out as Megatron-LM's GPT: one fused QKV
projection (split into Q, K and V), biases on every linear, and the MLP's
bias and GELU as one com.microsoft BiasGelu (Megatron's fused bias_gelu).
"""
import argparse

import numpy as np
import onnx
from onnx import TensorProto, helper


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--d", type=int, default=64)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--kv-heads", type=int, default=0)
    ap.add_argument("--ffn", type=int, default=0)
    ap.add_argument("--vocab", type=int, default=512)
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--seq", type=int, default=16)
    ap.add_argument("--max-pos", type=int, default=2048)
    ap.add_argument("--symbolic", action="store_true")
    ap.add_argument("--past", action="store_true")
    ap.add_argument("--gated", action="store_true")
    ap.add_argument("--causal", action="store_true")
    ap.add_argument("--megatron", action="store_true")
    a = ap.parse_args()
    d, H = a.d, a.heads
    KV = a.kv_heads or H
    dh = d // H
    ffn = a.ffn or 4 * d
    nodes, inits, inputs, outputs = [], [], [], []
    counter = [0]

    def name(base):
        counter[0] += 1
        return "%s_%d" % (base, counter[0])

    def weight(wname, dims):
        t = onnx.TensorProto()
        t.name = wname
        t.data_type = TensorProto.FLOAT
        t.dims.extend(dims)
        t.data_location = TensorProto.EXTERNAL
        for k, v in (("location", "weights.absent"), ("offset", "0"),
                     ("length", str(4 * int(np.prod(dims))))):
            e = t.external_data.add()
            e.key, e.value = k, v
        inits.append(t)
        return wname

    def const(cname, values, dtype=TensorProto.INT64):
        arr = np.array(values, dtype=np.int64 if dtype == TensorProto.INT64
                       else np.float32)
        nodes.append(helper.make_node(
            "Constant", [], [cname], name=cname,
            value=helper.make_tensor(cname + "_v", dtype, arr.shape,
                                     arr.flatten().tolist())))
        return cname

    def node(op, ins, nout=1, **attrs):
        outs = [name(op.lower()) for _ in range(nout)]
        nodes.append(helper.make_node(op, ins, outs, name=outs[0], **attrs))
        return outs[0] if nout == 1 else outs

    B = "batch" if a.symbolic else a.batch
    S = "seq" if a.symbolic or a.past else a.seq
    ids = helper.make_tensor_value_info("ids", TensorProto.INT64, [B, S])
    inputs.append(ids)
    x = node("Gather", [weight("wte", [a.vocab, d]), "ids"])
    heads_shape = {}
    for n, h in (("q", H), ("kv", KV)):
        heads_shape[n] = const("shape_%s" % n, [0, 0, h, dh])
    merge = const("shape_merge", [0, 0, d])
    scale = const("scale", [1.0 / np.sqrt(dh)], TensorProto.FLOAT)
    if a.causal:
        mask = weight("causal_mask", [1, 1, a.max_pos, a.max_pos])
        zero = const("zero", [0])
    for layer in range(a.layers):
        p = "l%d." % layer
        ln1 = node("LayerNormalization",
                   [x, weight(p + "ln1.g", [d]), weight(p + "ln1.b", [d])],
                   axis=-1)
        if a.megatron:
            qkv = node("Add", [node("MatMul", [ln1, weight(p + "wqkv", [d, (H + 2 * KV) * dh])]),
                               weight(p + "bqkv", [(H + 2 * KV) * dh])])
            q, k, v = node("Split", [qkv, const(name("split"), [H * dh, KV * dh, KV * dh])],
                           nout=3, axis=-1)
        else:
            q = node("MatMul", [ln1, weight(p + "wq", [d, H * dh])])
            k = node("MatMul", [ln1, weight(p + "wk", [d, KV * dh])])
            v = node("MatMul", [ln1, weight(p + "wv", [d, KV * dh])])
        q = node("Transpose", [node("Reshape", [q, heads_shape["q"]])],
                 perm=[0, 2, 1, 3])
        k = node("Transpose", [node("Reshape", [k, heads_shape["kv"]])],
                 perm=[0, 2, 1, 3])
        v = node("Transpose", [node("Reshape", [v, heads_shape["kv"]])],
                 perm=[0, 2, 1, 3])
        if a.past:
            pk, pv = "past_key_%d" % layer, "past_value_%d" % layer
            for nm in (pk, pv):
                inputs.append(helper.make_tensor_value_info(
                    nm, TensorProto.FLOAT, [B, KV, "past", dh]))
            k = node("Concat", [pk, k], axis=2)
            v = node("Concat", [pv, v], axis=2)
            for nm, val in (("present_key_%d" % layer, k),
                            ("present_value_%d" % layer, v)):
                nodes.append(helper.make_node("Identity", [val], [nm], name=nm))
                outputs.append(helper.make_tensor_value_info(
                    nm, TensorProto.FLOAT, None))
        if KV != H:
            # GQA: repeat each KV head for its group of query heads.
            rep = H // KV
            def repeat(t):
                t = node("Unsqueeze", [t, const(name("ax"), [2])])
                shp = node("Shape", [t])
                tgt = node("Concat", [node("Slice", [shp, const(name("s"), [0]),
                                                     const(name("e"), [2])]),
                                      const(name("r"), [rep]),
                                      node("Slice", [shp, const(name("s"), [3]),
                                                     const(name("e"), [5])])],
                           axis=0)
                t = node("Expand", [t, tgt])
                return node("Reshape", [t, const(name("m"), [0, H, -1, dh])])
            k, v = repeat(k), repeat(v)
        s = node("MatMul", [q, node("Transpose", [k], perm=[0, 1, 3, 2])])
        s = node("Mul", [s, scale])
        if a.causal:
            # mask[:, :, T - S:T, :T] of the buffer, from the lengths.
            shp = node("Shape", [s])
            T = node("Slice", [shp, const(name("s"), [3]), const(name("e"), [4])])
            Sq = node("Slice", [shp, const(name("s"), [2]), const(name("e"), [3])])
            rows = node("Slice", [mask, node("Sub", [T, Sq]), T,
                                  const(name("ax"), [2])])
            m = node("Slice", [rows, zero, T, const(name("ax"), [3])])
            s = node("Add", [s, m])
        pr = node("Softmax", [s], axis=-1)
        o = node("MatMul", [pr, v])
        o = node("Reshape", [node("Transpose", [o], perm=[0, 2, 1, 3]), merge])
        o = node("MatMul", [o, weight(p + "wo", [d, d])])
        if a.megatron:
            o = node("Add", [o, weight(p + "bo", [d])])
        x = node("Add", [x, o])
        ln2 = node("LayerNormalization",
                   [x, weight(p + "ln2.g", [d]), weight(p + "ln2.b", [d])],
                   axis=-1)
        up = node("MatMul", [ln2, weight(p + "w1", [d, ffn])])
        if a.megatron:
            act = node("BiasGelu", [up, weight(p + "b1", [ffn])],
                       domain="com.microsoft")
        elif a.gated:
            gate = node("MatMul", [ln2, weight(p + "w3", [d, ffn])])
            act = node("Mul", [node("Mul", [gate, node("Sigmoid", [gate])]), up])
        else:
            two = const(name("sqrt2"), [1.41421356], TensorProto.FLOAT)
            one = const(name("one"), [1.0], TensorProto.FLOAT)
            half = const(name("half"), [0.5], TensorProto.FLOAT)
            act = node("Mul", [node("Mul", [up, node("Add", [node("Erf", [
                node("Div", [up, two])]), one])]), half])
        down = node("MatMul", [act, weight(p + "w2", [ffn, d])])
        if a.megatron:
            down = node("Add", [down, weight(p + "b2", [d])])
        x = node("Add", [x, down])
    lnf = node("LayerNormalization",
               [x, weight("lnf.g", [d]), weight("lnf.b", [d])], axis=-1)
    logits = node("MatMul", [lnf, weight("lm_head", [d, a.vocab])])
    nodes.append(helper.make_node("Identity", [logits], ["logits"],
                                  name="logits"))
    outputs.insert(0, helper.make_tensor_value_info("logits", TensorProto.FLOAT,
                                                    None))
    graph = helper.make_graph(nodes, "gen_transformer", inputs, outputs, inits)
    opsets = [helper.make_opsetid("", 17)]
    if a.megatron:
        opsets.append(helper.make_opsetid("com.microsoft", 1))
    model = helper.make_model(graph, opset_imports=opsets)
    model.ir_version = 8
    onnx.save(model, a.output)


if __name__ == "__main__":
    main()
