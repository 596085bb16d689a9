"""Independent reference for gridnest's three-phase solver: IEEE European LV feeder at one minute, NumPy only.

Written separately from the TypeScript code and from a different source and method, to validate it:
- reads the IEEE PES CSV package (data/lv/ieee_european_lv: LineCodes, Lines, Loads, LoadShapes, Source,
  Transformer, Load_Profiles), not the OpenDSS script gridnest's importer reads;
- models the 11 kV source and the Dyn 11/0.416 kV transformer as a Thevenin equivalent at LV bus 1 built in the
  sequence domain (Z1 = Z2 = Z_source referred to LV + Z_transformer, Z0 = Z_transformer since the delta winding
  blocks zero sequence; EMF = pu * 416/sqrt(3) V, 30 degrees behind the HV side as an ANSI Dy bank);
- solves with a backward/forward sweep on the radial tree (gridnest: fixed point on the nodal admittance matrix).
Loads are constant P, Q (PF 0.95 lagging) at kW = multiplier of their yearly shape, and, as OpenDSS loads
(Vminpu 0.95, Vmaxpu 1.05 of their 230 V rating), constant impedance outside that range.

usage: python3 european_lv_sweep.py [CSV_DIR] [MINUTE]   (default: the bundled package, minute 566)
Prints one JSON object: minute, iterations, loadKw, lossesKw and per bus the phase magnitudes (V) and angles.
"""

import csv
import json
import math
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
A = np.exp(2j * np.pi / 3)
SEQ = np.array([[1, 1, 1], [1, A * A, A], [1, A, A * A]])  # phase = SEQ @ (V0, V1, V2)


def rows(path):
    with open(path, newline="") as f:
        lines = [line for line in f if not line.startswith("#") and line.strip() and not line.startswith("[")]
    reader = csv.reader(lines)
    header = [h.strip().lower() for h in next(reader)]
    return [dict(zip(header, [c.strip() for c in row])) for row in reader]


def phase_matrix(z1, z0):
    return SEQ @ np.diag([z0, z1, z1]) @ np.linalg.inv(SEQ)


def key_values(path):
    out = {}
    with open(path) as f:
        for line in f:
            if "=" in line:
                k, v = line.split("=", 1)
                out[k.strip().lower()] = float(v.split()[0])
    return out


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "data", "lv", "ieee_european_lv")
    minute = int(sys.argv[2]) if len(sys.argv) > 2 else 566
    source = key_values(os.path.join(root, "Source.csv"))
    tx = rows(os.path.join(root, "Transformer.csv"))[0]
    kv_hv = float(tx["kv_pri"])
    kv_lv = float(tx["kv_sec"])
    s_va = float(tx["mva"]) * 1e6
    # Source: |Z1| = V_LN / Isc3 at X/R = 4 (OpenDSS default), referred to the LV side.
    z1_mag = source["voltage"] * 1000 / math.sqrt(3) / source["isc3"]
    r1 = z1_mag / math.sqrt(17)
    z_src_lv = complex(r1, 4 * r1) * (kv_lv / kv_hv) ** 2
    z_tx = complex(float(tx["% resistance"]), float(tx["%xhl"])) / 100 * (kv_lv * 1000) ** 2 / s_va
    z_th = phase_matrix(z_src_lv + z_tx, z_tx)
    e_ln = source["pu"] * kv_lv * 1000 / math.sqrt(3)
    emf = e_ln * np.exp(1j * np.radians(np.array([-30, -150, 90])))

    codes = {r["name"].lower(): r for r in rows(os.path.join(root, "LineCodes.csv"))}
    children = {}
    for r in rows(os.path.join(root, "Lines.csv")):
        c = codes[r["linecode"].lower()]
        assert r["units"] == "m" and c["units"] == "km" and r["phases"] == "ABC"
        km = float(r["length"]) / 1000
        z = phase_matrix(complex(float(c["r1"]), float(c["x1"])), complex(float(c["r0"]), float(c["x0"]))) * km
        children.setdefault(r["bus1"], []).append((r["bus2"], z))
    order = ["1"]
    parent = {"1": None}
    for bus in order:
        for child, z in children.get(bus, []):
            parent[child] = (bus, z)
            order.append(child)

    shape_file = {r["name"].lower(): r["file"] for r in rows(os.path.join(root, "LoadShapes.csv"))}
    loads = []
    for r in rows(os.path.join(root, "Loads.csv")):
        profile = rows(os.path.join(root, "Load_Profiles", shape_file[r["yearly"].lower()]))
        # OpenDSS yearly mode, 1-minute steps: step k uses the k-th point (the row labelled minute k).
        mult = float(profile[minute - 1]["mult"])
        p = float(r["kw"]) * mult * 1000
        pf = float(r["pf"])
        q = p * math.tan(math.acos(pf))
        loads.append((r["bus"], "ABC".index(r["phases"]), complex(p, q), float(r["kv"]) * 1000))

    v = {bus: emf.copy() for bus in order}
    for iteration in range(1, 200):
        inj = {bus: np.zeros(3, complex) for bus in order}
        for bus, ph, s, v_nom in loads:
            vm = abs(v[bus][ph])
            lo, hi = 0.95 * v_nom, 1.05 * v_nom
            s_eff = s * (vm / hi) ** 2 if vm > hi else s * (vm / lo) ** 2 if vm < lo else s
            inj[bus][ph] += np.conj(s_eff / v[bus][ph])
        current = {}
        for bus in reversed(order):
            current[bus] = inj[bus] + sum((current[c] for c, _ in children.get(bus, [])), np.zeros(3, complex))
        new = {"1": emf - z_th @ current["1"]}
        for bus in order[1:]:
            up, z = parent[bus]
            new[bus] = new[up] - z @ current[bus]
        change = max(np.max(np.abs(new[b] - v[b])) for b in order)
        v = new
        if change < 1e-9:
            break
    load_w = 0.0
    for bus, ph, s, v_nom in loads:
        vm = abs(v[bus][ph])
        lo, hi = 0.95 * v_nom, 1.05 * v_nom
        load_w += (s * (vm / hi) ** 2 if vm > hi else s * (vm / lo) ** 2 if vm < lo else s).real
    supplied = (v["1"] * np.conj(current["1"])).sum().real
    print(
        json.dumps(
            {
                "source": "bench/reference/european_lv_sweep.py (NumPy backward/forward sweep on the CSV package)",
                "minute": minute,
                "iterations": iteration,
                "loadKw": load_w / 1000,
                "lvLossesKw": (supplied - load_w) / 1000,
                "buses": {
                    b: {
                        "vLnV": [round(float(x), 6) for x in np.abs(v[b])],
                        "vaDeg": [round(float(x), 5) for x in np.degrees(np.angle(v[b]))],
                    }
                    for b in order
                },
            }
        )
    )


if __name__ == "__main__":
    main()
