/**
 * The exit codes of every command, documented in README.md:
 * 0 done; 1 the command line, environment or an input file is wrong (fix it and run again);
 * 2 the command was right but failed while running (the database was locked or unreachable,
 * the port taken, a channel refused, a statement does not match).
 */
export const EXIT = { ok: 0, usage: 1, runtime: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
