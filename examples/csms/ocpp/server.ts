/**
 * The OCPP side: a CentralSystem for 1.6, 2.0.1 and 2.1 at `/ocpp/<identity>`, whose
 * `authenticate` hook checks each station's Basic-auth password against its scrypt hash, and
 * whose handlers (handlers-16.ts, handlers-2x.ts) read and write the database.
 *
 * Unknown identities are refused, or, with `unknownStations: 'pending'`, admitted and recorded
 * as pending: their BootNotification is answered Pending until an administrator accepts them.
 */
import { CentralSystem, serializeFrame } from '../../../src/index';
import type { MessageLog } from '../store/message-log';
import { verifyPassword } from '../store/passwords';
import { CSMS_PROTOCOLS, type CsmsVersion, type HandlerContext } from './context';
import { registerOcpp16 } from './handlers-16';
import { registerOcpp2x } from './handlers-2x';

/** Where stations connect: `ws://host:port/ocpp/<identity>`. */
export const OCPP_PATH = '/ocpp';

export interface OcppServerOptions extends HandlerContext {
  /** What happens to an identity that is not in the stations table. */
  unknownStations: 'refuse' | 'pending';
  /** Every frame to and from each station, when given. */
  messageLog?: MessageLog;
  /** Time a station has to answer our calls. */
  callTimeoutMs?: number;
}

export function createOcppServer(options: OcppServerOptions): CentralSystem<CsmsVersion> {
  const { stations, feed, messageLog } = options;
  const cs = new CentralSystem<CsmsVersion>({
    path: OCPP_PATH,
    protocols: CSMS_PROTOCOLS,
    ...(options.callTimeoutMs === undefined ? {} : { callTimeoutMs: options.callTimeoutMs }),
    // A station that booted before (and was accepted) may go on after a reconnect without
    // booting again; anyone else may send only BootNotification until accepted.
    bootGating: {
      isAccepted: ({ identity }) => {
        const station = stations.get(identity);
        return station?.admission === 'accepted' && station.bootedAt !== null;
      },
    },
    authenticate: async ({ identity, credentials }) => {
      const known = stations.credentials(identity);
      if (!known) {
        if (options.unknownStations === 'refuse') return { accept: false, status: 401, message: 'unknown station' };
        stations.create(identity, { admission: 'pending', description: 'connected unannounced' });
        feed.changed(identity, 'admin');
        return true;
      }
      // No password set: the administrator chose not to require one for this station.
      if (known.passwordHash === null) return true;
      if (!credentials) return { accept: false, status: 401, message: 'password required' };
      return verifyPassword(credentials.password, known.passwordHash);
    },
  });

  registerOcpp16(cs, options);
  registerOcpp2x(cs, 'ocpp2.0.1', options);
  registerOcpp2x(cs, 'ocpp2.1', options);

  cs.on('connection', (station) => {
    stations.setConnected(station.identity, true, station.protocol);
    feed.changed(station.identity, 'connection');
    station.on('frame', (e) => {
      stations.seen(station.identity);
      messageLog?.add(station.identity, e.direction === 'inbound' ? 'in' : 'out', serializeFrame(e.frame));
    });
  });
  cs.on('disconnect', ({ station }) => {
    // A reconnect may have replaced this connection already; only the last one going is "offline".
    if (cs.stations.get(station.identity) === undefined) {
      stations.setConnected(station.identity, false);
      feed.changed(station.identity, 'connection');
    }
  });
  return cs;
}
