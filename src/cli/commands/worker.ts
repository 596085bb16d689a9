// `gridnest worker --nats URL`: a worker process for distributed `simulate --processes N` runs (issue 21).
import { InputError } from '../../core/errors.ts';
import type { RegisterCommand } from '../output.ts';

export const registerWorkerCommand: RegisterCommand = (program, output) => {
  program
    .command('worker')
    .description(
      'Serve distributed simulations: join the coordinator of `gridnest simulate --processes N --nats URL` on ' +
        'that NATS server, run the DSOs (with their platforms and prosumers) it assigns, repeat until it shuts down',
    )
    .requiredOption('--nats <url>', 'NATS server URL (JetStream enabled), e.g. nats://10.0.0.5:4222')
    .action(async (opts: { nats: string }) => {
      if (!/^(nats|tls|wss?):\/\//.test(opts.nats))
        throw InputError.single('bad_option', ['--nats'], `not a NATS URL: ${opts.nats}`);
      const { runWorker } = await import('../../distributed/worker.ts');
      await runWorker({ url: opts.nats, log: (line) => output.stderr(`${line}\n`) });
    });
};
