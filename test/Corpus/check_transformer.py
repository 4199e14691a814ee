#!/usr/bin/python3
"""Checks the transformer analysis of every corpus graph against its
reference config (ref/<model>.json "config").

For each model, runs `tfperf-opt --analyze-roofline --phase=both
--report=<json>` and compares the "transformer" section with the dims the
model's own config implies. The configs come in the styles of their source
repositories (nanoGPT, llama2.c, torchvision ViT, Whisper, nn.Transformer,
DiT, ...); EXPECT below maps each style to n_layers, d_model, n_heads,
n_kv_heads, d_ff, vocab and max positions. Dims the graph cannot show are
not compared (e.g. a Whisper decoder's 448 positions when the export cut
the table at the traced length: the report then says ">=" and the check is
that the reported value is at most the config's). Graphs without a config
(ORT test graphs) are checked for consistency only: d_model = heads x
d_head, KV bytes per token = 2 x layers x KV heads x d_head x 4 (fp32),
and vocab / max positions = the rows of the tables the ONNX file looks up
with its inputs named input_ids / position_ids (read with python onnx).

Per-block GEMM FLOPs must equal the domain doc's per-module formulas
(8·b·s·d² + 4·b·s²·d for multi-head self-attention with GQA's smaller K/V
projections, 2·b·s·d·d_ff per MLP matrix) on the single-kind graphs, and
the reference's own per-block figures where it has them (the video DiT's
spatial, temporal and cross attention).

Also checks what every transformer graph must report: both phases (decode
derived or measured), the KV cache, the attention/MLP crossover, attention
kinds and causality where the config implies them.

Usage: check_transformer.py CORPUS_DIR TFPERF_BIN_DIR
"""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from check_corpus import report, valid_models  # noqa: E402

# DiT's configs name the architecture only; its dims are Table 1 of Peebles
# & Xie, "Scalable Diffusion Models with Transformers" (depth, hidden,
# heads), with mlp_ratio 4 and (input_size / patch)^2 positions.
DIT_ARCHS = {"DiT-S": (12, 384, 6), "DiT-B": (12, 768, 12),
             "DiT-L": (24, 1024, 16), "DiT-XL": (28, 1152, 16)}


def llama2c_hidden(dim, multiple_of):
    hidden = int(2 * (4 * dim) / 3)
    return multiple_of * ((hidden + multiple_of - 1) // multiple_of)


def expected(name, ref):
    """The dims the config implies, or None when there is no config.
    Keys absent from the result are not compared."""
    c = ref.get("config")
    if not c:
        return None
    if "n_embd" in c:  # nanoGPT
        return dict(n_layers=c["n_layer"], d_model=c["n_embd"], n_heads=c["n_head"],
                    n_kv_heads=c["n_head"], d_ff=4 * c["n_embd"], vocab=c["vocab_size"],
                    max_positions=c["block_size"], causal=True, kinds=["self"])
    if "multiple_of" in c:  # llama2.c
        return dict(n_layers=c["n_layers"], d_model=c["dim"], n_heads=c["n_heads"],
                    n_kv_heads=c["n_kv_heads"], d_ff=llama2c_hidden(c["dim"], c["multiple_of"]),
                    vocab=c["vocab_size"], max_positions=c["max_seq_len"], causal=True,
                    kinds=["self"], gated=True)
    if "ffn" in c and "max_pos" in c:  # nn.Transformer BERT-shaped encoder
        return dict(n_layers=c["layers"], d_model=c["d_model"], n_heads=c["heads"],
                    n_kv_heads=c["heads"], d_ff=c["ffn"], vocab=c["vocab"],
                    max_positions=c["max_pos"], causal=False, kinds=["self"])
    if "hidden_dim" in c:  # torchvision ViT
        tokens = (c["image_size"] // c["patch_size"]) ** 2 + 1
        return dict(n_layers=c["num_layers"], d_model=c["hidden_dim"], n_heads=c["num_heads"],
                    n_kv_heads=c["num_heads"], d_ff=c["mlp_dim"], vocab=None,
                    max_positions=tokens, causal=False, kinds=["self"])
    if "n_audio_state" in c:  # Whisper
        if "encoder" in name:
            return dict(n_layers=c["n_audio_layer"], d_model=c["n_audio_state"],
                        n_heads=c["n_audio_head"], n_kv_heads=c["n_audio_head"],
                        d_ff=4 * c["n_audio_state"], vocab=None,
                        max_positions=c["n_audio_ctx"], causal=False, kinds=["self"])
        return dict(n_layers=c["n_text_layer"], d_model=c["n_text_state"],
                    n_heads=c["n_text_head"], n_kv_heads=c["n_text_head"],
                    d_ff=4 * c["n_text_state"], vocab=c["n_vocab"],
                    max_positions=c["n_text_ctx"], causal=True, kinds=["self", "cross"])
    if c.get("arch", "").startswith("DiT-"):
        family, patch = c["arch"].split("/")
        depth, hidden, heads = DIT_ARCHS[family]
        return dict(n_layers=depth, d_model=hidden, n_heads=heads, n_kv_heads=heads,
                    d_ff=4 * hidden, vocab=None,
                    max_positions=(c["input_size"] // int(patch)) ** 2, causal=False,
                    kinds=["self"])
    if "frames" in c:  # the video DiT block: factorized space/time attention
        return dict(n_layers=c["layers"], d_model=c["d"], n_heads=c["heads"],
                    n_kv_heads=c["heads"], d_ff=4 * c["d"], vocab=None, causal=False,
                    kinds=["spatial_self", "temporal_self", "cross"])
    if "dims" in c:  # MLPs: no attention
        d = c["dims"]
        return dict(n_layers=1, d_model=d[0], n_heads=None, d_ff=d[1], kinds=[])
    raise SystemExit("%s: unknown config style %s" % (name, sorted(c)))


def check_blocks(t, phases, want, ref):
    """Per-block GEMM FLOPs against the domain doc's per-module formulas
    (or the reference's own per-block figures)."""
    errs = []
    blocks = t["blocks"]
    exp = ref.get("expected_per_block_flops")
    if exp:
        names = {"spatial_self_attention": "spatial_self", "temporal_self_attention": "temporal_self",
                 "cross_attention": "cross", "mlp": "mlp"}
        for key, flops in exp.items():
            got = [b["gemm_flops"] for b in blocks if b["kind"] == names[key]]
            if got != [flops] * len(got) or not got:
                errs.append("%s GEMM FLOPs %r, reference %d" % (key, got, flops))
        return errs
    if want is None or "prefill" not in phases or want.get("kinds") != ["self"]:
        return errs
    b, s = phases["prefill"]["batch"], phases["prefill"]["seq"]
    d, kv, dh, ff = t["d_model"], t["n_kv_heads"], t["d_head"], t["d_ff"]
    # 2bs*d*(d + 2 kv dh) (Q, K, V) + 2bs*d^2 (out) + 4 b s^2 d (QK^T, PV):
    # 8 b s d^2 + 4 b s^2 d for plain multi-head attention.
    attn = 2 * b * s * d * (d + 2 * kv * dh) + 2 * b * s * d * d + 4 * b * s * s * d
    mlp = 2 * b * s * d * ff * (3 if want.get("gated") else 2)
    for blk in blocks:
        expect = attn if blk["kind"] == "self" else mlp
        if blk["gemm_flops"] != expect:
            errs.append("layer %s %s GEMM FLOPs %r, formula %d"
                        % (blk["layer"], blk["kind"], blk["gemm_flops"], expect))
            break
    return errs


VIEW_OPS = {"Cast", "Reshape", "Unsqueeze", "Squeeze", "Flatten", "Identity", "Slice", "Expand"}


def tables_by_input(path):
    """Rows of the embedding tables a graph looks up with its inputs named
    input_ids and position_ids (through casts and reshapes), read from the
    ONNX file itself: {"input_ids": rows, "position_ids": rows}."""
    import onnx
    g = onnx.load(path, load_external_data=False).graph
    rows = {i.name: i.dims[0] for i in g.initializer if i.dims}
    producer = {o: n for n in g.node for o in n.output}
    found = {}
    for n in g.node:
        if n.op_type != "Gather" or n.input[0] not in rows:
            continue
        v = n.input[1]
        for _ in range(6):
            if v in ("input_ids", "position_ids"):
                found.setdefault(v, rows[n.input[0]])
                break
            p = producer.get(v)
            if p is None or p.op_type not in VIEW_OPS:
                break
            v = p.input[0]
    return found


def check(name, t, phases, want):
    errs = []
    if want is not None:
        for key in ("n_layers", "d_model", "n_heads", "n_kv_heads", "d_ff", "vocab"):
            if key in want and t[key] != want[key]:
                errs.append("%s is %r, config says %r" % (key, t[key], want[key]))
        if "max_positions" in want:
            got, cfg = t["max_positions"], want["max_positions"]
            if got is None:
                pass  # not visible in the graph
            elif t["max_positions_lower_bound"]:
                if got > cfg:
                    errs.append("max_positions >= %d exceeds the config's %d" % (got, cfg))
            elif got != cfg:
                errs.append("max_positions is %d, config says %d" % (got, cfg))
        if "causal" in want and t["causal"] != want["causal"]:
            errs.append("causal is %r, expected %r" % (t["causal"], want["causal"]))
        if sorted(t["attention_kinds"]) != sorted(want["kinds"]):
            errs.append("attention kinds %r, expected %r" % (t["attention_kinds"], want["kinds"]))
    if t["n_heads"] is None:
        return errs  # MLP only: no phases to check beyond prefill
    if t["d_model"] != t["n_heads"] * t["d_head"]:
        errs.append("d_model %r != heads %r x d_head %r" % (t["d_model"], t["n_heads"], t["d_head"]))
    if not t["n_kv_heads"] or t["n_heads"] % t["n_kv_heads"]:
        errs.append("heads %r not a multiple of KV heads %r" % (t["n_heads"], t["n_kv_heads"]))
    # One self-attention per layer (attention within and across frames
    # keeps two caches per layer).
    if t["attention_kinds"] == ["self"] or sorted(t["attention_kinds"]) == ["cross", "self"]:
        kv = 2 * t["n_layers"] * t["n_kv_heads"] * t["d_head"] * 4
        if t["kv_cache_bytes_per_token"] != kv:
            errs.append("KV bytes/token %r, 2 x L x kv x d_head x 4 = %d"
                        % (t["kv_cache_bytes_per_token"], kv))
    if t["attention_mlp_crossover_seq"] is None and t["d_ff"] and \
            "costs more than the MLP at any length" not in t.get("crossover_note", ""):
        errs.append("no attention/MLP crossover, and no note saying why")
    decoder = (want or {}).get("causal") or t["causal"] or t["mask"] == "input"
    if decoder and "decode" not in phases:
        errs.append("no decode phase")
    for p in ("prefill", "decode"):
        if p in phases and not phases[p]["flops"] > 0:
            errs.append("%s FLOPs %r" % (p, phases[p]["flops"]))
    if "decode" in phases and phases["decode"]["applicable"] and \
            "prefill" in phases and phases["prefill"]["seq"] > 1:
        if phases["decode"]["bound"] != "memory":
            errs.append("decode at batch %d is %s-bound" % (phases["decode"]["batch"],
                                                            phases["decode"]["bound"]))
    return errs


def main():
    corpus, bindir = sys.argv[1], sys.argv[2]
    opt = os.path.join(bindir, "tfperf-opt")
    failures = 0
    for name, path, ref, b in valid_models(corpus):
        with tempfile.TemporaryDirectory() as tmp:
            rep, err = report(opt, path, b, ["--analyze-roofline", "--hw=a100-sxm-80gb",
                                             "--phase=both", "-o", os.devnull],
                              os.path.join(tmp, "r.json"))
        if rep is None:
            print("FAIL %s: %s" % (name, err))
            failures += 1
            continue
        t = rep.get("transformer")
        if t is None:
            print("FAIL %s: no transformer section" % name)
            failures += 1
            continue
        want = expected(name, ref)
        errs = check(name, t, rep.get("phases", {}), want)
        # Without a config, the tables the graph looks up by input name.
        if want is None:
            tables = tables_by_input(path)
            for key, inp in (("vocab", "input_ids"), ("max_positions", "position_ids")):
                if inp in tables and t[key] != tables[inp]:
                    errs.append("%s is %r, the table looked up by %s has %d rows"
                                % (key, t[key], inp, tables[inp]))
        errs += check_blocks(t, rep.get("phases", {}), want, ref)
        dims = "L=%s d=%s h=%s/%s ff=%s V=%s P=%s%s" % (
            t["n_layers"], t["d_model"], t["n_heads"], t["n_kv_heads"], t["d_ff"],
            t["vocab"], ">=" if t["max_positions_lower_bound"] else "", t["max_positions"])
        if errs:
            failures += 1
            print("FAIL %-40s %s: %s" % (name, dims, "; ".join(errs)))
        else:
            print("ok   %-40s %s %s" % (name, dims, "config" if want else "(no config: consistency)"))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
