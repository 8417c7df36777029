/**
 * The demo CSMS's commands (re-exported by central-system.ts): one function per thing a CSMS
 * asks a charger to do, building the right request for the station's version. 2.1's requests
 * for these actions are supersets of 2.0.1's, so the 2.x request is built once and sent on
 * either; the call is written per version because `call` of a station whose version is one of
 * two cannot be typed.
 */
import type { AnyStation, OCPP16, OCPP201, OCPP21, OcppVersion } from '../src/index';
import type { CsmsState } from './csms-state';

/** What a command sent and got back. */
export interface CommandResult<R = unknown> {
  action: string;
  response: R;
}

/** 2.x components of the variables that have a 1.6 configuration key of the same name. */
const COMPONENT_OF: Readonly<Record<string, string>> = {
  HeartbeatInterval: 'OCPPCommCtrlr',
  TxUpdatedInterval: 'SampledDataCtrlr',
  AuthorizeRemoteStart: 'AuthCtrlr',
};

/** The 2.x variables read when no key is given (GetVariables needs at least one). */
export const DEFAULT_201_KEYS: readonly string[] = ['OCPPCommCtrlr/HeartbeatInterval', 'SampledDataCtrlr/TxUpdatedInterval', 'AuthCtrlr/AuthorizeRemoteStart'];

/**
 * A configuration key as a 2.x component and variable: `"Component/Variable"`, or a bare
 * variable name known to {@link COMPONENT_OF}.
 */
export function componentVariable(key: string): { component: { name: string }; variable: { name: string } } {
  const slash = key.indexOf('/');
  if (slash < 0) return { component: { name: COMPONENT_OF[key] ?? 'ChargingStation' }, variable: { name: key } };
  return { component: { name: key.slice(0, slash) }, variable: { name: key.slice(slash + 1) } };
}

/** Starts a transaction remotely: 1.6 RemoteStartTransaction, 2.x RequestStartTransaction. */
export async function remoteStart(
  station: AnyStation<OcppVersion>,
  idTag: string,
  connectorId = 1,
  state?: CsmsState,
): Promise<CommandResult<{ status: 'Accepted' | 'Rejected' }>> {
  if (station.protocol === 'ocpp1.6') {
    return { action: 'RemoteStartTransaction', response: await station.call('RemoteStartTransaction', { connectorId, idTag }) };
  }
  const remoteStartId = state?.newRemoteStartId() ?? Math.floor(Math.random() * 1e6);
  const request = { evseId: connectorId, remoteStartId, idToken: { idToken: idTag, type: 'Central' as const } };
  if (station.protocol === 'ocpp2.1') return { action: 'RequestStartTransaction', response: await station.call('RequestStartTransaction', request) };
  return { action: 'RequestStartTransaction', response: await station.call('RequestStartTransaction', request) };
}

/** Stops a transaction remotely: 1.6 RemoteStopTransaction (integer id), 2.x RequestStopTransaction. */
export async function remoteStop(
  station: AnyStation<OcppVersion>,
  transactionId: string | number,
): Promise<CommandResult<{ status: 'Accepted' | 'Rejected' }>> {
  if (station.protocol === 'ocpp1.6') {
    // A non-numeric id becomes NaN, which the SDK's validation refuses before anything is sent.
    return { action: 'RemoteStopTransaction', response: await station.call('RemoteStopTransaction', { transactionId: Number(transactionId) }) };
  }
  const request = { transactionId: String(transactionId) };
  if (station.protocol === 'ocpp2.1') return { action: 'RequestStopTransaction', response: await station.call('RequestStopTransaction', request) };
  return { action: 'RequestStopTransaction', response: await station.call('RequestStopTransaction', request) };
}

/** Resets the charger. `type` is the version's own value (1.6 Soft/Hard, 2.x OnIdle/Immediate). */
export async function reset(station: AnyStation<OcppVersion>, type?: string): Promise<CommandResult<{ status: string }>> {
  if (station.protocol === 'ocpp1.6') {
    return { action: 'Reset', response: await station.call('Reset', { type: (type ?? 'Soft') as OCPP16.ResetType }) };
  }
  if (station.protocol === 'ocpp2.1') return { action: 'Reset', response: await station.call('Reset', { type: (type ?? 'OnIdle') as OCPP21.ResetEnumType }) };
  return { action: 'Reset', response: await station.call('Reset', { type: (type ?? 'OnIdle') as OCPP201.ResetEnumType }) };
}

/** Reads configuration: 1.6 GetConfiguration; 2.x GetVariables (keys as `Component/Variable`). */
export async function getConfiguration(station: AnyStation<OcppVersion>, keys: readonly string[] = []): Promise<CommandResult> {
  if (station.protocol === 'ocpp1.6') {
    return { action: 'GetConfiguration', response: await station.call('GetConfiguration', keys.length > 0 ? { key: [...keys] } : {}) };
  }
  const request = { getVariableData: (keys.length > 0 ? keys : DEFAULT_201_KEYS).map(componentVariable) };
  if (station.protocol === 'ocpp2.1') return { action: 'GetVariables', response: await station.call('GetVariables', request) };
  return { action: 'GetVariables', response: await station.call('GetVariables', request) };
}

/** Changes one configuration value: 1.6 ChangeConfiguration; 2.x SetVariables. Returns the status. */
export async function changeConfiguration(station: AnyStation<OcppVersion>, key: string, value: string): Promise<CommandResult & { status: string }> {
  if (station.protocol === 'ocpp1.6') {
    const response = await station.call('ChangeConfiguration', { key, value });
    return { action: 'ChangeConfiguration', response, status: response.status };
  }
  const request = { setVariableData: [{ ...componentVariable(key), attributeValue: value }] };
  const response = station.protocol === 'ocpp2.1' ? await station.call('SetVariables', request) : await station.call('SetVariables', request);
  return { action: 'SetVariables', response, status: response.setVariableResult[0]?.attributeStatus ?? 'Rejected' };
}

/** Asks the charger to send a message now (TriggerMessage; `message` is the version's value). */
export async function trigger(station: AnyStation<OcppVersion>, message: string, connectorId?: number): Promise<CommandResult<{ status: string }>> {
  if (station.protocol === 'ocpp1.6') {
    const request = { requestedMessage: message as OCPP16.MessageTrigger, ...(connectorId === undefined ? {} : { connectorId }) };
    return { action: 'TriggerMessage', response: await station.call('TriggerMessage', request) };
  }
  const evse = connectorId === undefined ? {} : { evse: { id: connectorId } };
  if (station.protocol === 'ocpp2.1') {
    return {
      action: 'TriggerMessage',
      response: await station.call('TriggerMessage', { requestedMessage: message as OCPP21.MessageTriggerEnumType, ...evse }),
    };
  }
  return { action: 'TriggerMessage', response: await station.call('TriggerMessage', { requestedMessage: message as OCPP201.MessageTriggerEnumType, ...evse }) };
}

/** Unlocks a connector (2.x: connector 1 of EVSE `connectorId`). */
export async function unlock(station: AnyStation<OcppVersion>, connectorId = 1): Promise<CommandResult<{ status: string }>> {
  if (station.protocol === 'ocpp1.6') return { action: 'UnlockConnector', response: await station.call('UnlockConnector', { connectorId }) };
  const request = { evseId: connectorId, connectorId: 1 };
  if (station.protocol === 'ocpp2.1') return { action: 'UnlockConnector', response: await station.call('UnlockConnector', request) };
  return { action: 'UnlockConnector', response: await station.call('UnlockConnector', request) };
}

/** Replaces (or updates) the charger's local authorization list with `idTags`, all Accepted. */
export async function sendLocalList(
  station: AnyStation<OcppVersion>,
  listVersion: number,
  idTags: readonly string[],
  updateType: 'Full' | 'Differential' = 'Full',
): Promise<CommandResult<{ status: string }>> {
  if (station.protocol === 'ocpp1.6') {
    const localAuthorizationList = idTags.map((idTag) => ({ idTag, idTagInfo: { status: 'Accepted' as const } }));
    return { action: 'SendLocalList', response: await station.call('SendLocalList', { listVersion, updateType, localAuthorizationList }) };
  }
  const localAuthorizationList = idTags.map((idToken) => ({ idToken: { idToken, type: 'Central' as const }, idTokenInfo: { status: 'Accepted' as const } }));
  const request = { versionNumber: listVersion, updateType, localAuthorizationList };
  if (station.protocol === 'ocpp2.1') return { action: 'SendLocalList', response: await station.call('SendLocalList', request) };
  return { action: 'SendLocalList', response: await station.call('SendLocalList', request) };
}

/** The version of the charger's local authorization list. */
export async function getLocalListVersion(station: AnyStation<OcppVersion>): Promise<CommandResult & { listVersion: number }> {
  if (station.protocol === 'ocpp1.6') {
    const response = await station.call('GetLocalListVersion', {});
    return { action: 'GetLocalListVersion', response, listVersion: response.listVersion };
  }
  const response = station.protocol === 'ocpp2.1' ? await station.call('GetLocalListVersion', {}) : await station.call('GetLocalListVersion', {});
  return { action: 'GetLocalListVersion', response, listVersion: response.versionNumber };
}
