// ocpp-rpc 2.2.1 ships 2.1 schemas (lib/schemas/ocpp2_1.json) whose ids are `urn:<Action>Request`
// and `urn:<Action>Response`, while its client and server look schemas up as `urn:<Action>.req`
// and `urn:<Action>.conf` (the 1.6 and 2.0.1 naming). With `strictMode` on an `ocpp2.1`
// connection, every message is therefore refused with ProtocolError "Schema 'urn:Heartbeat.req'
// is missing from subprotocol schema 'ocpp2.1'". This builds ocpp-rpc's own 2.1 schemas, content
// unchanged, under the ids it looks for, and hands them to `strictModeValidators`, which takes
// precedence over the built-in set: ocpp-rpc then validates 2.1 strictly with its own schemas.
import { createRequire } from 'node:module';
import { createValidator } from 'ocpp-rpc';

type Schema = { $id: string } & Record<string, unknown>;

/** ocpp-rpc's 2.1 validator, its own schemas renamed to the ids its lookup uses. */
export function ocppRpc21Validator(): ReturnType<typeof createValidator> {
  const load = createRequire(require.resolve('ocpp-rpc'));
  const schemas = load('./lib/schemas/ocpp2_1.json') as Schema[];
  const renamed = schemas.map((s) => ({ ...s, $id: s.$id.replace(/Request$/, '.req').replace(/Response$/, '.conf') }));
  const validator = createValidator('ocpp2.1', renamed);
  // Its Ajv is strict about types and prints a warning per enum definition that carries
  // `additionalProperties` (OCA's files do); the built-in set would print the same ones if it
  // could be used. The warnings change no verdict; they would only bury the test output.
  (validator as unknown as { _ajv: { opts: { strictTypes: boolean } } })._ajv.opts.strictTypes = false;
  return validator;
}
