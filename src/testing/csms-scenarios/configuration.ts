/**
 * CSMS configuration scenarios, started by the tester through the {@link CsmsDriver}: 1.6 read
 * every key and change one (TC_019_1_CSMS, TC_021_CSMS); 2.x get and set one variable
 * (TC_B_06_CSMS, TC_B_09_CSMS).
 */
import { csmsStep, defineCsmsScenario } from './scenario';
import { BootAccepted, commanded, cp16, cp2x } from './states';

/** 1.6 TC_019_1_CSMS: the CSMS reads every configuration key (GetConfiguration without keys). */
export const TC_019_1_CSMS = defineCsmsScenario({
  id: 'TC_019_1_CSMS',
  title: 'Retrieve all configuration keys',
  versions: ['ocpp1.6'],
  preconditions: [BootAccepted],
  steps: [
    csmsStep('Manual action: the CSMS reads the configuration; GetConfiguration with no key (or an empty list), answered with the keys', async (ctx) => {
      const { configurationKey, configurationValue } = ctx.profile;
      const noKeys = (key: string[] | undefined): boolean => key === undefined || key.length === 0;
      await commanded(
        () => ctx.manual('getConfiguration', []),
        () =>
          cp16(ctx).expectCall('GetConfiguration', (request) => noKeys(request.key), {
            timeoutMs: ctx.profile.messageTimeoutMs,
            respond: { configurationKey: [{ key: configurationKey, readonly: false, value: configurationValue }] },
          }),
      );
    }),
  ],
});

/** 1.6 TC_021_CSMS: the CSMS changes a configuration key (ChangeConfiguration). */
export const TC_021_CSMS = defineCsmsScenario({
  id: 'TC_021_CSMS',
  title: 'Change/set Configuration',
  versions: ['ocpp1.6'],
  preconditions: [BootAccepted],
  steps: [
    csmsStep('Manual action: the CSMS sets the configuration key; ChangeConfiguration of that key and value, answered Accepted', async (ctx) => {
      const { configurationKey: key, configurationValue: value } = ctx.profile;
      await commanded(
        () => ctx.manual('changeConfiguration', key, value),
        () => cp16(ctx).expectCall('ChangeConfiguration', { key, value }, { timeoutMs: ctx.profile.messageTimeoutMs, respond: { status: 'Accepted' } }),
      );
    }),
  ],
});

/** 2.0.1 TC_B_06_CSMS (2.1 unchanged): the CSMS reads one variable (GetVariables). */
export const TC_B_06_CSMS = defineCsmsScenario({
  id: 'TC_B_06_CSMS',
  title: 'Get Variables - single value',
  versions: ['ocpp2.0.1', 'ocpp2.1'],
  preconditions: [BootAccepted],
  steps: [
    csmsStep('Manual action: the CSMS reads the variable; GetVariables of that one variable, answered Accepted with its value', async (ctx) => {
      const { variable, configurationValue } = ctx.profile;
      const component = { name: variable.component };
      const v = { name: variable.variable };
      await commanded(
        () => ctx.manual('getVariables', [variable]),
        () =>
          cp2x(ctx).expectCall(
            'GetVariables',
            { getVariableData: [{ component, variable: v }] },
            {
              timeoutMs: ctx.profile.messageTimeoutMs,
              respond: { getVariableResult: [{ attributeStatus: 'Accepted', attributeValue: configurationValue, component, variable: v }] },
            },
          ),
      );
    }),
  ],
});

/** 2.0.1 TC_B_09_CSMS (2.1 unchanged): the CSMS sets one variable (SetVariables). */
export const TC_B_09_CSMS = defineCsmsScenario({
  id: 'TC_B_09_CSMS',
  title: 'Set Variables - single value',
  versions: ['ocpp2.0.1', 'ocpp2.1'],
  preconditions: [BootAccepted],
  steps: [
    csmsStep('Manual action: the CSMS sets the variable; SetVariables of that variable and value, answered Accepted', async (ctx) => {
      const { variable, configurationValue: value } = ctx.profile;
      const component = { name: variable.component };
      const v = { name: variable.variable };
      await commanded(
        () => ctx.manual('setVariables', [{ ...variable, value }]),
        () =>
          cp2x(ctx).expectCall(
            'SetVariables',
            { setVariableData: [{ attributeValue: value, component, variable: v }] },
            { timeoutMs: ctx.profile.messageTimeoutMs, respond: { setVariableResult: [{ attributeStatus: 'Accepted', component, variable: v }] } },
          ),
      );
    }),
  ],
});
