/**
 * A CSMS with an HTTP JSON API in front of it (node:http only), the usual shape of a
 * back-office: chargers connect over OCPP, operators and apps talk HTTP.
 *
 *   npx ts-node examples/csms-http-api.ts        # OCPP on $PORT (9220), HTTP on $HTTP_PORT (8080)
 *   curl localhost:8080/stations
 *   curl -X POST localhost:8080/stations/SIM-16/remote-start -d '{"idTag":"TAG-001"}'
 *
 * Routes (`:id` is the charger identity; the same routes serve 1.6, 2.0.1 and 2.1 chargers):
 *   GET  /stations                      connected stations: protocol, boot info, last status, transaction
 *   GET  /stations/:id                  one of them
 *   POST /stations/:id/remote-start     {"idTag", "connectorId"?}
 *   POST /stations/:id/remote-stop      {"transactionId"?}   (default: the transaction in progress)
 *   POST /stations/:id/reset            {"type"?}            (1.6 Soft|Hard, 2.x OnIdle|Immediate)
 *   GET  /stations/:id/configuration    ?key=K&key=K2        (2.x keys: Component/Variable)
 *   POST /stations/:id/configuration    {"key", "value"}
 *   POST /stations/:id/trigger          {"message", "connectorId"?}
 *   PUT  /stations/:id/local-list       {"listVersion", "idTags": [...], "updateType"?}
 *   GET  /stations/:id/local-list       the list version
 *
 * Errors are JSON `{error, message, ...}`: 400 for bad JSON, missing fields or a request the
 * SDK's validation refuses (ValidationError); 404 for an unknown station or route; 502 when
 * the station answers with a CALLERROR (its code is passed on) or an invalid response; 503
 * when it disconnects meanwhile; 504 when it does not answer in time (TimeoutError).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectionClosedError, RpcError, TimeoutError, ValidationError, type AnyStation, type CentralSystem, type OcppVersion } from '../src/index';
import {
  changeConfiguration,
  createDemoCentralSystem,
  CsmsState,
  DEMO_PATH,
  getConfiguration,
  getLocalListVersion,
  remoteStart,
  remoteStop,
  reset,
  sendLocalList,
  trigger,
  type DemoCsmsOptions,
} from './central-system';

/** Options of {@link startCsmsHttpApi}. */
export interface HttpApiOptions extends DemoCsmsOptions {
  /** OCPP WebSocket port; 0 picks a free one. @default 9220 */
  ocppPort?: number;
  /** HTTP API port; 0 picks a free one. @default 8080 */
  httpPort?: number;
  /** Interface both servers bind to. @default '0.0.0.0' */
  host?: string;
}

/** What {@link startCsmsHttpApi} started. */
export interface HttpApiHandles {
  cs: CentralSystem<OcppVersion>;
  http: Server;
  state: CsmsState;
  /** `ws://host:port/ocpp` (append `/<identity>`). */
  ocppUrl: string;
  /** `http://host:port`. */
  httpUrl: string;
  /** Closes both servers. */
  close(): Promise<void>;
}

/** An error with an HTTP status, for requests that are wrong before any OCPP is involved. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const MAX_BODY_BYTES = 64 * 1024;

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'PayloadTooLarge', `body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'BadJson', 'the body is not valid JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'BadRequest', 'the body must be a JSON object');
  return body as Record<string, unknown>;
}

/** `body[name]` when it has the expected type; a 400 when it is required and missing, or mistyped. */
function field<T extends 'string' | 'number'>(
  body: Record<string, unknown>,
  name: string,
  type: T,
  required: boolean,
): (T extends 'string' ? string : number) | undefined {
  const value = body[name];
  if (value === undefined) {
    if (required) throw new HttpError(400, 'BadRequest', `missing field "${name}"`);
    return undefined;
  }
  if (typeof value !== type) throw new HttpError(400, 'BadRequest', `"${name}" must be a ${type}`);
  return value as T extends 'string' ? string : number;
}

/** The HTTP status and body for an error, following the table in the header comment. */
export function errorResponse(error: unknown): { status: number; body: Record<string, unknown> } {
  if (error instanceof HttpError) return { status: error.status, body: { error: error.code, message: error.message } };
  if (error instanceof ValidationError) {
    // Our request refused before sending: the client's fault. The station's invalid answer: upstream's.
    const status = error.direction === 'outbound' ? 400 : 502;
    return { status, body: { error: 'ValidationError', code: error.code, message: error.message } };
  }
  if (error instanceof TimeoutError) return { status: 504, body: { error: 'Timeout', message: error.message } };
  if (error instanceof RpcError) return { status: 502, body: { error: 'CallError', code: error.code, description: error.description, details: error.details } };
  if (error instanceof ConnectionClosedError) return { status: 503, body: { error: 'StationDisconnected', message: error.message } };
  return { status: 500, body: { error: 'InternalError', message: 'internal error' } };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** The API's view of a connected station. */
function describe(station: AnyStation<OcppVersion>, state: CsmsState): Record<string, unknown> {
  const record = state.stations.get(station.identity);
  return {
    identity: station.identity,
    protocol: station.protocol,
    connectedAt: new Date(station.connectedAt).toISOString(),
    bootStatus: station.bootStatus ?? null,
    boot: record?.boot ?? null,
    status: record?.status ?? {},
    transaction: state.activeTransaction(station.identity) ?? null,
  };
}

type Route = (station: AnyStation<OcppVersion>, body: Record<string, unknown>, url: URL) => Promise<unknown>;

/** The station routes, by `METHOD suffix`. Each returns `{action, response}` from a command. */
function stationRoutes(state: CsmsState): Record<string, Route> {
  return {
    'POST remote-start': (station, body) => remoteStart(station, field(body, 'idTag', 'string', true)!, field(body, 'connectorId', 'number', false), state),
    'POST remote-stop': (station, body) => {
      const given = body.transactionId;
      if (given !== undefined && typeof given !== 'string' && typeof given !== 'number')
        throw new HttpError(400, 'BadRequest', '"transactionId" must be a string or a number');
      const transactionId = given ?? state.activeTransaction(station.identity)?.id;
      if (transactionId === undefined) throw new HttpError(400, 'BadRequest', 'no transaction in progress: give "transactionId"');
      return remoteStop(station, transactionId);
    },
    'POST reset': (station, body) => reset(station, field(body, 'type', 'string', false)),
    'GET configuration': (station, _body, url) => getConfiguration(station, url.searchParams.getAll('key')),
    'POST configuration': (station, body) => changeConfiguration(station, field(body, 'key', 'string', true)!, field(body, 'value', 'string', true)!),
    'POST trigger': (station, body) => trigger(station, field(body, 'message', 'string', true)!, field(body, 'connectorId', 'number', false)),
    'PUT local-list': (station, body) => {
      const idTags = body.idTags;
      if (!Array.isArray(idTags) || !idTags.every((t) => typeof t === 'string')) throw new HttpError(400, 'BadRequest', '"idTags" must be an array of strings');
      const updateType = field(body, 'updateType', 'string', false) ?? 'Full';
      if (updateType !== 'Full' && updateType !== 'Differential') throw new HttpError(400, 'BadRequest', '"updateType" must be Full or Differential');
      return sendLocalList(station, field(body, 'listVersion', 'number', true)!, idTags, updateType);
    },
    'GET local-list': (station) => getLocalListVersion(station),
  };
}

/** Builds the request handler of the API over a CentralSystem and its state. */
export function createApiHandler(cs: CentralSystem<OcppVersion>, state: CsmsState): (req: IncomingMessage, res: ServerResponse) => void {
  const routes = stationRoutes(state);
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'stations' || parts.length > 3) throw new HttpError(404, 'NotFound', `no route ${url.pathname}`);
    if (parts.length === 1) {
      if (req.method !== 'GET') throw new HttpError(405, 'MethodNotAllowed', 'use GET');
      send(
        res,
        200,
        [...cs.stations].map((s) => describe(s, state)),
      );
      return;
    }
    const station = cs.stations.get(parts[1]);
    if (!station) throw new HttpError(404, 'UnknownStation', `station ${parts[1]} is not connected`);
    if (parts.length === 2) {
      send(res, 200, describe(station, state));
      return;
    }
    const route = routes[`${req.method} ${parts[2]}`];
    if (!route) {
      const known = Object.keys(routes).some((key) => key.endsWith(` ${parts[2]}`));
      throw known
        ? new HttpError(405, 'MethodNotAllowed', `${req.method} not allowed on ${parts[2]}`)
        : new HttpError(404, 'NotFound', `no route ${url.pathname}`);
    }
    const body = req.method === 'GET' ? {} : await readJson(req);
    send(res, 200, { identity: station.identity, protocol: station.protocol, ...((await route(station, body, url)) as object) });
  };
  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      const { status, body } = errorResponse(error);
      if (!res.headersSent) send(res, status, body);
    });
  };
}

/** Starts the CSMS (OCPP) and the HTTP API. Ports 0 pick free ones. */
export async function startCsmsHttpApi(options: HttpApiOptions = {}): Promise<HttpApiHandles> {
  const { ocppPort = 9220, httpPort = 8080, host = '0.0.0.0', ...csmsOptions } = options;
  const state = csmsOptions.state ?? new CsmsState();
  const cs = createDemoCentralSystem({ ...csmsOptions, state });
  const ocpp = await cs.listen({ port: ocppPort, host });
  const http = createServer(createApiHandler(cs, state));
  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(httpPort, host, () => resolve());
    });
  } catch (error) {
    await cs.close();
    throw error;
  }
  const display = host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    cs,
    http,
    state,
    ocppUrl: `ws://${display}:${ocpp.port}${DEMO_PATH}`,
    httpUrl: `http://${display}:${(http.address() as AddressInfo).port}`,
    async close() {
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      await Promise.all([closed, cs.close()]);
    },
  };
}

// ------------------------------------------------------------------ run it

if (require.main === module) {
  startCsmsHttpApi({ ocppPort: Number(process.env.PORT ?? 9220), httpPort: Number(process.env.HTTP_PORT ?? 8080) }).then(
    (api) => {
      console.log(`OCPP:     ${api.ocppUrl}/<identity>`);
      console.log(`HTTP API: ${api.httpUrl}/stations`);
      const stop = (): void => void api.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
