// Worker-thread entry of SolverThreads: solves each problem it receives and replies with the result.
import { parentPort } from 'node:worker_threads';
import { solveOptimisation } from './solver-port.ts';
import type { SolveReply, SolveRequest } from './solver-threads.ts';

parentPort?.on('message', async (request: SolveRequest) => {
  let reply: SolveReply;
  try {
    reply = { id: request.id, result: await solveOptimisation(request.problem, request.options) };
  } catch (error) {
    reply = {
      id: request.id,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
  }
  parentPort?.postMessage(reply);
});
