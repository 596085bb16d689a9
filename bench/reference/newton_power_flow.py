"""Reference Newton-Raphson power flow in NumPy/SciPy for gridnest's benchmarks (not a runtime dependency).

Reads a network in gridnest's JSON format, builds Ybus once (MATPOWER pi model), then times warm solves of the
polar Newton-Raphson with the sparse Jacobian of MATPOWER's dSbus_dV and SciPy's spsolve (SuperLU, COLAMD).
Prints one JSON object: iterations, medianMs, minMs, peakRssMb and the solved voltage magnitudes.

usage: python3 newton_power_flow.py NETWORK.json [--repeat N]
"""

import json
import resource
import sys
import time

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import spsolve


def load_network(path):
    with open(path) as handle:
        data = json.load(handle)
    buses = [b for b in data["buses"] if b.get("inService", True)]
    index = {b["id"]: i for i, b in enumerate(buses)}
    n = len(buses)
    base = data.get("baseMva", 100.0)
    kind = np.array([{"pq": 0, "pv": 1, "slack": 2}[b.get("type", "pq")] for b in buses])
    vm = np.array([b.get("vmPu", 1.0) for b in buses], dtype=float)
    va = np.radians([b.get("vaDeg", 0.0) for b in buses])
    s_spec = np.zeros(n, dtype=complex)
    for load in data.get("loads", []):
        if load.get("inService", True) and load["bus"] in index:
            s_spec[index[load["bus"]]] -= (load["pMw"] + 1j * load.get("qMvar", 0.0)) / base
    y_shunt = np.zeros(n, dtype=complex)
    for shunt in data.get("shunts", []):
        if shunt.get("inService", True) and shunt["bus"] in index:
            y_shunt[index[shunt["bus"]]] += (shunt.get("gMw", 0.0) + 1j * shunt.get("bMvar", 0.0)) / base
    has_gen = np.zeros(n, dtype=bool)
    for gen in data.get("generators", []):
        if gen.get("inService", True) and gen["bus"] in index:
            i = index[gen["bus"]]
            s_spec[i] += (gen.get("pMw", 0.0) + 1j * gen.get("qMvar", 0.0)) / base
            has_gen[i] = True
            if kind[i] != 0:
                vm[i] = gen.get("vmSetpointPu", 1.0)
    kind[(kind == 1) & ~has_gen] = 0
    rows, cols, vals = [], [], []
    for br in data.get("branches", []):
        if not br.get("inService", True) or br["fromBus"] not in index or br["toBus"] not in index:
            continue
        f, t = index[br["fromBus"]], index[br["toBus"]]
        ys = 1.0 / complex(br["rPu"], br["xPu"])
        bc = br.get("bPu", 0.0)
        tap = br.get("tapRatio", 1.0) * np.exp(1j * np.radians(br.get("shiftDeg", 0.0)))
        ytt = ys + 1j * bc / 2
        yff = ytt / (tap * np.conj(tap))
        rows += [f, f, t, t]
        cols += [f, t, f, t]
        vals += [yff, -ys / np.conj(tap), -ys / tap, ytt]
    ybus = sp.csr_matrix((vals, (rows, cols)), shape=(n, n)) + sp.diags(y_shunt)
    return ybus.tocsr(), s_spec, kind, vm, va


def newton_raphson(ybus, s_spec, kind, vm0, va0, tol=1e-8, max_it=20):
    pv = np.flatnonzero(kind == 1)
    pq = np.flatnonzero(kind == 0)
    pvpq = np.r_[pv, pq]
    v = vm0 * np.exp(1j * va0)
    vm, va = vm0.copy(), va0.copy()
    npvpq = len(pvpq)

    def mismatch(v):
        mis = v * np.conj(ybus @ v) - s_spec
        return np.r_[mis[pvpq].real, mis[pq].imag]

    f = mismatch(v)
    iterations = 0
    while np.max(np.abs(f)) >= tol and iterations < max_it:
        iterations += 1
        ibus = ybus @ v
        diag_v = sp.diags(v)
        diag_vnorm = sp.diags(v / np.abs(v))
        ds_dva = 1j * diag_v @ np.conj(sp.diags(ibus) - ybus @ diag_v)
        ds_dvm = diag_v @ np.conj(ybus @ diag_vnorm) + np.conj(sp.diags(ibus)) @ diag_vnorm
        j11 = ds_dva[pvpq][:, pvpq].real
        j12 = ds_dvm[pvpq][:, pq].real
        j21 = ds_dva[pq][:, pvpq].imag
        j22 = ds_dvm[pq][:, pq].imag
        jac = sp.vstack([sp.hstack([j11, j12]), sp.hstack([j21, j22])], format="csc")
        dx = -spsolve(jac, f)
        va[pvpq] += dx[:npvpq]
        vm[pq] += dx[npvpq:]
        v = vm * np.exp(1j * va)
        f = mismatch(v)
    return v, iterations, bool(np.max(np.abs(f)) < tol)


def main():
    path = sys.argv[1]
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 20
    ybus, s_spec, kind, vm0, va0 = load_network(path)
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = newton_raphson(ybus, s_spec, kind, vm0, va0)
        times.append((time.perf_counter() - start) * 1000)
    v, iterations, converged = result
    print(json.dumps({
        "converged": converged,
        "iterations": iterations,
        "medianMs": float(np.median(times)),
        "minMs": float(np.min(times)),
        "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "vmPu": np.abs(v).tolist(),
    }))


if __name__ == "__main__":
    main()
