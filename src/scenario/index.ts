// Scenario module public API: the versioned study schema, validation, generators and file I/O.
export * from './draw-household.ts';
export * from './generate-scenario.ts';
export * from './load-scenario.ts';
export * from './net-loads.ts';
export * from './profile-sources.ts';
export * from './schema.ts';
export * from './validate-scenario.ts';
