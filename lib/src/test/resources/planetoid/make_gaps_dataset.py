#!/usr/bin/env python3
"""Writes the tiny Planetoid-format dataset 'gaps' used by PlanetoidLoaderTest.

Documentation only: the tests read the committed output and never run Python.
Re-run from this folder with `python3 make_gaps_dataset.py` (written with numpy 2.4 and
scipy 1.17; any numpy/scipy that pickle with protocol 2 will do).

The files have the structure of the original ind.cora.* files (scipy CSR matrices for
x/tx/allx, 2-D numpy one-hot arrays for y/ty/ally, a collections.defaultdict(list) of
adjacency lists for graph, a text file of test indices), pickled with protocol 2, plus
the quirks a loader must handle:

  * 8 allx/ally rows (nodes 0..7), 3 x/y rows (train = nodes 0..2),
    so the "next 500" validation nodes are clipped to nodes 3..7;
  * ally row 6 is all zeros (an unlabelled node);
  * test.index lists 11, 8, 14, 10 (unsorted): test node test_index[i] gets tx/ty row i;
    nodes 9, 12 and 13 are gaps (isolated, no tx/ty row), so N = 15;
  * allx row 7 holds a duplicate CSR entry (0.5 + 0.25 at column 0, summed like todense)
    and unsorted column indices;
  * dtypes vary (float32 and float64 CSR data, int32/int64/float64 label arrays);
  * graph has a repeated link, a link listed in both directions, a self-loop and
    an empty list, and no keys for the gap nodes.

It also writes ../bad/ind.gaps.allx.nan: allx with a NaN at row 2, column 1.
"""
import collections
import os
import pickle

import numpy as np
import scipy.sparse as sp

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "gaps")
BAD = os.path.join(HERE, "bad")
F = 4  # features
C = 3  # classes


def allx_dense():
    rows = np.zeros((8, F), dtype=np.float32)
    for r in range(8):
        rows[r, r % F] = r + 1
        rows[r, (r + 1) % F] = 0.5
    return rows


def allx_csr(dense):
    # Build row 7 by hand: column 0 twice (0.5 + 0.25 = 0.75 after summing) and
    # unsorted indices; the other rows come from the dense matrix.
    data, indices, indptr = [], [], [0]
    for r in range(7):
        cols = np.nonzero(dense[r])[0]
        indices.extend(cols.tolist())
        data.extend(dense[r, cols].tolist())
        indptr.append(len(indices))
    # dense row 7 is [0.5, 0, 0, 8]: write it as (3: 8), (0: 0.5), (0: 0.25) -> [0.75, 0, 0, 8]
    indices.extend([3, 0, 0])
    data.extend([8.0, 0.5, 0.25])
    indptr.append(len(indices))
    return sp.csr_matrix(
        (np.array(data, dtype=np.float32), np.array(indices, dtype=np.int32),
         np.array(indptr, dtype=np.int32)), shape=(8, F))


def one_hot(labels, dtype):
    out = np.zeros((len(labels), C), dtype=dtype)
    for i, label in enumerate(labels):
        if label is not None:
            out[i, label] = 1
    return out


def dump(obj, path):
    with open(path, "wb") as f:
        pickle.dump(obj, f, protocol=2)


def main():
    os.makedirs(OUT, exist_ok=True)
    os.makedirs(BAD, exist_ok=True)
    dense = allx_dense()
    allx = allx_csr(dense)
    ally = one_hot([r % C if r != 6 else None for r in range(8)], np.int32)
    x = sp.csr_matrix(dense[:3])
    y = ally[:3].astype(np.int64)

    test_index = [11, 8, 14, 10]
    tx_dense = np.zeros((4, F), dtype=np.float64)
    for i in range(4):
        tx_dense[i, i] = 10 + i
        tx_dense[i, (i + 2) % F] = -0.25
    tx = sp.csr_matrix(tx_dense)
    ty = one_hot([(i + 1) % C for i in range(4)], np.float64)

    graph = collections.defaultdict(list)
    graph[0] += [1, 2, 1]
    graph[1] += [0]
    graph[2] += [3, 2]
    graph[3] += [4]
    graph[4] += [11]
    graph[5] += [8, 14]
    graph[6] += []
    graph[7] += [10]
    graph[8] += [5]
    graph[10] += [7, 11]
    graph[11] += [4]
    graph[14] += [5]

    prefix = os.path.join(OUT, "ind.gaps.")
    for name, obj in [("x", x), ("y", y), ("tx", tx), ("ty", ty), ("allx", allx),
                      ("ally", ally), ("graph", graph)]:
        dump(obj, prefix + name)
    with open(prefix + "test.index", "w") as f:
        f.write("".join("%d\n" % i for i in test_index))

    nan = allx.copy()
    nan[2, 1] = np.nan
    dump(nan, os.path.join(BAD, "ind.gaps.allx.nan"))

    # What a loader should produce (printed for the test's expectations).
    edges = sorted({(a, b) for k, vs in graph.items() for v in vs
                    for a, b in ((k, v), (v, k)) if a != b})
    print("edges", len(edges), edges)
    print("dense allx row 7", allx.toarray()[7])


if __name__ == "__main__":
    main()
