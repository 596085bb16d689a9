// DER module public API: schemas, prosumer models, scheduling (single and batch), baseline and flexibility offers.
export * from './baseline.ts';
export * from './flexibility.ts';
export * from './heat-pump.ts';
export * from './prosumer-model.ts';
export * from './schedule-batch.ts';
export * from './schedule-prosumer.ts';
export * from './schema.ts';
export * from './tariff.ts';
