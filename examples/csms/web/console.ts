/**
 * The console's pages and assets. Pages are rendered here with what does not change while
 * one looks at them; console.js fills in the live parts from the API and the event stream.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { requirePage } from './auth';
import type { WebDeps } from './server';
import { loginPage } from './views/login';
import { overviewPage } from './views/overview';
import { stationPage } from './views/station';
import { tagsPage } from './views/tags';

/** The two assets, read once: they are small and do not change while the server runs. */
const ASSETS: Readonly<Record<string, { type: string; body: string }>> = {
  'style.css': { type: 'text/css; charset=utf-8', body: readFileSync(join(__dirname, 'assets/style.css'), 'utf8') },
  'console.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(join(__dirname, 'assets/console.js'), 'utf8') },
};

export function registerConsole(app: FastifyInstance, deps: WebDeps): void {
  const page = { preHandler: requirePage(deps.users) };

  app.get<{ Params: { file: string } }>('/assets/:file', (req, reply) => {
    const asset = ASSETS[req.params.file];
    if (!asset) return reply.code(404).send({ error: 'NotFound', message: 'no such asset' });
    return reply.type(asset.type).header('cache-control', 'no-cache').send(asset.body);
  });
  app.get<{ Querystring: { failed?: string; next?: string } }>('/login', (req, reply) =>
    reply.type('text/html; charset=utf-8').send(loginPage(req.query.failed !== undefined, req.query.next ?? '/')),
  );
  app.get('/', page, (req, reply) => reply.type('text/html; charset=utf-8').send(overviewPage(req.user!)));
  app.get('/tags', page, (req, reply) => reply.type('text/html; charset=utf-8').send(tagsPage(req.user!, deps.tags.list())));
  app.get<{ Params: { id: string } }>('/stations/:id', page, (req, reply) => {
    const station = deps.stations.get(req.params.id);
    if (!station) return reply.code(404).send({ error: 'UnknownStation', message: `no station ${req.params.id}` });
    return reply.type('text/html; charset=utf-8').send(stationPage(req.user!, station, deps.tags.list()));
  });
}
