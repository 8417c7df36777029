/**
 * The simulated charger's firmware update (1.6 UpdateFirmware, 2.x UpdateFirmware): what it
 * reports for an image at a location, and the walk through those statuses. A real charger
 * downloads the image, then installs it; here a "download server" of known images stands in for
 * the network (SimulatorOptions.firmware), so that a test can make a download or an installation
 * fail the way a real one does: an unknown location cannot be downloaded, a corrupt image cannot
 * be installed.
 */

/** The FirmwareStatusNotification statuses the simulator reports (both versions spell them alike). */
export type FirmwareStatus = 'Downloading' | 'Downloaded' | 'DownloadFailed' | 'Installing' | 'Installed' | 'InstallationFailed';

/** What the simulator's download server holds at a location: an image it installs, or one it cannot. */
export type FirmwareImage = 'valid' | 'corrupt';

/** The firmware part of SimulatorOptions. */
export interface FirmwareOptions {
  /** Real time between two statuses of an update (the download, the installation). @default 1000 */
  readonly stepMs?: number;
  /**
   * The images the download server holds, by location. A location not listed cannot be
   * downloaded (DownloadFailed); a corrupt image downloads and fails to install
   * (InstallationFailed). @default every location holds a valid image
   */
  readonly images?: Readonly<Record<string, FirmwareImage>>;
}

/** The statuses an update from `location` goes through, in order. */
export function firmwareStatuses(location: string, options: FirmwareOptions | undefined): FirmwareStatus[] {
  const image = options?.images === undefined ? 'valid' : options.images[location];
  if (image === undefined) return ['Downloading', 'DownloadFailed'];
  if (image === 'corrupt') return ['Downloading', 'Downloaded', 'Installing', 'InstallationFailed'];
  return ['Downloading', 'Downloaded', 'Installing', 'Installed'];
}

/**
 * Reports `statuses` one `stepMs` apart, starting at `retrieveDate` (not before now), while
 * `running()` holds: a charger switched off mid-update reports no more.
 */
export async function walkFirmwareStatuses(
  statuses: readonly FirmwareStatus[],
  retrieveDate: string,
  options: FirmwareOptions | undefined,
  running: () => boolean,
  report: (status: FirmwareStatus) => Promise<unknown>,
): Promise<void> {
  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  const waitMs = Date.parse(retrieveDate) - Date.now();
  if (waitMs > 0) await sleep(waitMs);
  for (const status of statuses) {
    await sleep(options?.stepMs ?? 1000);
    if (!running()) return;
    await report(status);
  }
}
