/** Where the probe reports what an operator should see; pino's shape (fields first). */
export type ProbeLog = {
  info: (fields: object, message: string) => void;
  warn: (fields: object, message: string) => void;
  error: (fields: object, message: string) => void;
};

export const silentLog: ProbeLog = { info: () => {}, warn: () => {}, error: () => {} };
