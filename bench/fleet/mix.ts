/**
 * The realistic message mix of the fleet benchmark, shared by the station processes (which send
 * it) and the report (which states it). One OCPP 1.6 charger with one connector:
 *
 * - after connecting: BootNotification (once per ChargePoint object: on a reconnect OCPP 2.0.1
 *   §5.3 says not to boot again, and the SDK's `boot()` returns the stored answer), then a
 *   StatusNotification for connectors 0 and 1;
 * - Heartbeat every {@link HEARTBEAT_S} s (the interval the server's BootNotification answer gives);
 * - MeterValues every {@link METER_S} s, with 4 sampled values (and the transactionId while charging);
 * - a transaction every {@link CYCLE_S} s: Authorize, StartTransaction, StatusNotification
 *   Charging; {@link CHARGING_S} s later StopTransaction and StatusNotification Available;
 * - the central system calls 1% of its stations per minute (GetConfiguration).
 *
 * Every station starts at a random point of each period, so the load is even from the start.
 */

/** Heartbeat period. */
export const HEARTBEAT_S = 300;
/** MeterValues period. */
export const METER_S = 60;
/** One transaction per this many seconds. */
export const CYCLE_S = 3600;
/** How long a transaction lasts. */
export const CHARGING_S = 1200;
/** Share of the stations the central system calls per minute. */
export const CSMS_CALLS_PER_MINUTE = 0.01;

/** The mix, in one sentence for the report. */
export const MIX_TEXT =
  `OCPP 1.6, one connector: Heartbeat every ${HEARTBEAT_S} s, MeterValues (4 samples) every ${METER_S} s, ` +
  `a transaction (Authorize, StartTransaction, 2 StatusNotifications, StopTransaction) every ${CYCLE_S / 60} min lasting ${CHARGING_S / 60} min, ` +
  `and the central system calling ${CSMS_CALLS_PER_MINUTE * 100}% of the stations per minute (GetConfiguration)`;

/** Messages per station per second at steady state, on average (for the report). */
export const MESSAGES_PER_STATION_S = 1 / HEARTBEAT_S + 1 / METER_S + 5 / CYCLE_S + CSMS_CALLS_PER_MINUTE / 60;

const now = (): string => new Date().toISOString();

/** The BootNotification of station `n`. */
export function bootRequest(n: number): { chargePointVendor: string; chargePointModel: string; chargePointSerialNumber: string } {
  return { chargePointVendor: 'FleetBench', chargePointModel: 'FB-1', chargePointSerialNumber: `FB${n}` };
}

/** A StatusNotification. */
export function statusRequest(connectorId: number, status: 'Available' | 'Charging'): Record<string, unknown> {
  return { connectorId, errorCode: 'NoError', status, timestamp: now() };
}

/** MeterValues with 4 samples; `transactionId` while charging. */
export function meterRequest(energyWh: number, transactionId: number | undefined): Record<string, unknown> {
  return {
    connectorId: 1,
    ...(transactionId === undefined ? {} : { transactionId }),
    meterValue: [
      {
        timestamp: now(),
        sampledValue: [
          { value: energyWh.toFixed(0), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
          { value: transactionId === undefined ? '0' : '11000', measurand: 'Power.Active.Import', unit: 'W' },
          { value: transactionId === undefined ? '0' : '16', measurand: 'Current.Import', unit: 'A', phase: 'L1' },
          { value: '230', measurand: 'Voltage', unit: 'V', phase: 'L1-N' },
        ],
      },
    ],
  };
}

/** StartTransaction. */
export function startRequest(idTag: string, meterStart: number): Record<string, unknown> {
  return { connectorId: 1, idTag, meterStart, timestamp: now() };
}

/** StopTransaction. */
export function stopRequest(transactionId: number, meterStop: number): Record<string, unknown> {
  return { transactionId, meterStop, timestamp: now(), reason: 'EVDisconnected' };
}
