// Time module public API: UTC time index and energy-conserving resolution changes.
export * from './resample.ts';
export * from './time-index.ts';
