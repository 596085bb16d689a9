// `gridnest view DIR`: serve the interactive dashboard for a `simulate` output folder on localhost.
import { InputError } from '../../core/errors.ts';
import type { RegisterCommand } from '../output.ts';

export const registerViewCommand: RegisterCommand = (program, output) => {
  program
    .command('view')
    .description(
      'Serve the dashboard (hierarchy, feeder voltages with a time slider, prices, trades, batteries, value ' +
        'metrics, coordination comparison) for a `simulate --out DIR` folder; works offline. Prints the URL; ' +
        'stops on SIGTERM/SIGINT.',
    )
    .argument('<dir>', 'output folder of `gridnest simulate`')
    .option('--port <port>', 'TCP port (0 picks a free one)', '8090')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .action(async (dir: string, opts: { port: string; host: string }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw InputError.single('invalid_port', ['--port'], `must be an integer 0–65535, got ${opts.port}`);
      const { buildViewApp } = await import('../../dashboard/view-server.ts');
      const app = await buildViewApp(dir);
      const address = await app.listen({ port, host: opts.host });
      output.stdout(`${address}/dashboard/\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGTERM', stop);
          process.off('SIGINT', stop);
          void app.close().then(() => resolve());
        };
        process.on('SIGTERM', stop);
        process.on('SIGINT', stop);
      });
    });
};
