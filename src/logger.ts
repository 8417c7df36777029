/**
 * Structured logging without a logging dependency: any object with level methods taking
 * `(record, message)` works, which fits pino (`logger.info(obj, msg)`) and console alike.
 */

/** A log level the SDK uses. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * A logger: pino, bunyan-style or `console`. Levels left out are not logged.
 *
 * @example
 * ```ts
 * new CentralSystem({ logger: pino() });
 * new ChargePoint({ ..., logger: console });
 * ```
 */
export type Logger = { [L in LogLevel]?: (record: Record<string, unknown>, message: string) => void };

/** Writes one record, never letting a failing logger break the connection that logs. */
export function logTo(logger: Logger, level: LogLevel, record: Record<string, unknown>, message: string): void {
  const write = logger[level];
  if (typeof write !== 'function') return;
  try {
    write.call(logger, record, message);
  } catch {
    // A logger that throws must not take an OCPP connection down with it.
  }
}
