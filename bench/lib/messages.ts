/**
 * The OCPP payloads every benchmark sends and answers, shared by the servers and the load
 * generator so that all of them do exactly the same work. All are valid under the OCA schemas
 * (strict validation would refuse them otherwise, and the load generator counts every
 * CALLERROR as an error).
 */

export type Version = 'ocpp1.6' | 'ocpp2.0.1' | 'ocpp2.1';
export type Message = 'Heartbeat' | 'MeterValues';

// 2.1 sends the same bytes as 2.0.1 (both payloads are valid in both), so its cells differ from
// 2.0.1's only by the version's own validators and rules: what the 2.1 vs 2.0.1 comparison is for.
export const VERSIONS: readonly Version[] = ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'];
export const MESSAGES: readonly Message[] = ['Heartbeat', 'MeterValues'];

const MEASURANDS_16 = [
  'Energy.Active.Import.Register',
  'Power.Active.Import',
  'Current.Import',
  'Current.Import',
  'Current.Import',
  'Voltage',
  'Voltage',
  'Voltage',
  'SoC',
  'Temperature',
];
// 2.0.1 and 2.1 have no Temperature measurand; Frequency takes its place.
const MEASURANDS_201 = [
  'Energy.Active.Import.Register',
  'Power.Active.Import',
  'Current.Import',
  'Current.Import',
  'Current.Import',
  'Voltage',
  'Voltage',
  'Voltage',
  'SoC',
  'Frequency',
];
const PHASES = [undefined, undefined, 'L1', 'L2', 'L3', 'L1-N', 'L2-N', 'L3-N', undefined, undefined];
const UNITS_16 = ['Wh', 'W', 'A', 'A', 'A', 'V', 'V', 'V', 'Percent', 'Celsius'];
const UNITS_201 = ['Wh', 'W', 'A', 'A', 'A', 'V', 'V', 'V', 'Percent', 'Hz'];

/** MeterValues with one meter value of 10 sampled values, as a charger sends every period. */
function meterValues(version: Version): Record<string, unknown> {
  if (version === 'ocpp1.6') {
    return {
      connectorId: 1,
      transactionId: 1234567,
      meterValue: [
        {
          timestamp: '2024-05-01T12:00:00.000Z',
          sampledValue: MEASURANDS_16.map((measurand, i) => ({
            value: (12345.5 + i * 1.25).toFixed(2),
            context: 'Sample.Periodic',
            format: 'Raw',
            measurand,
            ...(PHASES[i] ? { phase: PHASES[i] } : {}),
            location: i === 8 ? 'EV' : 'Outlet',
            unit: UNITS_16[i],
          })),
        },
      ],
    };
  }
  return {
    evseId: 1,
    meterValue: [
      {
        timestamp: '2024-05-01T12:00:00.000Z',
        sampledValue: MEASURANDS_201.map((measurand, i) => ({
          value: 12345.5 + i * 1.25,
          context: 'Sample.Periodic',
          measurand,
          ...(PHASES[i] ? { phase: PHASES[i] } : {}),
          location: i === 8 ? 'EV' : 'Outlet',
          unitOfMeasure: { unit: UNITS_201[i], multiplier: 0 },
        })),
      },
    ],
  };
}

/** The request payload of `message` in `version`. */
export function requestPayload(version: Version, message: Message): Record<string, unknown> {
  return message === 'Heartbeat' ? {} : meterValues(version);
}

/** What every server answers: Heartbeat gets the current time, MeterValues an empty object. */
export function responsePayload(message: string): Record<string, unknown> {
  return message === 'Heartbeat' ? { currentTime: new Date().toISOString() } : {};
}

export function bootRequest(version: Version): Record<string, unknown> {
  return version === 'ocpp1.6'
    ? { chargePointVendor: 'BenchVendor', chargePointModel: 'BenchModel', firmwareVersion: '1.0.0' }
    : { reason: 'PowerUp', chargingStation: { vendorName: 'BenchVendor', model: 'BenchModel', firmwareVersion: '1.0.0' } };
}

export function bootResponse(): Record<string, unknown> {
  return { status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 };
}

/**
 * Whether a CALLRESULT payload is the answer every server gives: the right keys, nothing else.
 * Heartbeat: exactly `currentTime` (a string); MeterValues: no keys; BootNotification:
 * `status` Accepted, `currentTime`, `interval`.
 */
export function isExpectedResponse(action: string, payload: unknown): boolean {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return false;
  const p = payload as Record<string, unknown>;
  let n = 0;
  for (const key in p) {
    if (!Object.prototype.hasOwnProperty.call(p, key)) continue;
    n++;
  }
  if (action === 'Heartbeat') return n === 1 && typeof p['currentTime'] === 'string';
  if (action === 'MeterValues') return n === 0;
  if (action === 'BootNotification') return n === 3 && p['status'] === 'Accepted' && typeof p['currentTime'] === 'string' && typeof p['interval'] === 'number';
  return false;
}
