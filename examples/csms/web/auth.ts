/**
 * Who is asking: a console session (cookie, after POST /login) or, for API clients, HTTP Basic
 * with a console user's name and password. Two roles: `user` reads; `admin` also acts on
 * stations and manages stations, tags and station passwords.
 *
 * The session cookie is SameSite=Strict and every changing request is JSON (or the login
 * form), so another site cannot make a logged-in browser act: that is the CSRF defence here.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Role, User, UserStore } from '../store/users';
import { HttpError } from './errors';

declare module 'fastify' {
  interface Session {
    user?: User;
  }
  interface FastifyRequest {
    /** Set by {@link requireRole} once the request is authenticated. */
    user?: User;
  }
}

/** The user behind a request, from its session or its Basic credentials. */
export async function userOf(req: FastifyRequest, users: UserStore): Promise<User | undefined> {
  if (req.session?.user) return req.session.user;
  const header = req.headers.authorization;
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return users.verify(decoded.slice(0, colon), decoded.slice(colon + 1));
}

/** A preHandler answering 401 without a user and 403 for a user below `role`. */
export function requireRole(users: UserStore, role: Role): (req: FastifyRequest) => Promise<void> {
  return async (req) => {
    const user = await userOf(req, users);
    if (!user) throw new HttpError(401, 'Unauthenticated', 'log in, or send Basic credentials of a console user');
    if (role === 'admin' && user.role !== 'admin') throw new HttpError(403, 'Forbidden', `${user.username} is a ${user.role}; this needs an admin`);
    req.user = user;
  };
}

/** A preHandler for console pages: to the login page without a session. */
export function requirePage(users: UserStore): (req: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async (req, reply) => {
    const user = await userOf(req, users);
    if (!user) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`);
    req.user = user;
  };
}

/** POST /login (form or JSON) and POST /logout. */
export function registerAuthRoutes(app: FastifyInstance, users: UserStore): void {
  app.post<{ Body: { username?: unknown; password?: unknown; next?: unknown } }>('/login', async (req, reply) => {
    const { username, password, next } = req.body ?? {};
    const json = req.headers['content-type']?.startsWith('application/json');
    const user = typeof username === 'string' && typeof password === 'string' ? await users.verify(username, password) : undefined;
    if (!user) {
      if (json) throw new HttpError(401, 'BadCredentials', 'wrong username or password');
      return reply.redirect('/login?failed=1');
    }
    // A new session id on login: a session fixed before it cannot be taken over.
    await req.session.regenerate();
    req.session.user = user;
    if (json) return { username: user.username, role: user.role };
    // Only local paths: an open redirect would hand the login page to phishing.
    const target = typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') ? next : '/';
    return reply.redirect(target);
  });
  app.post('/logout', async (req, reply) => {
    await req.session.destroy();
    return reply.redirect('/login');
  });
}
