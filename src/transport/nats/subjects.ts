// Subjects and durable streams of a NATS run: one stream per message family, subjects named by hierarchy path.
import type { MessageBody } from '../messages.ts';

/** The durable JetStream streams of a run, by message family. `control` carries the engine's phase commands. */
export const STREAM_FAMILIES = [
  'offers',
  'envelopes',
  'prices',
  'schedules',
  'settlements',
  'control',
] as const;
export type StreamFamily = (typeof STREAM_FAMILIES)[number];

/** Which stream a message body travels on. */
export function familyOf(body: MessageBody): StreamFamily {
  switch (body.type) {
    case 'offer':
    case 'counter-offer':
      return 'offers';
    case 'envelope':
    case 'member-plans':
    case 'measurement':
    case 'intraday-trades':
      return 'envelopes';
    case 'prices':
    case 'limits':
      return 'prices';
    case 'schedule':
    case 'counter':
      return 'schedules';
    case 'stage':
      return 'control';
  }
}

/** A subject token from an id: NATS tokens may not hold `.`, `*`, `>` or whitespace; those become `_XX` hex. */
export function subjectToken(id: string): string {
  return id.replace(/[^A-Za-z0-9-]/g, (c) => `_${c.charCodeAt(0).toString(16).padStart(2, '0')}`) || '_';
}

/** Run ids become part of stream names and subjects: letters, digits and `-` only. */
export function checkRunId(runId: string): string {
  if (!/^[A-Za-z0-9-]{1,64}$/.test(runId))
    throw new Error(`run id "${runId}" must be 1–64 letters, digits or '-'`);
  return runId;
}

/** JetStream stream name of a family in a run, e.g. `GRIDNEST-r1-PRICES`. */
export function streamName(runId: string, family: StreamFamily): string {
  return `GRIDNEST-${checkRunId(runId)}-${family.toUpperCase()}`;
}

/** Subjects of a family: `gridnest.<run>.<family>.<hierarchy path…>`. */
export function familySubjects(runId: string, family: StreamFamily): string {
  return `gridnest.${checkRunId(runId)}.${family}.>`;
}

/** Subject of a message: the recipient's hierarchy path (e.g. `tso`, `tso.mv-1`, `tso.mv-1.lv-3.pool`). */
export function messageSubject(runId: string, family: StreamFamily, path: readonly string[]): string {
  return `gridnest.${checkRunId(runId)}.${family}.${path.map(subjectToken).join('.')}`;
}
