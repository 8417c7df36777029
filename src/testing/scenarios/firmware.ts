/**
 * Firmware update scenarios (row 21 of the design doc's table): UpdateFirmware, then the
 * station's FirmwareStatusNotifications, each the very next one of the update, in order: an
 * image it installs (Downloading, Downloaded, Installing, Installed: 1.6 TC_044_1_CS, 2.x
 * TC_L_01_CS), a location it cannot download from (Downloading, DownloadFailed: TC_044_2_CS,
 * TC_L_06_CS) and an image it cannot install (…, Installing, InstallationFailed: TC_044_3_CS,
 * TC_L_07_CS). The ids and titles follow the design doc's table, not OCA's own test case
 * document; the locations are the profile's (`firmwareLocation`, `unreachableFirmwareLocation`,
 * `corruptFirmwareLocation`), as OCTT's are configured by its operator.
 */
import type { Received } from '../received';
import { defineScenario, step, type ResolvedStationProfile, type ScenarioContext } from '../scenario';
import { as201, Booted, is16, markNow } from '../states';
import { expectValue } from './checks';

/** Where the update of the current run stands: the last status received, and the 2.x requestId. */
const updates = new WeakMap<object, { last: Received; requestId: number }>();

/**
 * Messages a station may send in between, which the order of the statuses ignores: a station
 * may reboot to install (BootNotification and what follows it).
 */
const IN_BETWEEN = ['BootNotification', 'Heartbeat', 'StatusNotification', 'MeterValues', 'NotifyEvent', 'SecurityEventNotification'];

/**
 * 2.x statuses a station may report on the way, depending on how it updates (a signed image, a
 * reboot to install, a scheduled step): passed over.
 */
const ON_THE_WAY: readonly string[] = ['SignatureVerified', 'InstallRebooting', 'DownloadScheduled', 'InstallScheduled', 'DownloadPaused'];

/** The statuses these scenarios expect, spelled alike in 1.6 and 2.x. */
type Status = 'Downloading' | 'Downloaded' | 'DownloadFailed' | 'Installing' | 'Installed' | 'InstallationFailed';

type Location = keyof Pick<ResolvedStationProfile, 'firmwareLocation' | 'unreachableFirmwareLocation' | 'corruptFirmwareLocation'>;

/** Expects the next FirmwareStatusNotification of the update (past those on the way) to report `status`. */
async function expectStatus(ctx: ScenarioContext, status: Status): Promise<void> {
  const update = updates.get(ctx.station);
  if (update === undefined) throw new Error('no firmware update was started in this run');
  for (;;) {
    const options = { after: update.last, timeoutMs: ctx.profile.messageTimeoutMs, ignore: IN_BETWEEN };
    update.last = is16(ctx)
      ? await ctx.station.expectNextCall('FirmwareStatusNotification', {}, options)
      : await as201(ctx).expectNextCall('FirmwareStatusNotification', { requestId: update.requestId }, options);
    const reported = (update.last.request as { status: string }).status;
    if (!is16(ctx) && ON_THE_WAY.includes(reported)) continue;
    expectValue(ctx, 'the status of the next FirmwareStatusNotification', reported, status);
    return;
  }
}

/** UpdateFirmware from the profile's `location`, retrieved now: answered (2.x: Accepted); then the first status, Downloading. */
function startUpdate(location: Location) {
  return async (ctx: ScenarioContext): Promise<void> => {
    const mark = markNow(ctx.station);
    const retrieve = new Date().toISOString();
    const requestId = (mark.seq % 1000) + 1;
    updates.set(ctx.station, { last: mark, requestId });
    if (is16(ctx)) await ctx.station.call('UpdateFirmware', { location: ctx.profile[location], retrieveDate: retrieve });
    else {
      const answer = await as201(ctx).call('UpdateFirmware', { requestId, firmware: { location: ctx.profile[location], retrieveDateTime: retrieve } });
      expectValue(ctx, 'the answer to UpdateFirmware: status', answer.status, 'Accepted');
    }
    await expectStatus(ctx, 'Downloading');
  };
}

const X2 = ['ocpp2.0.1', 'ocpp2.1'] as const;
const START = 'UpdateFirmware is answered (2.x: Accepted); FirmwareStatusNotification Downloading';

/** The steps of an update from `location` that reports `statuses` after Downloading. */
function updateSteps(location: Location, statuses: readonly Status[]) {
  return [
    step(START, startUpdate(location)),
    ...statuses.map((status) => step(`FirmwareStatusNotification ${status}, next`, (ctx) => expectStatus(ctx, status))),
  ];
}

/** 1.6 TC_044_1_CS: the update downloads and installs. */
export const TC_044_1_CS = defineScenario({
  id: 'TC_044_1_CS',
  title: 'Firmware Update - Download and Install',
  versions: ['ocpp1.6'],
  preconditions: [Booted],
  steps: updateSteps('firmwareLocation', ['Downloaded', 'Installing', 'Installed']),
});

/** 1.6 TC_044_2_CS: the download fails. */
export const TC_044_2_CS = defineScenario({
  id: 'TC_044_2_CS',
  title: 'Firmware Update - Download failed',
  versions: ['ocpp1.6'],
  preconditions: [Booted],
  steps: updateSteps('unreachableFirmwareLocation', ['DownloadFailed']),
});

/** 1.6 TC_044_3_CS: the installation fails. */
export const TC_044_3_CS = defineScenario({
  id: 'TC_044_3_CS',
  title: 'Firmware Update - Installation failed',
  versions: ['ocpp1.6'],
  preconditions: [Booted],
  steps: updateSteps('corruptFirmwareLocation', ['Downloaded', 'Installing', 'InstallationFailed']),
});

/** 2.x TC_L_01_CS: the update downloads and installs. */
export const TC_L_01_CS = defineScenario({
  id: 'TC_L_01_CS',
  title: 'Firmware Update - Installation successful',
  versions: [...X2],
  preconditions: [Booted],
  steps: updateSteps('firmwareLocation', ['Downloaded', 'Installing', 'Installed']),
});

/** 2.x TC_L_06_CS: the download fails. */
export const TC_L_06_CS = defineScenario({
  id: 'TC_L_06_CS',
  title: 'Firmware Update - Download failed',
  versions: [...X2],
  preconditions: [Booted],
  steps: updateSteps('unreachableFirmwareLocation', ['DownloadFailed']),
});

/** 2.x TC_L_07_CS: the installation fails. */
export const TC_L_07_CS = defineScenario({
  id: 'TC_L_07_CS',
  title: 'Firmware Update - Installation failed',
  versions: [...X2],
  preconditions: [Booted],
  steps: updateSteps('corruptFirmwareLocation', ['Downloaded', 'Installing', 'InstallationFailed']),
});
