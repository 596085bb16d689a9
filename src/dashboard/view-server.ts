// `gridnest view`: a fastify app serving the dashboard and the view model of one simulate output folder.
import Fastify, { type FastifyInstance } from 'fastify';
import { registerDashboardRoutes } from './dashboard-routes.ts';
import { readSimulationOutput } from './read-simulation-output.ts';

/** Build (not start) the view app for `dir`; throws InputError when the folder is not a simulate output. */
export async function buildViewApp(
  dir: string,
  options: { assetsDir?: string } = {},
): Promise<FastifyInstance> {
  const output = readSimulationOutput(dir);
  const app = Fastify({ logger: false });
  registerDashboardRoutes(app, { mode: 'view', assetsDir: options.assetsDir });
  app.get('/api/view/summary', async () => output.summary);
  app.get('/api/view/feeders/:platform', async (request, reply) => {
    const feeder = output.feeders.get((request.params as { platform: string }).platform);
    if (!feeder) return reply.code(404).send({ error: { code: 'not_found', message: 'no such feeder' } });
    return feeder;
  });
  return app;
}
