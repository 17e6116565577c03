import path from 'node:path';
import { execa } from 'execa';

const BIN = path.resolve(import.meta.dirname, '../../bin/tinypdm.js');

/** Runs the real CLI in a child process, as a user would. */
export async function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = await execa(process.execPath, [BIN, ...args], {
    reject: false,
    stdin: 'ignore',
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    ...(opts.env ? { env: opts.env } : {}),
  });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}
