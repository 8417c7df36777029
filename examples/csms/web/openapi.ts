/**
 * The OpenAPI 3.1 document of the REST API, served at GET /api/openapi.json. Request bodies are
 * the schemas the server validates with (schemas.ts); the paths are listed here by hand, and a
 * test checks that every route the server has is in the document.
 */
import { BODY } from './schemas';

type Op = { summary: string; admin?: boolean; body?: keyof typeof BODY; query?: string[]; csv?: boolean; noContent?: boolean; created?: boolean };

const station = '/api/stations/{id}';
const PATHS: Record<string, Record<string, Op>> = {
  '/api/me': { get: { summary: 'The user asking, with its role' } },
  '/api/stations': {
    get: { summary: 'Every station: connection, device information, connector status, running transactions (live power and energy)' },
    post: { summary: 'Add a station, optionally with its Basic-auth password', admin: true, body: 'newStation', created: true },
  },
  [station]: {
    get: { summary: 'One station' },
    patch: { summary: 'Change description, password (null: none) or admission', admin: true, body: 'editStation' },
    delete: { summary: 'Remove a station (and disconnect it)', admin: true, noContent: true },
  },
  [`${station}/transactions`]: { get: { summary: 'Latest transactions, newest first', query: ['limit'] } },
  [`${station}/transactions.csv`]: { get: { summary: 'Latest transactions as CSV', query: ['limit'], csv: true } },
  [`${station}/messages`]: { get: { summary: 'Latest OCPP frames (only with --message-log)' } },
  [`${station}/remote-start`]: { post: { summary: 'RemoteStartTransaction (2.x RequestStartTransaction)', admin: true, body: 'remoteStart' } },
  [`${station}/remote-stop`]: { post: { summary: 'RemoteStopTransaction (2.x RequestStopTransaction)', admin: true, body: 'remoteStop' } },
  [`${station}/reset`]: { post: { summary: 'Reset (soft/hard; 2.x OnIdle/Immediate)', admin: true, body: 'reset' } },
  [`${station}/unlock`]: { post: { summary: 'UnlockConnector', admin: true, body: 'unlock' } },
  [`${station}/availability`]: { post: { summary: 'ChangeAvailability (connector 0: the whole station)', admin: true, body: 'availability' } },
  [`${station}/trigger`]: { post: { summary: 'TriggerMessage', admin: true, body: 'trigger' } },
  [`${station}/local-list`]: {
    get: { summary: 'GetLocalListVersion' },
    put: { summary: 'SendLocalList from the tag table', admin: true, body: 'localList' },
  },
  [`${station}/configuration`]: { get: { summary: 'GetConfiguration (2.x GetVariables; keys as Component/Variable)', query: ['key'] } },
  '/api/tags': {
    get: { summary: 'Every charge tag' },
    post: { summary: 'Add a tag (409 when it exists)', admin: true, body: 'newTag', created: true },
  },
  '/api/tags/{idTag}': {
    patch: { summary: 'Change a tag', admin: true, body: 'editTag' },
    delete: { summary: 'Remove a tag', admin: true, noContent: true },
  },
};

const errorRef = { $ref: '#/components/schemas/Error' };
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: errorRef } } });

function operation(path: string, op: Op): Record<string, unknown> {
  const parameters = [
    ...[...path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } })),
    ...(op.query ?? []).map((name) => ({ name, in: 'query', required: false, schema: { type: name === 'limit' ? 'integer' : 'string' } })),
  ];
  const ok = op.noContent
    ? { 204: { description: 'Done' } }
    : {
        [op.created ? 201 : 200]: {
          description: 'OK',
          content: op.csv ? { 'text/csv': { schema: { type: 'string' } } } : { 'application/json': { schema: {} } },
        },
      };
  return {
    summary: op.summary,
    ...(op.admin ? { description: 'Needs the admin role.' } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: BODY[op.body] } } } } : {}),
    responses: {
      ...ok,
      400: errorResponse('Malformed JSON, a missing or mistyped field, or a request the OCPP schemas refuse (error ValidationError, with code)'),
      401: errorResponse('Not logged in and no valid Basic credentials'),
      ...(op.admin ? { 403: errorResponse('The user is not an admin') } : {}),
      404: errorResponse('Unknown station or tag'),
      409: errorResponse('Duplicate, or the station is offline'),
      502: errorResponse('The station answered with a CALLERROR (code: its OCPP error code) or an invalid response'),
      504: errorResponse('The station did not answer in time'),
    },
  };
}

/** The document, built once per request (it is small, and cheap to build). */
export function buildOpenApi(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, ops] of Object.entries(PATHS)) {
    paths[path] = Object.fromEntries(Object.entries(ops).map(([method, op]) => [method, operation(path, op)]));
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'ocpp-sdk example CSMS',
      version: '1.0.0',
      description:
        "Stations (OCPP 1.6, 2.0.1, 2.1), charge tags and transactions. Commands answer with the station's own reply: `{identity, action, request, response}`.",
    },
    security: [{ basic: [] }, { session: [] }],
    components: {
      securitySchemes: {
        basic: { type: 'http', scheme: 'basic', description: 'A console user' },
        session: { type: 'apiKey', in: 'cookie', name: 'csms.sid', description: 'The console session, after POST /login' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error', 'message'],
          properties: { error: { type: 'string' }, message: { type: 'string' }, code: { type: 'string', description: 'OCPP error code' }, details: {} },
        },
      },
    },
    paths,
  };
}

/** `METHOD /path` of every operation, with Fastify's `:param` spelling (for the test). */
export function documentedRoutes(): string[] {
  return Object.entries(PATHS).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`));
}
