// Create and remove the durable JetStream streams of one run (file storage, dedup window for re-sent frames).
import { jetstreamManager, StorageType } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { familySubjects, STREAM_FAMILIES, streamName } from './subjects.ts';

const MINUTE_NS = 60_000_000_000;

/** Create the run's streams (idempotent: an existing stream of the same name is kept, e.g. on a restart). */
export async function ensureRunStreams(connection: NatsConnection, runId: string): Promise<void> {
  const jsm = await jetstreamManager(connection);
  for (const family of STREAM_FAMILIES) {
    const name = streamName(runId, family);
    try {
      await jsm.streams.info(name);
    } catch {
      await jsm.streams.add({
        name,
        subjects: [familySubjects(runId, family)],
        storage: StorageType.File,
        duplicate_window: 30 * MINUTE_NS,
      });
    }
  }
}

/** Delete the run's streams once its results are collected. */
export async function deleteRunStreams(connection: NatsConnection, runId: string): Promise<void> {
  const jsm = await jetstreamManager(connection);
  for (const family of STREAM_FAMILIES)
    await jsm.streams.delete(streamName(runId, family)).catch(() => false);
}
