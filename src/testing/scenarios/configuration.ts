/**
 * Configuration scenarios: 1.6 GetConfiguration / ChangeConfiguration (TC_019_1_CS,
 * TC_019_2_CS, TC_021_CS, TC_040_1_CS, TC_040_2_CS) and 2.x GetVariables / SetVariables
 * (TC_B_06_CS, TC_B_09_CS, TC_B_32_CS, TC_B_33_CS, TC_B_35_CS, TC_B_36_CS, TC_B_39_CS): a known
 * value is read back as set, an unknown key, component or variable is reported unknown, a
 * read-only one is refused. A value a scenario changes is set back before it ends, so that the
 * scenarios after it find the charger as configured.
 */
import { defineScenario, step, type ScenarioContext } from '../scenario';
import { as201, Booted } from '../states';
import { expectValue } from './checks';

/** A key, component or variable no charger has. */
const UNKNOWN = 'OcppSdkTestingUnknown';

/** 1.6: the value of `key` by GetConfiguration, failing unless the charger knows it. */
async function configurationValue(ctx: ScenarioContext<'ocpp1.6'>, key: string): Promise<string | undefined> {
  const answer = await ctx.station.call('GetConfiguration', { key: [key] });
  const entry = answer.configurationKey?.find((k) => k.key === key);
  expectValue(ctx, `the answer to GetConfiguration of ${key}: ${key} among configurationKey`, entry !== undefined, true);
  return entry?.value;
}

/** 1.6 TC_019_1_CS: every key, with the heartbeat interval the boot gave. */
export const TC_019_1_CS = defineScenario<'ocpp1.6'>({
  id: 'TC_019_1_CS',
  title: 'Retrieve All Configuration Keys',
  versions: ['ocpp1.6'],
  preconditions: [Booted],
  steps: [
    step('GetConfiguration without keys lists the keys, HeartbeatInterval with the interval given at boot, and no unknown key', async (ctx) => {
      const answer = await ctx.station.call('GetConfiguration', {});
      const heartbeat = answer.configurationKey?.find((k) => k.key === 'HeartbeatInterval');
      expectValue(ctx, 'the answer to GetConfiguration: HeartbeatInterval', heartbeat?.value, String(ctx.profile.heartbeatIntervalS));
      expectValue(ctx, 'the answer to GetConfiguration: unknownKey', answer.unknownKey?.length ?? 0, 0);
    }),
  ],
});

/** 1.6 TC_019_2_CS: one key by name; an unknown one comes back in unknownKey. */
export const TC_019_2_CS = defineScenario<'ocpp1.6'>({
  id: 'TC_019_2_CS',
  title: 'Retrieve Specific Configuration Key',
  versions: ['ocpp1.6'],
  preconditions: [Booted],
  steps: [
    step('GetConfiguration of HeartbeatInterval gives that key alone, with the interval given at boot', async (ctx) => {
      const answer = await ctx.station.call('GetConfiguration', { key: ['HeartbeatInterval'] });
      expectValue(ctx, 'the answer to GetConfiguration: the keys', (answer.configurationKey ?? []).map((k) => k.key).join(','), 'HeartbeatInterval');
      expectValue(ctx, 'the answer to GetConfiguration: HeartbeatInterval', answer.configurationKey?.[0]?.value, String(ctx.profile.heartbeatIntervalS));
    }),
    step(`GetConfiguration of an unknown key lists it in unknownKey, not in configurationKey`, async (ctx) => {
      const answer = await ctx.station.call('GetConfiguration', { key: [UNKNOWN] });
      expectValue(ctx, 'the answer to GetConfiguration: unknownKey', answer.unknownKey?.join(','), UNKNOWN);
      expectValue(ctx, 'the answer to GetConfiguration: configurationKey', answer.configurationKey?.length ?? 0, 0);
    }),
  ],
});

/** 1.6 TC_021_CS: a changed key reads back changed (and is set back). */
export const TC_021_CS = defineScenario<'ocpp1.6'>({
  id: 'TC_021_CS',
  title: 'Change/Set Configuration',
  versions: ['ocpp1.6'],
  preconditions: [Booted],
  steps: [
    step('ChangeConfiguration of MeterValueSampleInterval is Accepted; GetConfiguration reads the new value back; the old one is set back', async (ctx) => {
      const key = 'MeterValueSampleInterval';
      const old = await configurationValue(ctx, key);
      const changed = String(Number(old ?? 0) + 1);
      expectValue(
        ctx,
        'the answer to ChangeConfiguration: status',
        (await ctx.station.call('ChangeConfiguration', { key, value: changed })).status,
        'Accepted',
      );
      expectValue(ctx, `GetConfiguration of ${key} after the change`, await configurationValue(ctx, key), changed);
      await ctx.station.call('ChangeConfiguration', { key, value: old ?? '0' });
    }),
  ],
});

/** 1.6 TC_040_1_CS: an unknown key is NotSupported. */
export const TC_040_1_CS = defineScenario<'ocpp1.6'>({
  id: 'TC_040_1_CS',
  title: 'Configuration Keys - NotSupported',
  versions: ['ocpp1.6'],
  preconditions: [Booted],
  steps: [
    step('ChangeConfiguration of an unknown key is answered NotSupported', async (ctx) => {
      const answer = await ctx.station.call('ChangeConfiguration', { key: UNKNOWN, value: '1' });
      expectValue(ctx, 'the answer to ChangeConfiguration: status', answer.status, 'NotSupported');
    }),
  ],
});

/** 1.6 TC_040_2_CS: an invalid value, and a read-only key, are Rejected and change nothing. */
export const TC_040_2_CS = defineScenario<'ocpp1.6'>({
  id: 'TC_040_2_CS',
  title: 'Configuration Keys - Invalid Value',
  versions: ['ocpp1.6'],
  preconditions: [Booted],
  steps: [
    step('ChangeConfiguration of HeartbeatInterval to a value that is no number is Rejected; the interval stays', async (ctx) => {
      const answer = await ctx.station.call('ChangeConfiguration', { key: 'HeartbeatInterval', value: 'not-a-number' });
      expectValue(ctx, 'the answer to ChangeConfiguration: status', answer.status, 'Rejected');
      expectValue(
        ctx,
        'GetConfiguration of HeartbeatInterval after it',
        await configurationValue(ctx, 'HeartbeatInterval'),
        String(ctx.profile.heartbeatIntervalS),
      );
    }),
    step('ChangeConfiguration of the read-only NumberOfConnectors is Rejected', async (ctx) => {
      const answer = await ctx.station.call('ChangeConfiguration', { key: 'NumberOfConnectors', value: '7' });
      expectValue(ctx, 'the answer to ChangeConfiguration: status', answer.status, 'Rejected');
    }),
  ],
});

type Variable = { component: { name: string }; variable: { name: string; instance?: string } };

const HEARTBEAT: Variable = { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } };
const TX_UPDATED: Variable = { component: { name: 'SampledDataCtrlr' }, variable: { name: 'TxUpdatedInterval' } };

/** 2.x: one GetVariables; resolves with the status and value. */
async function getVariable(ctx: ScenarioContext, v: Variable): Promise<{ status: string; value: string | undefined }> {
  const answer = await as201(ctx).call('GetVariables', { getVariableData: [v] });
  const r = answer.getVariableResult[0];
  return { status: r?.attributeStatus, value: r?.attributeValue };
}

/** 2.x: one SetVariables; resolves with the status. */
async function setVariable(ctx: ScenarioContext, v: Variable, attributeValue: string): Promise<string> {
  const answer = await as201(ctx).call('SetVariables', { setVariableData: [{ ...v, attributeValue }] });
  return answer.setVariableResult[0]?.attributeStatus;
}

const X2 = ['ocpp2.0.1', 'ocpp2.1'] as const;

/** 2.x TC_B_06_CS: one variable: the heartbeat interval the boot gave. */
export const TC_B_06_CS = defineScenario({
  id: 'TC_B_06_CS',
  title: 'Get Variables - single value',
  versions: [...X2],
  preconditions: [Booted],
  steps: [
    step('GetVariables of OCPPCommCtrlr.HeartbeatInterval is Accepted with the interval given at boot', async (ctx) => {
      const { status, value } = await getVariable(ctx, HEARTBEAT);
      expectValue(ctx, 'the answer to GetVariables: attributeStatus', status, 'Accepted');
      expectValue(ctx, 'the answer to GetVariables: attributeValue', value, String(ctx.profile.heartbeatIntervalS));
    }),
  ],
});

/** 2.x TC_B_09_CS: a set variable reads back as set (and is set back). */
export const TC_B_09_CS = defineScenario({
  id: 'TC_B_09_CS',
  title: 'Set Variables - single value',
  versions: [...X2],
  preconditions: [Booted],
  steps: [
    step('SetVariables of SampledDataCtrlr.TxUpdatedInterval is Accepted; GetVariables reads the new value back; the old one is set back', async (ctx) => {
      const old = await getVariable(ctx, TX_UPDATED);
      expectValue(ctx, 'the answer to GetVariables: attributeStatus', old.status, 'Accepted');
      const changed = String(Number(old.value ?? 0) + 1);
      expectValue(ctx, 'the answer to SetVariables: attributeStatus', await setVariable(ctx, TX_UPDATED, changed), 'Accepted');
      expectValue(ctx, 'GetVariables after the change: attributeValue', (await getVariable(ctx, TX_UPDATED)).value, changed);
      await setVariable(ctx, TX_UPDATED, old.value ?? '0');
    }),
  ],
});

/** The 2.x scenarios that name something unknown or read-only and expect one status. */
function refusal(id: string, title: string, what: string, v: Variable, kind: 'get' | 'set', expected: string) {
  return defineScenario({
    id,
    title,
    versions: [...X2],
    preconditions: [Booted],
    steps: [
      step(`${kind === 'get' ? 'GetVariables' : 'SetVariables'} of ${what} is answered ${expected}`, async (ctx) => {
        const status = kind === 'get' ? (await getVariable(ctx, v)).status : await setVariable(ctx, v, '1');
        expectValue(ctx, `the answer to ${kind === 'get' ? 'GetVariables' : 'SetVariables'}: attributeStatus`, status, expected);
      }),
    ],
  });
}

/** 2.x TC_B_32_CS: GetVariables of an unknown component. */
export const TC_B_32_CS = refusal(
  'TC_B_32_CS',
  'Get Variables - Unknown component',
  'an unknown component',
  { component: { name: UNKNOWN }, variable: { name: 'HeartbeatInterval' } },
  'get',
  'UnknownComponent',
);

/** 2.x TC_B_33_CS: GetVariables of an unknown variable of a known component. */
export const TC_B_33_CS = refusal(
  'TC_B_33_CS',
  'Get Variables - Unknown variable',
  'an unknown variable of OCPPCommCtrlr',
  { component: { name: 'OCPPCommCtrlr' }, variable: { name: UNKNOWN } },
  'get',
  'UnknownVariable',
);

/** 2.x TC_B_35_CS: SetVariables of an unknown component. */
export const TC_B_35_CS = refusal(
  'TC_B_35_CS',
  'Set Variables - Unknown component',
  'an unknown component',
  { component: { name: UNKNOWN }, variable: { name: 'HeartbeatInterval' } },
  'set',
  'UnknownComponent',
);

/** 2.x TC_B_36_CS: SetVariables of an unknown variable of a known component. */
export const TC_B_36_CS = refusal(
  'TC_B_36_CS',
  'Set Variables - Unknown variable',
  'an unknown variable of OCPPCommCtrlr',
  { component: { name: 'OCPPCommCtrlr' }, variable: { name: UNKNOWN } },
  'set',
  'UnknownVariable',
);

/** 2.x TC_B_39_CS: SetVariables of a read-only variable (DeviceDataCtrlr.ItemsPerMessage[GetVariables]). */
export const TC_B_39_CS = refusal(
  'TC_B_39_CS',
  'Set Variables - Read-only',
  'the read-only DeviceDataCtrlr.ItemsPerMessage[GetVariables]',
  { component: { name: 'DeviceDataCtrlr' }, variable: { name: 'ItemsPerMessage', instance: 'GetVariables' } },
  'set',
  'Rejected',
);
