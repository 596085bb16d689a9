// Read the workers' results from the run's settlements stream: chunks per (rank, process instance), the first
// complete instance of each rank wins (a restarted worker publishes its results again).
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { streamName } from '../transport/nats/subjects.ts';
import { decodeResult } from './codec.ts';
import type { ProcessResult } from './segments.ts';

export async function collectResults(
  connection: NatsConnection,
  runId: string,
  ranks: readonly number[],
): Promise<ProcessResult[]> {
  const consumer = await jetstream(connection).consumers.get(streamName(runId, 'settlements'));
  const messages = await consumer.consume();
  const chunks = new Map<string, Uint8Array[]>();
  const done = new Map<number, ProcessResult>();
  try {
    for await (const m of messages) {
      // gridnest.<run>.settlements.p<rank>.<instance>.<part>.<parts>
      const [, , , rankToken, instance, part, parts] = m.subject.split('.');
      const rank = Number(rankToken.slice(1));
      if (done.has(rank)) continue;
      const key = `${rank}.${instance}`;
      const list = chunks.get(key) ?? new Array<Uint8Array>(Number(parts));
      list[Number(part)] = m.data.slice();
      chunks.set(key, list);
      if (list.filter(Boolean).length < Number(parts)) continue;
      done.set(rank, decodeResult<ProcessResult>(Buffer.concat(list).toString('utf8')));
      chunks.delete(key);
      if (ranks.every((r) => done.has(r))) break;
    }
  } finally {
    await messages.close();
  }
  return ranks.map((r) => done.get(r)!);
}
