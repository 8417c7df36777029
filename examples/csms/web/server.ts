/**
 * The web side: one Fastify server for the console (HTML pages, assets, the live event stream)
 * and the REST API, with cookie sessions. Every error becomes a JSON answer (errors.ts); a
 * request for a page that fails gets the same JSON, which the console's script shows.
 */
import { randomBytes } from 'node:crypto';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import session from '@fastify/session';
import Fastify, { type FastifyInstance } from 'fastify';
import type { CentralSystem } from '../../../src/index';
import type { ChangeFeed } from '../events';
import type { CsmsVersion } from '../ocpp/context';
import type { MessageLog } from '../store/message-log';
import type { StationStore } from '../store/stations';
import type { TagStore } from '../store/tags';
import type { TransactionStore } from '../store/transactions';
import type { UserStore } from '../store/users';
import { registerApi } from './api';
import { registerAuthRoutes } from './auth';
import { registerConsole } from './console';
import { toHttpError } from './errors';
import { registerLive } from './live';

/** What the routes read and act on. */
export interface WebDeps {
  stations: StationStore;
  tags: TagStore;
  transactions: TransactionStore;
  users: UserStore;
  cs: CentralSystem<CsmsVersion>;
  feed: ChangeFeed;
  messageLog: MessageLog | undefined;
}

const SESSION_HOURS = 8;

export async function createWebServer(deps: WebDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: 64 * 1024,
    // Open event streams must not keep close() waiting.
    forceCloseConnections: true,
    // Refuse what the schemas do not allow instead of quietly changing it.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false } },
  });
  await app.register(cookie);
  // Sessions live in memory: a restart logs everyone out, which is fine for a console.
  await app.register(session, {
    secret: randomBytes(32).toString('base64'),
    cookieName: 'csms.sid',
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'strict', secure: false, path: '/', maxAge: SESSION_HOURS * 3600_000 },
  });
  await app.register(formbody);

  app.setErrorHandler((error, _req, reply) => {
    const { status, body } = toHttpError(error);
    if (status >= 500 && body.error === 'InternalError') console.error(error);
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: 'NotFound', message: `no route ${req.method} ${req.url.split('?')[0]}` }));

  registerAuthRoutes(app, deps.users);
  registerApi(app, deps);
  registerLive(app, deps);
  registerConsole(app, deps);
  return app;
}
