/** The subset of pino's logger interface the client uses. */
export interface LogFn {
  (msg: string): void;
  (obj: object, msg?: string): void;
}

export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

const noop = (): void => {};

/** A logger that drops everything (the default). */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };
