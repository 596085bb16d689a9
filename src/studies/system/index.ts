// System studies at the edge: the versioned study file, its bundled instances, reading and resolving them.
export * from './build-system-study.ts';
export * from './load-system-study.ts';
export * from './study-file.ts';
