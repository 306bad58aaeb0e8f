import { readFile } from 'node:fs/promises';
import { ProbeSetupError, runRemoteProbe } from '../probe/index.ts';
import { alertSecretReader, type Env } from './env.ts';
import { EXIT } from './exit-codes.ts';
import { createLogger } from './logger.ts';

/** `statusvakt probe --region NAME --api URL`: a remote probe until SIGINT/SIGTERM. */
export async function probeCommand(args: { env: Env; region: string | undefined; api: string | undefined; bufferDir: string | undefined }): Promise<number> {
  const fail = (message: string) => {
    process.stderr.write(`statusvakt probe: ${message}\n`);
    return 1;
  };
  if (!args.region) return fail('--region NAME is required (a region id from the config)');
  if (!args.api) return fail('--api URL is required (e.g. --api http://statusvakt:3000)');
  if (!/^https?:\/\//.test(args.api)) return fail(`--api must be an http(s) URL, not "${args.api}"`);
  const token = args.env.STATUSVAKT_PROBE_TOKEN;
  if (!token) return fail('set STATUSVAKT_PROBE_TOKEN to a token of this region (create one with `statusvakt probe-token create --region NAME`)');

  const logger = createLogger(args.env.LOG_LEVEL);
  const log = {
    info: (fields: object, message: string) => logger.info(fields, message),
    warn: (fields: object, message: string) => logger.warn(fields, message),
    error: (fields: object, message: string) => logger.error(fields, message),
  };
  let probe;
  try {
    probe = await runRemoteProbe({
      apiUrl: args.api,
      token,
      regionId: args.region,
      bufferDir: args.bufferDir ?? args.env.STATUSVAKT_PROBE_BUFFER_DIR ?? `./probe-buffer/${args.region}`,
      log,
      trustedCa: args.env.STATUSVAKT_PROBE_CA_FILE ? [await readFile(args.env.STATUSVAKT_PROBE_CA_FILE, 'utf8')] : undefined,
      maxBufferedResults: args.env.STATUSVAKT_PROBE_MAX_BUFFERED,
      readSecret: alertSecretReader(),
    });
  } catch (error) {
    if (error instanceof ProbeSetupError) {
      process.stderr.write(`statusvakt probe: ${error.message}\n`);
      return EXIT.runtime;
    }
    throw error;
  }
  return new Promise<number>((resolve) => {
    const stop = async (signal: string) => {
      logger.info({ signal }, 'probe stopping: finishing checks in flight');
      await probe.stop();
      logger.info({ buffered: probe.buffer() }, 'probe stopped');
      resolve(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  });
}
