export { main, COMMANDS } from './main.ts';
export { parseEnv, Env, EnvError } from './env.ts';
