/**
 * Start-up cost, one fresh process per sample: `node startup.cjs <ours|ocpp-rpc> <sdk path>`.
 * Times, inside the process (Node's own start-up excluded): requiring the library, constructing
 * a server for OCPP 1.6 and 2.0.1 with strict validation, and the first strict validation of a
 * BootNotification in each version (where a library compiles its schemas lazily, that is when
 * it pays). Prints one JSON line.
 */
const which = process.argv[2];
const sdkPath = process.argv[3];
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the require itself is what is timed, of a path given at run time
const load = (id: string): Record<string, unknown> => require(id) as Record<string, unknown>;

const boot16 = { chargePointVendor: 'BenchVendor', chargePointModel: 'BenchModel' };
const boot201 = { reason: 'PowerUp', chargingStation: { vendorName: 'BenchVendor', model: 'BenchModel' } };

type Ctor = new (options: Record<string, unknown>) => { close(options?: Record<string, unknown>): Promise<void> };
type Validate = (version: string, action: string, kind: string, payload: unknown) => { ok: boolean };
type RpcValidator = { subprotocol: string; validate(schemaId: string, params: unknown): boolean };

const t0 = performance.now();
let t1: number;
let t2: number;
let t3: number;
if (which === 'ours') {
  const sdk = load(sdkPath);
  t1 = performance.now();
  new (sdk['CentralSystem'] as Ctor)({ protocols: ['ocpp1.6', 'ocpp2.0.1'] });
  t2 = performance.now();
  const validate = sdk['validatePayload'] as Validate;
  if (!validate('ocpp1.6', 'BootNotification', 'request', boot16).ok || !validate('ocpp2.0.1', 'BootNotification', 'request', boot201).ok) {
    throw new Error('BootNotification did not validate');
  }
  t3 = performance.now();
} else {
  const rpc = load('ocpp-rpc');
  t1 = performance.now();
  new (rpc['RPCServer'] as Ctor)({ protocols: ['ocpp1.6', 'ocpp2.0.1'], strictMode: true });
  t2 = performance.now();
  // The validators RPCServer uses in strict mode (the same module instance).
  const validators = load('ocpp-rpc/lib/standard-validators') as unknown as RpcValidator[];
  for (const v of validators) {
    if (v.subprotocol === 'ocpp1.6') v.validate('urn:BootNotification.req', boot16);
    if (v.subprotocol === 'ocpp2.0.1') v.validate('urn:BootNotification.req', boot201);
  }
  t3 = performance.now();
}
process.stdout.write(
  JSON.stringify({ importMs: t1 - t0, constructMs: t2 - t1, firstValidationMs: t3 - t2, rssMb: process.memoryUsage().rss / 1048576 }) + '\n',
);

export {};
