// Type tests for the public surface (`src/index.ts`): ChargePoint and CentralSystem are typed by
// version and by direction. Compiled by `tsc --noEmit -p tsconfig.json` (part of `npm test`),
// never run: every `@ts-expect-error` line must produce an error, or the compile fails with
// "Unused '@ts-expect-error' directive". Each expected error sits on a line of its own, so that
// it cannot be satisfied by a different mistake on a neighbouring line.
import { CentralSystem, ChargePoint } from '../../src/index';
import type { AnyStation, OCPP16, OCPP201, Station, StationHandlerContext } from '../../src/index';

/** Compile-time equality: resolves to true only when A and B are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(): T | undefined {
  return undefined;
}

const url = 'ws://127.0.0.1:9220/ocpp';

// --- ChargePoint, OCPP 1.6 --------------------------------------------------------------------

export async function chargePoint16(): Promise<void> {
  const cp = new ChargePoint({ url, identity: 'CP16', protocol: 'ocpp1.6' });
  expectType<Equal<typeof cp, ChargePoint<'ocpp1.6'>>>();

  const boot = await cp.call('BootNotification', { chargePointVendor: 'Vendor', chargePointModel: 'Model' });
  expectType<Equal<typeof boot, OCPP16.BootNotificationResponse>>();
  expectType<Equal<typeof boot.status, 'Accepted' | 'Pending' | 'Rejected'>>();
  const status: 'Accepted' | 'Pending' | 'Rejected' = boot.status;
  // @ts-expect-error the status is a union of literals, not a number
  const statusAsNumber: number = boot.status;

  // Reset is sent by the Central System only.
  // @ts-expect-error a charge point cannot call Reset
  void cp.call('Reset', { type: 'Soft' });
  // @ts-expect-error RemoteStartTransaction goes the other way too
  void cp.call('RemoteStartTransaction', { idTag: 'TAG' });
  // @ts-expect-error not an action of 1.6 at all
  void cp.call('TransactionEvent', {});

  void cp.call('BootNotification', {
    chargePointVendor: 'Vendor',
    // @ts-expect-error chargePointModel must be a string
    chargePointModel: 42,
  });
  // @ts-expect-error chargePointModel is required
  void cp.call('BootNotification', { chargePointVendor: 'Vendor' });
  void cp.call('BootNotification', {
    chargePointVendor: 'Vendor',
    chargePointModel: 'Model',
    // @ts-expect-error no property outside the schema
    vendorExtra: true,
  });

  cp.handle('RemoteStartTransaction', () => ({ status: 'Accepted' }));
  // eslint-disable-next-line @typescript-eslint/require-await -- proves an async handler compiles (a type test: compiled, never run)
  cp.handle('RemoteStartTransaction', async (req, ctx) => {
    expectType<Equal<typeof req, OCPP16.RemoteStartTransactionRequest>>();
    expectType<Equal<typeof req.idTag, string>>();
    const id: string = ctx.messageId;
    void id;
    return { status: 'Rejected' };
  });
  // @ts-expect-error 'Bogus' is not a RemoteStartStopStatus
  cp.handle('RemoteStartTransaction', () => ({ status: 'Bogus' }));
  // @ts-expect-error the response needs a status
  cp.handle('RemoteStartTransaction', () => ({}));
  // @ts-expect-error a charge point never receives BootNotification
  cp.handle('BootNotification', () => ({ status: 'Accepted', currentTime: '', interval: 1 }));
  // @ts-expect-error RequestStartTransaction is 2.0.1
  cp.handle('RequestStartTransaction', () => ({ status: 'Accepted' }));
  cp.handle('Reset', (req) => ({ status: req.type === 'Hard' ? 'Accepted' : 'Rejected' }));

  // DataTransfer goes both ways; 1.6 data is a string.
  const _dt = await cp.call('DataTransfer', { vendorId: 'com.example', data: 'text' });
  expectType<Equal<typeof _dt, OCPP16.DataTransferResponse>>();
  cp.handle('DataTransfer', () => ({ status: 'UnknownVendorId' }));
  // @ts-expect-error 1.6 DataTransfer data is a string
  void cp.call('DataTransfer', { vendorId: 'com.example', data: { an: 'object' } });

  void status;
  void statusAsNumber;
}

// --- ChargePoint, OCPP 2.0.1 ------------------------------------------------------------------

export async function chargePoint201(): Promise<void> {
  const cp = new ChargePoint({ url, identity: 'CS201', protocol: 'ocpp2.0.1' });
  expectType<Equal<typeof cp, ChargePoint<'ocpp2.0.1'>>>();

  const _boot = await cp.call('BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'V', model: 'M' } });
  expectType<Equal<typeof _boot.status, OCPP201.RegistrationStatusEnumType>>();
  // @ts-expect-error the 1.6 request shape is not a 2.0.1 BootNotification
  void cp.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  // @ts-expect-error a charging station cannot call Reset
  void cp.call('Reset', { type: 'Immediate' });
  // @ts-expect-error StartTransaction is 1.6 only
  void cp.call('StartTransaction', { connectorId: 1, idTag: 'T', meterStart: 0, timestamp: '' });

  cp.handle('RequestStartTransaction', (_req) => {
    expectType<Equal<typeof _req.remoteStartId, number>>();
    return { status: 'Accepted' };
  });
  // @ts-expect-error RemoteStartTransaction is 1.6 only
  cp.handle('RemoteStartTransaction', () => ({ status: 'Accepted' }));
  // @ts-expect-error 'Bogus' is not a RequestStartStopStatusEnumType
  cp.handle('RequestStartTransaction', () => ({ status: 'Bogus' }));
  // @ts-expect-error a charging station never receives TransactionEvent
  cp.handle('TransactionEvent', () => ({}));

  // 2.0.1 DataTransfer data is any JSON value, both ways.
  const _dt = await cp.call('DataTransfer', { vendorId: 'com.example', data: { any: ['json'] } });
  expectType<Equal<typeof _dt, OCPP201.DataTransferResponse>>();
  cp.handle('DataTransfer', (req) => ({ status: 'Accepted', data: req.data }));
}

// --- CentralSystem with one version -----------------------------------------------------------

export function centralSystem16(): void {
  const cs = new CentralSystem({ protocols: ['ocpp1.6'] });
  expectType<Equal<typeof cs, CentralSystem<'ocpp1.6'>>>();

  cs.on('connection', (station) => {
    expectType<Equal<typeof station, Station<'ocpp1.6'>>>();
    void station.call('Reset', { type: 'Soft' }).then((_reset) => expectType<Equal<typeof _reset.status, OCPP16.ResetStatus>>());
    // @ts-expect-error 'Immediate' is the 2.0.1 reset type
    void station.call('Reset', { type: 'Immediate' });
    // @ts-expect-error a central system never sends BootNotification
    void station.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
    station.handle('Heartbeat', () => ({ currentTime: new Date().toISOString() }));
    // @ts-expect-error a central system never receives Reset
    station.handle('Reset', () => ({ status: 'Accepted' }));
    // DataTransfer both ways.
    void station.call('DataTransfer', { vendorId: 'com.example' });
    station.handle('DataTransfer', () => ({ status: 'Accepted' }));
  });

  cs.handle('ocpp1.6', 'BootNotification', (req, ctx) => {
    expectType<Equal<typeof req.chargePointVendor, string>>();
    const identity: string = ctx.station.identity;
    void identity;
    return { status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 };
  });
  // @ts-expect-error the response's interval must be a number
  cs.handle('ocpp1.6', 'BootNotification', () => ({ status: 'Accepted', currentTime: '', interval: '300' }));
  // @ts-expect-error TransactionEvent is not a 1.6 action
  cs.handle('ocpp1.6', 'TransactionEvent', () => ({}));
  // @ts-expect-error this server does not serve 2.0.1
  cs.handle('ocpp2.0.1', 'Heartbeat', () => ({ currentTime: '' }));
  cs.handle('ocpp1.6', 'DataTransfer', () => ({ status: 'Accepted' }));
}

// --- CentralSystem with both versions ---------------------------------------------------------

export function centralSystemBoth(): void {
  const cs = new CentralSystem({ protocols: ['ocpp2.0.1', 'ocpp1.6'] });
  expectType<Equal<typeof cs, CentralSystem<'ocpp2.0.1' | 'ocpp1.6'>>>();
  // Without `protocols`, both versions are served.
  const _byDefault = new CentralSystem();
  expectType<Equal<typeof _byDefault, CentralSystem<'ocpp1.6' | 'ocpp2.0.1'>>>();

  cs.on('connection', (station) => {
    expectType<Equal<typeof station, AnyStation<'ocpp1.6' | 'ocpp2.0.1'>>>();
    const identity: string = station.identity;
    void identity;
    // The version is not known yet, so neither is the action map: no call compiles on the
    // un-narrowed union (TypeScript cannot call a union of generic methods). Narrow first.
    // @ts-expect-error not narrowed on station.protocol
    void station.call('Reset', { type: 'Soft' });

    if (station.protocol === 'ocpp1.6') {
      expectType<Equal<typeof station, Station<'ocpp1.6'>>>();
      void station.call('Reset', { type: 'Soft' }).then((_r) => expectType<Equal<typeof _r.status, OCPP16.ResetStatus>>());
      // @ts-expect-error 1.6 has no RequestStartTransaction
      void station.call('RequestStartTransaction', { idToken: { idToken: 'T', type: 'Local' }, remoteStartId: 1 });
      void station.call('RemoteStartTransaction', { idTag: 'TAG' });
    } else {
      expectType<Equal<typeof station, Station<'ocpp2.0.1'>>>();
      void station.call('Reset', { type: 'Immediate' }).then((_r) => expectType<Equal<typeof _r.status, OCPP201.ResetStatusEnumType>>());
      // @ts-expect-error 'Soft' is the 1.6 reset type
      void station.call('Reset', { type: 'Soft' });
      // @ts-expect-error 2.0.1 has no RemoteStartTransaction
      void station.call('RemoteStartTransaction', { idTag: 'TAG' });
      void station.call('DataTransfer', { vendorId: 'com.example', data: [1, 2, 3] });
    }
  });

  cs.handle('ocpp2.0.1', 'TransactionEvent', (req, ctx) => {
    expectType<Equal<typeof req.eventType, 'Ended' | 'Started' | 'Updated'>>();
    expectType<Equal<typeof req, OCPP201.TransactionEventRequest>>();
    expectType<Equal<typeof ctx, StationHandlerContext<'ocpp2.0.1'>>>();
    const identity: string = ctx.station.identity;
    const protocol: 'ocpp1.6' | 'ocpp2.0.1' = ctx.station.protocol;
    void identity;
    void protocol;
    return req.eventType === 'Started' ? { idTokenInfo: { status: 'Accepted' } } : {};
  });
  // @ts-expect-error TransactionEvent is 2.0.1 only
  cs.handle('ocpp1.6', 'TransactionEvent', () => ({}));
  // @ts-expect-error 'Bogus' is not an AuthorizationStatusEnumType
  cs.handle('ocpp2.0.1', 'Authorize', () => ({ idTokenInfo: { status: 'Bogus' } }));
  // @ts-expect-error a CSMS never receives RequestStartTransaction
  cs.handle('ocpp2.0.1', 'RequestStartTransaction', () => ({ status: 'Accepted' }));
  // @ts-expect-error not an OCPP version of this SDK
  cs.handle('ocpp2.1', 'Heartbeat', () => ({ currentTime: '' }));

  cs.handle('ocpp1.6', 'DataTransfer', (req) => ({ status: 'Accepted', data: req.data }));
  cs.handle('ocpp2.0.1', 'DataTransfer', (req) => ({ status: 'Accepted', data: req.data }));
}
