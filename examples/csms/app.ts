/**
 * The whole CSMS in one call: the database, the OCPP server and the web server, wired
 * together. `main.ts` runs it from the command line; the tests start it on port 0.
 */
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { CentralSystem } from '../../src/index';
import { DEFAULT_CONFIG, type CsmsConfig } from './config';
import { ChangeFeed } from './events';
import type { CsmsVersion } from './ocpp/context';
import { createOcppServer, OCPP_PATH } from './ocpp/server';
import { openDatabase, type Db } from './store/db';
import { MessageLog } from './store/message-log';
import { StationStore } from './store/stations';
import { TagStore } from './store/tags';
import { TransactionStore } from './store/transactions';
import { UserStore } from './store/users';
import { createWebServer } from './web/server';

/** A running CSMS. */
export interface Csms {
  db: Db;
  stations: StationStore;
  tags: TagStore;
  transactions: TransactionStore;
  users: UserStore;
  cs: CentralSystem<CsmsVersion>;
  web: FastifyInstance;
  /** `ws://host:port/ocpp` (append `/<identity>`). */
  ocppUrl: string;
  /** `http://host:port`. */
  httpUrl: string;
  /** Passwords made up on first start for users nobody set one for (print them once). */
  generatedPasswords: Record<string, string>;
  close(): Promise<void>;
}

export async function startCsms(options: Partial<CsmsConfig> = {}): Promise<Csms> {
  const config: CsmsConfig = { ...DEFAULT_CONFIG, ...options };
  const db = openDatabase(config.db);
  const stations = new StationStore(db);
  const tags = new TagStore(db);
  const transactions = new TransactionStore(db);
  const users = new UserStore(db);
  const feed = new ChangeFeed();
  const messageLog = config.messageLog ? new MessageLog(db) : undefined;
  // Nobody is connected to a server that has just started, whatever the database last said.
  stations.allDisconnected();
  const generatedPasswords = await ensureUsers(users, config);

  const cs = createOcppServer({
    stations,
    tags,
    transactions,
    feed,
    messageLog,
    heartbeatIntervalSec: config.heartbeatIntervalSec,
    pendingIntervalSec: 30,
    unknownStations: config.unknownStations,
    callTimeoutMs: config.callTimeoutMs,
  });
  const web = await createWebServer({ stations, tags, transactions, users, cs, feed, messageLog });
  let ocpp: AddressInfo;
  try {
    ocpp = await cs.listen({ port: config.ocppPort, host: config.host });
    await web.listen({ port: config.httpPort, host: config.host });
  } catch (error) {
    await Promise.allSettled([cs.close(), web.close()]);
    db.close();
    throw error;
  }
  const display = config.host === '0.0.0.0' ? 'localhost' : config.host;
  const httpPort = (web.server.address() as AddressInfo).port;
  return {
    db,
    stations,
    tags,
    transactions,
    users,
    cs,
    web,
    ocppUrl: `ws://${display === 'localhost' ? '127.0.0.1' : display}:${ocpp.port}${OCPP_PATH}`,
    httpUrl: `http://${display}:${httpPort}`,
    generatedPasswords,
    async close() {
      await Promise.allSettled([cs.close(), web.close()]);
      db.close();
    },
  };
}

/**
 * The two console users exist: given passwords are (re)set on every start; a user who does not
 * exist yet and was given none gets a random one, returned so that it can be shown once.
 */
async function ensureUsers(users: UserStore, config: CsmsConfig): Promise<Record<string, string>> {
  const generated: Record<string, string> = {};
  for (const [username, role, given] of [
    ['admin', 'admin', config.adminPassword],
    ['user', 'user', config.userPassword],
  ] as const) {
    if (given !== undefined) await users.set(username, given, role);
    else if (!users.exists(username)) {
      generated[username] = randomBytes(9).toString('base64url');
      await users.set(username, generated[username], role);
    }
  }
  return generated;
}
