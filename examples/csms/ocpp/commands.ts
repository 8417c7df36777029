/**
 * What the console and the API ask of a station, in words that do not depend on its version:
 * each builds the right request for 1.6 or 2.x, sends it, and returns the action, the request
 * and the station's own answer. Errors (the station's CALLERROR, a timeout, a request our
 * validation refuses) are thrown as the SDK's error classes; web/errors.ts maps them to HTTP.
 *
 * 2.1 requests used here have the 2.0.1 shape, so a 2.x station is called as a 2.0.1 one.
 */
import type { AnyStation, OCPP16, OCPP201, Station } from '../../../src/index';
import type { Tag } from '../store/tags';
import type { CsmsVersion } from './context';

/** A command as sent and answered. */
export interface CommandResult {
  action: string;
  request: unknown;
  response: unknown;
}

type Any = AnyStation<CsmsVersion>;

/** The station as a 1.6 one, or undefined. */
function v16(station: Any): Station<'ocpp1.6'> | undefined {
  return station.protocol === 'ocpp1.6' ? station : undefined;
}

async function send(station: Any, action: string, request: object): Promise<CommandResult> {
  // One untyped door for the commands below, each of which builds a request of the right shape.
  const call = station.call.bind(station) as (action: string, request: object) => Promise<unknown>;
  return { action, request, response: await call(action, request) };
}

let remoteStartIds = Math.floor(Date.now() / 1000) % 1_000_000;

export function remoteStart(station: Any, idTag: string, connectorId = 1): Promise<CommandResult> {
  if (v16(station)) return send(station, 'RemoteStartTransaction', { connectorId, idTag } satisfies OCPP16.RemoteStartTransactionRequest);
  const request: OCPP201.RequestStartTransactionRequest = {
    evseId: connectorId,
    remoteStartId: ++remoteStartIds,
    idToken: { idToken: idTag, type: 'Central' },
  };
  return send(station, 'RequestStartTransaction', request);
}

/** `transactionId` is the station's id for it (1.6: our integer, as text or number). */
export function remoteStop(station: Any, transactionId: string): Promise<CommandResult> {
  // A non-numeric 1.6 id becomes NaN, which the SDK's validation refuses before anything is sent.
  if (v16(station)) return send(station, 'RemoteStopTransaction', { transactionId: Number(transactionId) } satisfies OCPP16.RemoteStopTransactionRequest);
  return send(station, 'RequestStopTransaction', { transactionId } satisfies OCPP201.RequestStopTransactionRequest);
}

/** `soft`/`hard` are translated (2.x: OnIdle/Immediate); a version's own word is passed on. */
export function reset(station: Any, type = 'soft'): Promise<CommandResult> {
  const lower = type.toLowerCase();
  if (v16(station)) return send(station, 'Reset', { type: lower === 'soft' ? 'Soft' : lower === 'hard' ? 'Hard' : (type as OCPP16.ResetType) });
  return send(station, 'Reset', { type: lower === 'soft' ? 'OnIdle' : lower === 'hard' ? 'Immediate' : (type as OCPP201.ResetEnumType) });
}

/** Unlocks a connector (2.x: connector 1 of EVSE `connectorId`). */
export function unlock(station: Any, connectorId = 1): Promise<CommandResult> {
  if (v16(station)) return send(station, 'UnlockConnector', { connectorId } satisfies OCPP16.UnlockConnectorRequest);
  return send(station, 'UnlockConnector', { evseId: connectorId, connectorId: 1 } satisfies OCPP201.UnlockConnectorRequest);
}

/** Operative or not; connector 0 (2.x: no EVSE) is the whole station. */
export function changeAvailability(station: Any, available: boolean, connectorId = 0): Promise<CommandResult> {
  if (v16(station)) {
    return send(station, 'ChangeAvailability', { connectorId, type: available ? 'Operative' : 'Inoperative' } satisfies OCPP16.ChangeAvailabilityRequest);
  }
  const request: OCPP201.ChangeAvailabilityRequest = {
    operationalStatus: available ? 'Operative' : 'Inoperative',
    ...(connectorId > 0 ? { evse: { id: connectorId } } : {}),
  };
  return send(station, 'ChangeAvailability', request);
}

/** TriggerMessage; `message` is the version's own value (e.g. Heartbeat, StatusNotification). */
export function trigger(station: Any, message: string, connectorId?: number): Promise<CommandResult> {
  if (v16(station)) {
    return send(station, 'TriggerMessage', { requestedMessage: message as OCPP16.MessageTrigger, ...(connectorId === undefined ? {} : { connectorId }) });
  }
  return send(station, 'TriggerMessage', {
    requestedMessage: message as OCPP201.MessageTriggerEnumType,
    ...(connectorId === undefined ? {} : { evse: { id: connectorId } }),
  });
}

/** The trigger messages each version knows, for the console's menu. */
export const TRIGGER_MESSAGES: Readonly<Record<'1.6' | '2.x', readonly string[]>> = {
  '1.6': ['BootNotification', 'Heartbeat', 'MeterValues', 'StatusNotification', 'DiagnosticsStatusNotification', 'FirmwareStatusNotification'],
  '2.x': ['BootNotification', 'Heartbeat', 'MeterValues', 'StatusNotification', 'TransactionEvent', 'FirmwareStatusNotification', 'LogStatusNotification'],
};

export async function getLocalListVersion(station: Any): Promise<CommandResult & { listVersion: number }> {
  const result = await send(station, 'GetLocalListVersion', {});
  const r = result.response as { listVersion?: number; versionNumber?: number };
  return { ...result, listVersion: r.listVersion ?? r.versionNumber ?? 0 };
}

/** Sends `tags` as the station's local list, each with the status the tag table gives it now. */
export function sendLocalList(
  station: Any,
  listVersion: number,
  tags: ReadonlyArray<{ tag: Tag; status: 'Accepted' | 'Blocked' | 'Expired' | 'Invalid' }>,
  updateType: 'Full' | 'Differential' = 'Full',
): Promise<CommandResult> {
  if (v16(station)) {
    const localAuthorizationList = tags.map(({ tag, status }) => ({
      idTag: tag.idTag,
      idTagInfo: { status, ...(tag.parent ? { parentIdTag: tag.parent } : {}), ...(tag.expiry ? { expiryDate: tag.expiry } : {}) },
    }));
    return send(station, 'SendLocalList', { listVersion, updateType, localAuthorizationList } satisfies OCPP16.SendLocalListRequest);
  }
  const localAuthorizationList = tags.map(({ tag, status }) => ({
    idToken: { idToken: tag.idTag, type: 'Central' as const },
    idTokenInfo: {
      status: status === 'Invalid' ? ('Unknown' as const) : status,
      ...(tag.parent ? { groupIdToken: { idToken: tag.parent, type: 'Central' as const } } : {}),
    },
  }));
  return send(station, 'SendLocalList', { versionNumber: listVersion, updateType, localAuthorizationList } satisfies OCPP201.SendLocalListRequest);
}

/** The 2.x variables read when no key is given (GetVariables needs at least one). */
const DEFAULT_2X_KEYS = ['OCPPCommCtrlr/HeartbeatInterval', 'SampledDataCtrlr/TxUpdatedInterval', 'AuthCtrlr/AuthorizeRemoteStart'];

/** 1.6 GetConfiguration (all keys when none given); 2.x GetVariables with keys `Component/Variable`. */
export function getConfiguration(station: Any, keys: readonly string[] = []): Promise<CommandResult> {
  if (v16(station)) return send(station, 'GetConfiguration', keys.length > 0 ? { key: [...keys] } : {});
  const getVariableData = (keys.length > 0 ? keys : DEFAULT_2X_KEYS).map((key) => {
    const slash = key.indexOf('/');
    return slash < 0
      ? { component: { name: 'ChargingStation' }, variable: { name: key } }
      : { component: { name: key.slice(0, slash) }, variable: { name: key.slice(slash + 1) } };
  });
  return send(station, 'GetVariables', { getVariableData } satisfies OCPP201.GetVariablesRequest);
}
