// Sparse convex QP solver: primal–dual interior point (Mehrotra) on the quasi-definite KKT system.

export { type QpOptions, type QpResult, type QpStatus, solveQp } from './interior-point.ts';
