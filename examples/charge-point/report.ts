/**
 * The 2.x simulator's device-model report: GetBaseReport answered with NotifyReport pages. Kept
 * apart from ocpp2x.ts because it is the one place that turns the flat configuration map into
 * OCPP's component / variable / attribute shape.
 */
import type { OCPP201 } from '../../src/index';
import type { ConfigEntry } from './base';

/**
 * Report items per NotifyReport: small, so that even the simulator's short device model is sent
 * in several pages (`seqNo` 0, 1, …, `tbc` on all but the last), as a real station's is.
 */
export const REPORT_PAGE_SIZE = 4;

/** The report bases the simulator can give. */
const BASES: ReadonlySet<string> = new Set(['ConfigurationInventory', 'FullInventory', 'SummaryInventory']);

/** Whether the simulator can give `reportBase`. */
export function supportsReport(reportBase: string): boolean {
  return BASES.has(reportBase);
}

/** One variable as a ReportDataType: write-only values are left out, as a password must never be reported. */
function reportData(key: string, entry: ConfigEntry): OCPP201.ReportDataType {
  const [component, variable] = key.split('/');
  const mutability: OCPP201.MutabilityEnumType = entry.readonly ? 'ReadOnly' : entry.writeOnly ? 'WriteOnly' : 'ReadWrite';
  return {
    component: { name: component },
    variable: { name: variable },
    variableAttribute: [{ type: 'Actual', mutability, ...(entry.writeOnly ? {} : { value: entry.value }) }],
    variableCharacteristics: { dataType: entry.integer ? 'integer' : 'string', supportsMonitoring: false },
  };
}

/**
 * The NotifyReport requests answering GetBaseReport `requestId` for `reportBase`: the
 * configuration inventory holds the variables a CSMS may set, the full one every variable, the
 * summary one none (the simulator has no problems to summarise), in pages of
 * {@link REPORT_PAGE_SIZE}.
 */
export function reportPages(config: ReadonlyMap<string, ConfigEntry>, requestId: number, reportBase: string): OCPP201.NotifyReportRequest[] {
  const generatedAt = new Date().toISOString();
  const entries = [...config].filter(([, e]) => reportBase === 'FullInventory' || (reportBase === 'ConfigurationInventory' && !e.readonly));
  const pages: OCPP201.NotifyReportRequest[] = [];
  for (let i = 0; i < entries.length || pages.length === 0; i += REPORT_PAGE_SIZE) {
    const slice = entries.slice(i, i + REPORT_PAGE_SIZE);
    const last = i + REPORT_PAGE_SIZE >= entries.length;
    pages.push({
      requestId,
      generatedAt,
      seqNo: pages.length,
      tbc: !last,
      ...(slice.length > 0 ? { reportData: slice.map(([key, entry]) => reportData(key, entry)) } : {}),
    });
  }
  return pages;
}
