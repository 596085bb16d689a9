// Real-time balancing of one platform: a price-ranked merit order over members' remaining flexibility, then imbalance prices.

/** What one member's remaining flexibility can do in a balancing step (kW ≥ 0) and at what price (EUR/kWh). */
export interface BalancingOffer {
  /** Extra injection (discharge more / charge less) available, and the price the member asks for it. */
  readonly upKw: number;
  readonly upPriceEurPerKwh: number;
  /** Extra consumption (charge more / discharge less) available, and the price the member pays for it. */
  readonly downKw: number;
  readonly downPriceEurPerKwh: number;
}

/** Dual imbalance prices: a short platform pays `shortEurPerKwh`, a long one receives `longEurPerKwh`. */
export interface ImbalancePrices {
  readonly shortEurPerKwh: number;
  readonly longEurPerKwh: number;
}

/**
 * The imbalance price rule: dual pricing around the reference price λ (the wholesale price at the platform's
 * grid supply point): short = λ + δ, long = λ − δ, δ ≥ 0 the spread. Being out of balance always costs δ per kWh
 * against trading the same energy at λ.
 */
export function imbalancePrices(referenceEurPerKwh: number, spreadEurPerKwh: number): ImbalancePrices {
  if (!(spreadEurPerKwh >= 0)) throw new RangeError('imbalance spread must be ≥ 0');
  return {
    shortEurPerKwh: referenceEurPerKwh + spreadEurPerKwh,
    longEurPerKwh: referenceEurPerKwh - spreadEurPerKwh,
  };
}

/** Money of a residual imbalance of `eKwh` (+ long, more injection than the position): + received by the platform. */
export function imbalanceChargeEur(eKwh: number, prices: ImbalancePrices): number {
  return eKwh >= 0 ? eKwh * prices.longEurPerKwh : eKwh * prices.shortEurPerKwh;
}

export interface BalancingDispatch {
  /** Dispatched power per offer (kW, + extra injection). */
  readonly dispatchKw: Float64Array;
  /** Imbalance left after dispatch (kW, + long). */
  readonly residualKw: number;
}

/**
 * Dispatch the platform's remaining flexibility against its imbalance `imbalanceKw` (+ long). Short: up offers in
 * increasing price while the ask is at most the short price (cheaper than paying the imbalance); long: down offers
 * in decreasing price while the bid is at least the long price. Pay-as-bid; ties in offer order.
 */
export function dispatchBalancing(
  imbalanceKw: number,
  offers: readonly BalancingOffer[],
  prices: ImbalancePrices,
): BalancingDispatch {
  const dispatchKw = new Float64Array(offers.length);
  const isShort = imbalanceKw < 0;
  const order = offers
    .map((_, i) => i)
    .filter((i) => (isShort ? offers[i].upKw > 0 : offers[i].downKw > 0))
    .sort((a, b) =>
      isShort
        ? offers[a].upPriceEurPerKwh - offers[b].upPriceEurPerKwh || a - b
        : offers[b].downPriceEurPerKwh - offers[a].downPriceEurPerKwh || a - b,
    );
  let left = Math.abs(imbalanceKw);
  for (const i of order) {
    if (left <= 0) break;
    const o = offers[i];
    if (isShort ? o.upPriceEurPerKwh > prices.shortEurPerKwh : o.downPriceEurPerKwh < prices.longEurPerKwh)
      break;
    const kw = Math.min(left, isShort ? o.upKw : o.downKw);
    dispatchKw[i] = isShort ? kw : -kw;
    left -= kw;
  }
  return { dispatchKw, residualKw: left === 0 ? 0 : isShort ? -left : left };
}
