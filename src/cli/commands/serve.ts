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
      // Handlers go in before the URL is printed (whoever reads it may signal at once) and stay until the service
      // is closed: a second signal (Ctrl-C reaches npm and node; the launcher watch then raises SIGTERM) must not
      // kill the process mid-shutdown.
      let isStopping = false;
      let markStopped = () => {};
      const stopped = new Promise<void>((resolve) => {
        markStopped = resolve;
      });
      const stop = (signal: string) => {
        if (isStopping) return output.stderr(`gridnest: ${signal} received, already shutting down\n`);
        isStopping = true;
        output.stderr(`gridnest: ${signal} received, shutting down\n`);
        void service.close().then(markStopped, (error) => {
          output.stderr(
            `gridnest: shutdown error: ${error instanceof Error ? error.message : String(error)}\n`,
          );
          markStopped();
        });
      };
      const onTerm = () => stop('SIGTERM');
      const onInt = () => stop('SIGINT');
      process.on('SIGTERM', onTerm);
      process.on('SIGINT', onInt);
      output.stdout(`${service.url}\n`);
      await stopped;
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      output.stderr('gridnest: stopped\n');
    });
};
