/**
 * The REST API under /api: the stations' status, the commands of ocpp/commands.ts, the tag and
 * station tables, transactions (JSON and CSV). Reads need a user; anything that changes a
 * station or the tables needs an admin (auth.ts). Bodies are checked against schemas.ts before
 * a route runs; errors are JSON (errors.ts). The OpenAPI document is openapi.ts.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AnyStation } from '../../../src/index';
import type { CsmsVersion } from '../ocpp/context';
import * as commands from '../ocpp/commands';
import { hashPassword } from '../store/passwords';
import { requireRole } from './auth';
import { transactionsCsv } from './csv';
import { HttpError } from './errors';
import { buildOpenApi } from './openapi';
import { BODY, type Bodies } from './schemas';
import type { WebDeps } from './server';

type Params = { id: string };

export function registerApi(app: FastifyInstance, deps: WebDeps): void {
  const { stations, tags, transactions, users, cs, feed } = deps;
  const asUser = { preHandler: requireRole(users, 'user') };
  const asAdmin = { preHandler: requireRole(users, 'admin') };

  /** A station row and its running transactions, as every station view shows it. */
  const view = (identity: string) => {
    const station = stations.get(identity);
    if (!station) throw new HttpError(404, 'UnknownStation', `no station ${identity}`);
    return { ...station, transactions: transactions.open(identity) };
  };
  /** The connection of a known station, for commands. */
  const online = (identity: string): AnyStation<CsmsVersion> => {
    view(identity);
    const station = cs.stations.get(identity);
    if (!station) throw new HttpError(409, 'StationOffline', `station ${identity} is not connected`);
    return station;
  };
  const answer = (identity: string, result: commands.CommandResult) => ({ identity, ...result });

  app.get('/api/openapi.json', () => buildOpenApi());
  app.get('/api/me', asUser, (req) => req.user);

  // ---- stations: status, and the table (admin)
  app.get('/api/stations', asUser, () => {
    const open = transactions.allOpen();
    return stations.list().map((s) => ({ ...s, transactions: open.filter((t) => t.station === s.identity) }));
  });
  app.get<{ Params: Params }>('/api/stations/:id', asUser, (req) => view(req.params.id));
  app.post<{ Body: Bodies['newStation'] }>('/api/stations', { ...asAdmin, schema: { body: BODY.newStation } }, async (req, reply) => {
    const { identity, description, password } = req.body;
    const passwordHash = password === undefined ? null : await hashPassword(password);
    const station = stations.create(identity, { description, passwordHash });
    feed.changed(identity, 'admin');
    return reply.code(201).send(station);
  });
  app.patch<{ Params: Params; Body: Bodies['editStation'] }>('/api/stations/:id', { ...asAdmin, schema: { body: BODY.editStation } }, async (req) => {
    const { description, password, admission } = req.body;
    view(req.params.id);
    const passwordHash = password === undefined ? undefined : password === null ? null : await hashPassword(password);
    stations.update(req.params.id, { description, passwordHash, admission });
    feed.changed(req.params.id, 'admin');
    return view(req.params.id);
  });
  app.delete<{ Params: Params }>('/api/stations/:id', asAdmin, async (req, reply) => {
    view(req.params.id);
    // A station that is removed must not stay connected on its old credentials.
    await cs.stations.get(req.params.id)?.close(1000, 'removed');
    stations.remove(req.params.id);
    feed.changed(req.params.id, 'admin');
    return reply.code(204).send();
  });

  // ---- transactions
  app.get<{ Params: Params; Querystring: { limit?: string } }>('/api/stations/:id/transactions', asUser, (req) => {
    view(req.params.id);
    return transactions.latest(req.params.id, clampLimit(req.query.limit));
  });
  app.get<{ Params: Params; Querystring: { limit?: string } }>('/api/stations/:id/transactions.csv', asUser, (req, reply: FastifyReply) => {
    view(req.params.id);
    const csv = transactionsCsv(transactions.latest(req.params.id, clampLimit(req.query.limit, 10_000)));
    const file = `transactions-${req.params.id.replace(/[^A-Za-z0-9._-]/g, '_')}.csv`;
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${file}"`).send(csv);
  });
  app.get<{ Params: Params }>('/api/stations/:id/messages', asUser, (req) => {
    view(req.params.id);
    if (!deps.messageLog) throw new HttpError(404, 'MessageLogOff', 'the message log is off (start with --message-log)');
    return deps.messageLog.latest(req.params.id);
  });

  // ---- commands: each answered with the station's own reply
  app.post<{ Params: Params; Body: Bodies['remoteStart'] }>('/api/stations/:id/remote-start', { ...asAdmin, schema: { body: BODY.remoteStart } }, async (req) =>
    answer(req.params.id, await commands.remoteStart(online(req.params.id), req.body.idTag, req.body.connectorId)),
  );
  app.post<{ Params: Params; Body: Bodies['remoteStop'] }>('/api/stations/:id/remote-stop', { ...asAdmin, schema: { body: BODY.remoteStop } }, async (req) => {
    const station = online(req.params.id);
    const transactionId = req.body?.transactionId ?? transactions.open(req.params.id)[0]?.txId;
    if (transactionId === undefined) throw new HttpError(400, 'NoTransaction', 'no transaction is running: give "transactionId"');
    return answer(req.params.id, await commands.remoteStop(station, transactionId));
  });
  app.post<{ Params: Params; Body: Bodies['reset'] }>('/api/stations/:id/reset', { ...asAdmin, schema: { body: BODY.reset } }, async (req) =>
    answer(req.params.id, await commands.reset(online(req.params.id), req.body?.type)),
  );
  app.post<{ Params: Params; Body: Bodies['unlock'] }>('/api/stations/:id/unlock', { ...asAdmin, schema: { body: BODY.unlock } }, async (req) =>
    answer(req.params.id, await commands.unlock(online(req.params.id), req.body?.connectorId)),
  );
  app.post<{ Params: Params; Body: Bodies['availability'] }>(
    '/api/stations/:id/availability',
    { ...asAdmin, schema: { body: BODY.availability } },
    async (req) => answer(req.params.id, await commands.changeAvailability(online(req.params.id), req.body.available, req.body.connectorId)),
  );
  app.post<{ Params: Params; Body: Bodies['trigger'] }>('/api/stations/:id/trigger', { ...asAdmin, schema: { body: BODY.trigger } }, async (req) =>
    answer(req.params.id, await commands.trigger(online(req.params.id), req.body.message, req.body.connectorId)),
  );
  app.get<{ Params: Params }>('/api/stations/:id/local-list', asUser, async (req) =>
    answer(req.params.id, await commands.getLocalListVersion(online(req.params.id))),
  );
  app.put<{ Params: Params; Body: Bodies['localList'] }>('/api/stations/:id/local-list', { ...asAdmin, schema: { body: BODY.localList } }, async (req) => {
    const station = online(req.params.id);
    const wanted = req.body.idTags ?? tags.list().map((t) => t.idTag);
    const list = wanted.map((idTag) => {
      const tag = tags.get(idTag);
      if (!tag) throw new HttpError(404, 'UnknownTag', `no tag ${idTag}`);
      return { tag, status: tags.check(idTag).status };
    });
    return answer(req.params.id, await commands.sendLocalList(station, req.body.listVersion, list, req.body.updateType));
  });
  app.get<{ Params: Params; Querystring: { key?: string | string[] } }>('/api/stations/:id/configuration', asUser, async (req) => {
    const key = req.query.key;
    const keys = key === undefined ? [] : Array.isArray(key) ? key : [key];
    return answer(req.params.id, await commands.getConfiguration(online(req.params.id), keys));
  });

  // ---- tags
  app.get('/api/tags', asUser, () => tags.list());
  app.post<{ Body: Bodies['newTag'] }>('/api/tags', { ...asAdmin, schema: { body: BODY.newTag } }, (req, reply) => {
    if (req.body.parent && req.body.parent !== req.body.idTag && !tags.get(req.body.parent))
      throw new HttpError(400, 'UnknownParent', `no tag ${req.body.parent}`);
    return reply.code(201).send(tags.create(req.body));
  });
  app.patch<{ Params: { idTag: string }; Body: Bodies['editTag'] }>('/api/tags/:idTag', { ...asAdmin, schema: { body: BODY.editTag } }, (req) => {
    if (req.body.parent && !tags.get(req.body.parent)) throw new HttpError(400, 'UnknownParent', `no tag ${req.body.parent}`);
    const tag = tags.update(req.params.idTag, req.body);
    if (!tag) throw new HttpError(404, 'UnknownTag', `no tag ${req.params.idTag}`);
    return tag;
  });
  app.delete<{ Params: { idTag: string } }>('/api/tags/:idTag', asAdmin, (req, reply) => {
    if (!tags.remove(req.params.idTag)) throw new HttpError(404, 'UnknownTag', `no tag ${req.params.idTag}`);
    return reply.code(204).send();
  });
}

function clampLimit(given: string | undefined, max = 500): number {
  const n = Number(given ?? 50);
  return Number.isInteger(n) && n > 0 ? Math.min(n, max) : 50;
}
