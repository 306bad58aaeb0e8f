import type { Env } from './env.ts';
import { EXIT } from './exit-codes.ts';
import { helpOf } from './help-texts.ts';

/**
 * `statusvakt config reload`: asks the running server, through its operator
 * API, to read its config file again. Exit 0 applied; 1 refused (the file's
 * mistakes, a missing or wrong token); 2 the server could not be reached.
 */
export async function configCommand(args: { env: Env; positionals: string[]; api: string | undefined }): Promise<number> {
  const fail = (code: number, message: string) => {
    process.stderr.write(`statusvakt config: ${message}\n`);
    return code;
  };
  const [sub, ...extra] = args.positionals;
  if (sub !== 'reload' || extra.length > 0) return fail(EXIT.usage, `${sub === undefined ? 'name a subcommand' : `unknown subcommand "${[sub, ...extra].join(' ')}"`}\n\n${helpOf('config', [])}`);
  const token = args.env.STATUSVAKT_API_TOKEN;
  if (!token) return fail(EXIT.usage, 'set STATUSVAKT_API_TOKEN to an API token with the config:write scope of an administrator of all organisations (statusvakt api-token create --scopes config:write), or send the server SIGHUP');
  const host = ['0.0.0.0', '::'].includes(args.env.HOST) ? '127.0.0.1' : args.env.HOST;
  const base = args.api ?? `http://${host.includes(':') ? `[${host}]` : host}:${args.env.PORT}`;
  let url: URL;
  try {
    url = new URL('/api/v1/config/reload', base);
  } catch {
    return fail(EXIT.usage, `--api: "${base}" is not a URL; e.g. --api http://127.0.0.1:3000`);
  }
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(60_000) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    return fail(EXIT.runtime, `cannot reach the server at ${url.origin} (${cause}); is it running? Name it with --api URL`);
  }
  const body = (await response.json().catch(() => null)) as { file?: string; summary?: string; error?: { message?: string } } | null;
  if (response.status === 200) {
    process.stdout.write(`reloaded ${body?.file}: ${body?.summary}\n`);
    return EXIT.ok;
  }
  const message = body?.error?.message ?? `the server answered ${response.status}`;
  // a refused file, a wrong token or too little right is for the operator to fix; anything else is the server's trouble
  return fail([400, 401, 403, 404].includes(response.status) ? EXIT.usage : EXIT.runtime, message);
}
