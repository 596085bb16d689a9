// Worker-thread entry for batch scheduling: receives chunks of prosumers, replies with their schedules.
import { parentPort } from 'node:worker_threads';
import { scheduleProsumersInThread, type WorkerReply, type WorkerRequest } from './schedule-batch.ts';

parentPort?.on('message', async (request: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    reply = {
      chunk: request.chunk,
      schedules: await scheduleProsumersInThread(request.jobs, request.options),
    };
  } catch (error) {
    reply = {
      chunk: request.chunk,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
  }
  parentPort?.postMessage(reply);
});
