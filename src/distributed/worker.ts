// `gridnest worker --nats URL`: join runs of a coordinator on that server, run the assigned part, repeat.
import type { SystemModel } from '../hierarchy/system-model.ts';
import { resolveSystemStudy } from '../studies/system/index.ts';
import { JOIN_SUBJECT, SHUTDOWN_SUBJECT, specSubject } from './cluster.ts';
import { connectNats } from './nats-server.ts';
import { ProcessNode } from './process-node.ts';
import { type RunSpec, runSpecSchema } from './run-spec.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Serve runs until the coordinator says shutdown (or `maxRuns` runs are done). */
export async function runWorker(options: {
  readonly url: string;
  readonly log?: (line: string) => void;
  readonly maxRuns?: number;
}): Promise<void> {
  const connection = await connectNats(options.url, 60_000);
  let shutdown = false;
  connection.subscribe(SHUTDOWN_SUBJECT, { callback: () => void (shutdown = true) });
  const models = new Map<string, SystemModel>();
  const modelOf = (spec: RunSpec) => {
    const key = JSON.stringify(spec.study);
    let model = models.get(key);
    if (!model) {
      models.clear();
      model = resolveSystemStudy(spec.study.document, spec.study.baseDir, {
        days: spec.study.days,
        lvModel: spec.study.lvModel,
      });
      models.set(key, model);
    }
    return model;
  };
  let runs = 0;
  while (!shutdown && runs < (options.maxRuns ?? Number.POSITIVE_INFINITY)) {
    let reply: { status: string; rank?: number; runId?: string; parts?: number };
    try {
      reply = (await connection.request(JOIN_SUBJECT, String(process.pid), { timeout: 2000 })).json();
    } catch {
      await sleep(300);
      continue;
    }
    if (reply.status !== 'run') {
      await sleep(200);
      continue;
    }
    let text = '';
    for (let part = 0; part < reply.parts!; part++)
      text += (
        await connection.request(specSubject(reply.runId!), String(part), { timeout: 10_000 })
      ).string();
    const spec = runSpecSchema.parse(JSON.parse(text));
    options.log?.(`worker ${process.pid}: run ${spec.runId} rank ${reply.rank}`);
    const node = await ProcessNode.start(spec, reply.rank!, connection, modelOf(spec));
    await node.finished;
    await node.stop();
    runs++;
  }
  await connection.drain().catch(() => undefined);
}
