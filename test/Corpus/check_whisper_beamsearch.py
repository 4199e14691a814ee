#!/usr/bin/python3
"""Counts the GEMM FLOPs of a Whisper BeamSearch (com.microsoft BeamSearch
with model_type 2, or WhisperBeamSearch) over a whole generation,
independently of tfperf, and compares them with tfperf's report.

Rather than a formula for the runs' sizes, the count executes the subgraphs
on zero tensors with numpy, feeding them as onnxruntime does
(beam_search_impl_whisper.h; subgraph_whisper_encoder.cc and
subgraph_whisper_decoder.cc, CreateInitialFeeds): the encoder once on
input_features and decoder_input_ids [batch, start]; then the decoder
max_length - start - 1 times on batch x num_beams rows, its input_ids one
token, its past inputs the encoder's outputs from encoder_hidden_states on
(each row repeated num_beams times), later runs' self pasts the previous
run's presents. Every MatMul adds 2 x (its output's elements) x (the
contracted dim). It knows the few ops the test graphs use.

Usage: check_whisper_beamsearch.py MODEL REPORT_JSON batch=B start=L0
       max_length=M num_beams=K
Prints the count and the comparison; exits 1 on a mismatch.
"""
import json
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def run_graph(graph, feeds):
    """Runs `graph` on `feeds`; returns its outputs and its MatMul FLOPs."""
    env = dict(feeds)
    flops = 0
    for node in graph.node:
        ins = [env[i] for i in node.input if i]
        attrs = {a.name: onnx.helper.get_attribute_value(a)
                 for a in node.attribute}
        op = node.op_type
        if op == "Constant":
            out = numpy_helper.to_array(attrs["value"])
        elif op == "Gather":
            out = np.take(ins[0], ins[1], axis=attrs.get("axis", 0))
        elif op == "Reshape":
            shape = [d if d != 0 else ins[0].shape[i]
                     for i, d in enumerate(ins[1])]
            out = ins[0].reshape(shape)
        elif op == "Concat":
            out = np.concatenate(ins, axis=attrs["axis"])
        elif op == "Transpose":
            out = np.transpose(ins[0], attrs["perm"])
        elif op == "Identity":
            out = ins[0]
        elif op == "MatMul":
            out = np.matmul(ins[0], ins[1])
            flops += 2 * out.size * ins[0].shape[-1]
        else:
            sys.exit("op %s is not one this count knows" % op)
        env[node.output[0]] = out
    return [env[o.name] for o in graph.output], flops


def main():
    model_path, report_path = sys.argv[1], sys.argv[2]
    args = dict(a.split("=") for a in sys.argv[3:])
    batch, start = int(args["batch"]), int(args["start"])
    max_length, beams = int(args["max_length"]), int(args["num_beams"])
    model = onnx.load(model_path)
    search = next(n for n in model.graph.node
                  if n.op_type in ("BeamSearch", "WhisperBeamSearch"))
    graphs = {a.name: a.g for a in search.attribute if a.type == a.GRAPH}
    encoder, decoder = graphs["encoder"], graphs["decoder"]
    feats_dims = [d.dim_value for d in
                  model.graph.input[0].type.tensor_type.shape.dim]
    feats = np.zeros(feats_dims, np.float32)
    start_ids = np.zeros([batch, start], np.int32)
    enc_out, enc_flops = run_graph(
        encoder, {encoder.input[0].name: feats,
                  encoder.input[1].name: start_ids})
    rows = batch * beams
    runs = max_length - start - 1
    # The decoder's inputs after input_ids come from the encoder's outputs
    # from encoder_hidden_states on (or from the self pasts on, without it).
    with_hidden = decoder.input[1].name == "encoder_hidden_states"
    fed = enc_out[1:] if with_hidden else enc_out[2:]
    past = [np.repeat(t, beams, axis=0) for t in fed]
    first_past = 2 if with_hidden else 1
    layers = (len(decoder.input) - first_past) // 4
    dec_flops, pasts = 0, []
    for _ in range(runs):
        feeds = {decoder.input[0].name: np.zeros([rows, 1], np.int32)}
        for inp, t in zip(decoder.input[1:], past):
            feeds[inp.name] = t
        out, f = run_graph(decoder, feeds)
        dec_flops += f
        pasts.append(past[first_past - 1].shape[2])
        # The presents replace the self pasts; the cross pasts stay.
        selfs = out[1:1 + 2 * layers]
        past = past[:first_past - 1] + selfs + past[first_past - 1 + 2 * layers:]
    vocab = decoder.output[0].type.tensor_type.shape.dim[2].dim_value
    search_flops = (runs + 1) * rows * vocab * 7
    frames = feats_dims[2]
    print("runs %d, past %d..%d, frames %d: encoder %d, decoder %d, search %d"
          % (runs, pasts[0], pasts[-1], frames, enc_flops, dec_flops,
             search_flops))
    report = json.load(open(report_path))
    got = report["totals"]["gemm_flops"]
    row = next(o for o in report["ops"] if o["op"].endswith("BeamSearch"))
    counted = enc_flops + dec_flops
    ok = got == counted and row["flops"] == search_flops
    print("%s gemm_flops %d, counted %d; search %s, counted %d"
          % ("ok" if ok else "FAIL", got, counted, row["flops"],
             search_flops))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
