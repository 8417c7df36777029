/**
 * GET /api/events: Server-Sent Events telling a logged-in browser which station changed, so
 * the console re-reads it (overview and station pages update without a reload). SSE rather
 * than a WebSocket: one direction is all it needs, and the browser reconnects by itself.
 */
import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { CsmsEvents } from '../events';
import { requireRole } from './auth';
import type { WebDeps } from './server';

/** A comment line now and then keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 15_000;

export function registerLive(app: FastifyInstance, deps: WebDeps): void {
  const streams = new Set<ServerResponse>();
  app.addHook('onClose', (_instance, done) => {
    for (const res of streams) res.end();
    done();
  });

  app.get('/api/events', { preHandler: requireRole(deps.users, 'user') }, (req, reply) => {
    const res = reply.raw;
    reply.hijack();
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    const listener: CsmsEvents['change'] = (e) => res.write(`event: change\ndata: ${JSON.stringify(e)}\n\n`);
    const timer = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
    deps.feed.on('change', listener);
    streams.add(res);
    req.raw.once('close', () => {
      clearInterval(timer);
      deps.feed.off('change', listener);
      streams.delete(res);
    });
  });
}
