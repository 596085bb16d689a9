// Settlement between the platforms of one DSO after delivery: each pays for the deviation of its actual impact from
// what it committed, and the money collected goes back to all of them pro rata to their committed energy.
//
// Rule (per DSO and delivery day; DSO step Δt, platform j standing for R_j feeders):
//   committed c_{j,k} = the platform's day-ahead planned feeder import after its P2P clearing (kW per feeder, the
//     position it predicted and sent up), actual a_{j,k} = its metered feeder-head import in real time;
//   deviation charge   D_j = π · Σ_k R_j·|a_{j,k} − c_{j,k}|·Δt        (π = deviationPriceEurPerMwh)
//   rebate             B_j = (Σ_i D_i) · w_j,  w_j = R_j·Σ_k |c_{j,k}| / Σ_i R_i·Σ_k |c_{i,k}|  (equal shares when
//                      nobody committed any energy)
//   net receipt        N_j = B_j − D_j,  so Σ_j N_j = 0: money only moves between platforms.
// A platform whose deviation per committed MWh is below the DSO's average receives money, one above pays: the
// incentive that keeps predictive coordination (`mpc`) honest without real-time messages. With one platform N = 0.
// Booked as one ledger transaction per DSO-day over the `platform:<id>` accounts (legs rounded, the residual to the
// rounding account, so the ledger still sums to zero).
import { KW_PER_MW } from '../core/units.ts';
import type { Ledger } from '../ledger/ledger.ts';
import { accountIds } from './settlement-accounts.ts';

/** Price of a deviation (EUR/MWh), the π of the rule. */
export const DEVIATION_PRICE_EUR_PER_MWH = 50;

export interface InterPlatformDay {
  readonly dsoId: string;
  readonly day: string;
  readonly stepMin: number;
  readonly platforms: readonly {
    readonly platformId: string;
    readonly replicas: number;
    readonly committedKw: ArrayLike<number>;
    readonly actualKw: ArrayLike<number>;
  }[];
  readonly deviationPriceEurPerMwh?: number;
}

export interface InterPlatformRow {
  readonly day: string;
  readonly dso: string;
  readonly platform: string;
  readonly deviationMwh: number;
  readonly chargeEur: number;
  readonly rebateEur: number;
  readonly netEur: number;
}

/** The rule of the module comment, without posting. */
export function computeInterPlatformSettlement(d: InterPlatformDay): InterPlatformRow[] {
  const price = d.deviationPriceEurPerMwh ?? DEVIATION_PRICE_EUR_PER_MWH;
  const dt = d.stepMin / 60;
  const deviationMwh = d.platforms.map((p) => {
    let s = 0;
    for (let k = 0; k < p.committedKw.length; k++) s += Math.abs(p.actualKw[k] - p.committedKw[k]);
    return (p.replicas * s * dt) / KW_PER_MW;
  });
  const committed = d.platforms.map((p) => {
    let s = 0;
    for (let k = 0; k < p.committedKw.length; k++) s += Math.abs(p.committedKw[k]);
    return p.replicas * s;
  });
  const totalCommitted = committed.reduce((a, b) => a + b, 0);
  const pool = price * deviationMwh.reduce((a, b) => a + b, 0);
  return d.platforms.map((p, j) => {
    const share = totalCommitted > 0 ? committed[j] / totalCommitted : 1 / d.platforms.length;
    const chargeEur = price * deviationMwh[j];
    const rebateEur = pool * share;
    return {
      day: d.day,
      dso: d.dsoId,
      platform: p.platformId,
      deviationMwh: deviationMwh[j],
      chargeEur,
      rebateEur,
      netEur: rebateEur - chargeEur,
    };
  });
}

/** Compute and book the day's settlement between platforms; returns its rows. */
export function settleInterPlatformDay(ledger: Ledger, d: InterPlatformDay): InterPlatformRow[] {
  const rows = computeInterPlatformSettlement(d);
  if (rows.length < 2) return rows;
  for (const r of rows) ledger.openAccount(accountIds.platform(r.platform), 'fee');
  ledger.postRoundedTransaction(
    `${d.day}/${d.dsoId}/inter-platform`,
    'platforms pay for deviations from their committed positions, pooled and returned pro rata to committed energy',
    rows.map((r) => ({ accountId: accountIds.platform(r.platform), amountEur: r.netEur })),
  );
  return rows;
}
