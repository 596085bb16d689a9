// Uncertainty module public API: seeded randomness, forecast-error scenarios, quantiles and the aggregation effect.

export * from '../numeric/random.ts';
export * from './aggregation-effect.ts';
export * from './envelope-aggregation.ts';
export * from './forecast-error.ts';
export * from './quantiles.ts';
