#!/usr/bin/python3
"""Counts the GEMM FLOPs of a GPT-2 BeamSearch (com.microsoft, model_type
0) over a whole generation, independently of tfperf, and compares them with
tfperf's report.

The count reads the decoder subgraph with the onnx package: every MatMul
multiplies the R x S token rows by its 2-D weight (2 R S K N), every
com.microsoft Attention projects them to Q, K and V (2 R S D 3D) and
multiplies Q by K^T and the scores by V over the S + past keys
(2 x 2 R S (past + S) D). onnxruntime's schedule (beam_search_impl_gpt.h):
R = batch x num_beams rows, max_length - prompt runs, the first over the
whole prompt with no past, each later one over one token after a past one
token longer.

Usage: check_gpt_beamsearch.py MODEL REPORT_JSON batch=B prompt=P
       max_length=M num_beams=K
Prints the count per run kind and the comparison; exits 1 on a mismatch.
"""
import json
import sys

import onnx


def shapes_of(graph, outer):
    found = dict(outer)
    for init in graph.initializer:
        found[init.name] = list(init.dims)
    return found


def gemm_flops_per_run(decoder, weights, rows, tokens, past):
    """The decoder's GEMM FLOPs at one run."""
    total = 0
    keys = past + tokens
    for node in decoder.node:
        if node.op_type == "MatMul":
            w = weights.get(node.input[1])
            if w is None or len(w) != 2:
                sys.exit("MatMul %s: its B is not a 2-D weight" % node.name)
            total += 2 * rows * tokens * w[0] * w[1]
        elif node.op_type == "Attention" and node.domain == "com.microsoft":
            w = weights[node.input[1]]
            d_in, d3 = w
            d = d3 // 3
            total += 2 * rows * tokens * d_in * d3
            total += 2 * (2 * rows * tokens * keys * d)
    return total


def main():
    model_path, report_path = sys.argv[1], sys.argv[2]
    args = dict(a.split("=") for a in sys.argv[3:])
    batch, prompt = int(args["batch"]), int(args["prompt"])
    max_length, beams = int(args["max_length"]), int(args["num_beams"])
    # Only the shapes matter: weights stored elsewhere need not be there.
    model = onnx.load(model_path, load_external_data=False)
    search = next(n for n in model.graph.node if n.op_type == "BeamSearch")
    decoder = next(a.g for a in search.attribute if a.name == "decoder")
    weights = shapes_of(decoder, shapes_of(model.graph, {}))
    rows = batch * beams
    runs = max_length - prompt
    first = gemm_flops_per_run(decoder, weights, rows, prompt, 0)
    later = sum(gemm_flops_per_run(decoder, weights, rows, 1, prompt + j - 1)
                for j in range(1, runs))
    vocab = decoder.output[0].type.tensor_type.shape.dim[2].dim_value
    search_flops = runs * rows * vocab * 7
    print("runs %d: first %d, later %d, gemm %d; search %d"
          % (runs, first, later, first + later, search_flops))
    report = json.load(open(report_path))
    got = report["totals"]["gemm_flops"]
    row = next(o for o in report["ops"] if o["name"] == search.name)
    ok = got == first + later and row["flops"] == search_flops
    print("%s gemm_flops %d, counted %d; search %s, counted %d"
          % ("ok" if ok else "FAIL", got, first + later, row["flops"],
             search_flops))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
