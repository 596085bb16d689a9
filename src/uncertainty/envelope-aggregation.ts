// Aggregation of uncertainty envelopes: children's independent errors add in quadrature, correlated ones linearly.
//
// A child i (standing for m_i identical copies) has net position X_i = μ_i + σ_i·Z_i + c_i·Z_r per interval, with
// Z_i independent household-level errors and Z_r one regional (weather) factor shared by all children. Copies of a
// child are independent in Z_i but share Z_r. The sum S = Σ m_i X_i is normal with
//   mean Σ m_i μ_i,   σ_ind = √(Σ m_i σ_i²),   σ_corr = Σ m_i c_i,   σ_S = √(σ_ind² + σ_corr²),
// and its central band covering probability p is mean ± z_p·σ_S (z_p = bandZ(p)). The aggregation effect is the
// gap between σ_S and Σ m_i √(σ_i² + c_i²), the band the children would need without pooling.

/** Two-sided normal quantile: the band ±z·σ covers `probability`. */
export function bandZ(probability: number): number {
  // Rational approximation (Abramowitz & Stegun 26.2.23) of the upper quantile of (1 − p)/2.
  const q = Math.min(0.4999999, Math.max(1e-12, (1 - probability) / 2));
  const t = Math.sqrt(-2 * Math.log(q));
  return (
    t -
    (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t ** 3)
  );
}

export interface EnvelopePart {
  readonly meanKw: ArrayLike<number>;
  readonly independentSigmaKw: ArrayLike<number>;
  readonly correlatedSigmaKw: ArrayLike<number>;
  /** Identical copies the part stands for (feeder replicas). */
  readonly multiplicity: number;
}

export interface AggregateEnvelope {
  readonly meanKw: Float64Array;
  readonly independentSigmaKw: Float64Array;
  readonly correlatedSigmaKw: Float64Array;
  /** Half-width of the central band covering `probability` (kW), and the band's ends. */
  readonly bandKw: Float64Array;
  readonly lowKw: Float64Array;
  readonly highKw: Float64Array;
}

/** The envelope of Σ parts (module comment) with its central band at `probability`. */
export function aggregateEnvelopes(parts: readonly EnvelopePart[], probability: number): AggregateEnvelope {
  const n = parts[0]?.meanKw.length ?? 0;
  const z = bandZ(probability);
  const out = {
    meanKw: new Float64Array(n),
    independentSigmaKw: new Float64Array(n),
    correlatedSigmaKw: new Float64Array(n),
    bandKw: new Float64Array(n),
    lowKw: new Float64Array(n),
    highKw: new Float64Array(n),
  };
  for (let t = 0; t < n; t++) {
    let variance = 0;
    for (const p of parts) {
      out.meanKw[t] += p.multiplicity * p.meanKw[t];
      variance += p.multiplicity * p.independentSigmaKw[t] ** 2;
      out.correlatedSigmaKw[t] += p.multiplicity * p.correlatedSigmaKw[t];
    }
    out.independentSigmaKw[t] = Math.sqrt(variance);
    out.bandKw[t] = z * Math.hypot(out.independentSigmaKw[t], out.correlatedSigmaKw[t]);
    out.lowKw[t] = out.meanKw[t] - out.bandKw[t];
    out.highKw[t] = out.meanKw[t] + out.bandKw[t];
  }
  return out;
}
