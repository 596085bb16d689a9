// DLMP problem public API: distribution OPF on LinDistFlow with loss factors from AC power flow, and its fixture.
export * from './bids.ts';
export * from './case33bw-flex.ts';
export * from './dlmp-problem.ts';
export * from './linearisation.ts';
export * from './solve-dlmp.ts';
