// `gridnest serve`: run the live P2P platform service (HTTP + WebSocket) on PGlite or PostgreSQL.
import { InputError } from '../../core/errors.ts';
import type { RegisterCommand } from '../output.ts';

export const registerServe: RegisterCommand = (program, output) => {
  program
    .command('serve')
    .description(
      'Start the platform service (HTTP + WebSocket API, docs at /docs). Embedded PGlite database in --data by ' +
        'default; DATABASE_URL=postgres://… uses a PostgreSQL server. Stops cleanly on SIGTERM/SIGINT.',
    )
    .option('--port <port>', 'TCP port (0 picks a free one)', '8080')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--data <dir>', 'data directory (database files, lock, server secret)', '.gridnest-data')
    .action(async (opts: { port: string; host: string; data: string }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw InputError.single('invalid_port', ['--port'], `must be an integer 0–65535, got ${opts.port}`);
      // Loaded on demand so other commands start without the HTTP server and database drivers.
      const { serviceOptionsFromEnv, startService } = await import('../../service/start-service.ts');
      const service = await startService(
        serviceOptionsFromEnv(process.env, {
          port,
          host: opts.host,
          dataDir: opts.data,
          log: (line) => output.stderr(`${line}\n`),
        }),
      );
      // Handlers go in before the URL is printed: whoever reads the URL may signal at once.
      const stopped = new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          output.stderr(`gridnest: ${signal} received, shutting down\n`);
          process.off('SIGTERM', onTerm);
          process.off('SIGINT', onInt);
          void service.close().then(resolve, (error) => {
            output.stderr(
              `gridnest: shutdown error: ${error instanceof Error ? error.message : String(error)}\n`,
            );
            resolve();
          });
        };
        const onTerm = () => stop('SIGTERM');
        const onInt = () => stop('SIGINT');
        process.on('SIGTERM', onTerm);
        process.on('SIGINT', onInt);
      });
      output.stdout(`${service.url}\n`);
      await stopped;
      output.stderr('gridnest: stopped\n');
    });
};
