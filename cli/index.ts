export { main, COMMANDS } from './main.ts';
export { parseEnv, Env, EnvError } from './env.ts';
export { listen } from './http-server.ts';
