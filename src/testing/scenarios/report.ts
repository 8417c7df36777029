/**
 * Base report scenarios (2.x): GetBaseReport is Accepted and the report follows as NotifyReport
 * pages of the same requestId, seqNo 0, 1, … in order, `tbc` on every page but the last
 * (TC_B_12_CS ConfigurationInventory, TC_B_13_CS FullInventory).
 */
import type { OCPP201 } from '../../index';
import { ExpectationError } from '../errors';
import { defineScenario, step, type ScenarioContext } from '../scenario';
import { as201, Booted, markNow } from '../states';
import { expectValue } from './checks';

/** The most pages a report may have before the scenario calls it endless. */
const MAX_PAGES = 1000;

/** Asks for `reportBase` and collects every page; resolves with their report data. */
async function baseReport(ctx: ScenarioContext, reportBase: OCPP201.ReportBaseEnumType): Promise<OCPP201.ReportDataType[]> {
  const { profile } = ctx;
  const st = as201(ctx);
  const requestId = 1000 + Math.floor(Math.random() * 1_000_000);
  const mark = markNow(st);
  const first = st.expectCall('NotifyReport', { requestId, seqNo: 0 }, { after: mark, timeoutMs: profile.messageTimeoutMs });
  first.catch(() => undefined);
  const answer = await st.call('GetBaseReport', { requestId, reportBase });
  expectValue(ctx, 'the answer to GetBaseReport: status', answer.status, 'Accepted');
  let page = await first;
  const data = [...(page.request.reportData ?? [])];
  while (page.request.tbc === true) {
    if (page.request.seqNo >= MAX_PAGES) {
      throw new ExpectationError({ awaited: `the report to end within ${MAX_PAGES} pages`, got: 'tbc was still true', identity: st.identity });
    }
    // The next page, by seqNo: a page left out or sent out of order fails here.
    page = await st.expectNextCall(
      'NotifyReport',
      { requestId, seqNo: page.request.seqNo + 1 },
      { after: page, timeoutMs: profile.messageTimeoutMs, ignore: ['Heartbeat', 'StatusNotification', 'MeterValues'] },
    );
    data.push(...(page.request.reportData ?? []));
  }
  return data;
}

/** Fails unless the report holds OCPPCommCtrlr.HeartbeatInterval, a variable every station has. */
function expectHeartbeatInterval(ctx: ScenarioContext, data: readonly OCPP201.ReportDataType[]): void {
  const found = data.some((d) => d.component.name === 'OCPPCommCtrlr' && d.variable.name === 'HeartbeatInterval');
  expectValue(ctx, 'the report: OCPPCommCtrlr.HeartbeatInterval among its variables', found, true);
}

const X2 = ['ocpp2.0.1', 'ocpp2.1'] as const;

/** 2.x TC_B_12_CS: the configuration inventory: what the CSMS may set, nothing read-only. */
export const TC_B_12_CS = defineScenario({
  id: 'TC_B_12_CS',
  title: 'Get Base Report - ConfigurationInventory',
  versions: [...X2],
  preconditions: [Booted],
  steps: [
    step(
      'GetBaseReport ConfigurationInventory is Accepted; NotifyReport pages follow (seqNo in order, tbc until the last) holding OCPPCommCtrlr.HeartbeatInterval and no ReadOnly variable',
      async (ctx) => {
        const data = await baseReport(ctx, 'ConfigurationInventory');
        expectHeartbeatInterval(ctx, data);
        const readOnly = data.filter((d) => d.variableAttribute.some((a) => a.mutability === 'ReadOnly'));
        expectValue(ctx, 'the configuration inventory: its ReadOnly variables', readOnly.map((d) => `${d.component.name}.${d.variable.name}`).join(', '), '');
      },
    ),
  ],
});

/** 2.x TC_B_13_CS: the full inventory. */
export const TC_B_13_CS = defineScenario({
  id: 'TC_B_13_CS',
  title: 'Get Base Report - FullInventory',
  versions: [...X2],
  preconditions: [Booted],
  steps: [
    step(
      'GetBaseReport FullInventory is Accepted; NotifyReport pages follow (seqNo in order, tbc until the last) holding OCPPCommCtrlr.HeartbeatInterval',
      async (ctx) => {
        expectHeartbeatInterval(ctx, await baseReport(ctx, 'FullInventory'));
      },
    ),
  ],
});
