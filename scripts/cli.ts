/**
 * Command-line options for every command (start, index, search, the server, benchmarks and
 * scripts): node:util parseArgs, plus --help / -h, which prints the usage and the environment
 * variables (core/config.ts) and exits 0. An unknown option or a bad value prints the error and
 * the usage on stderr and exits 2; a bad environment variable prints its error and exits 2.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { config, configHelp } from '../core/config.ts';

export function cliArgs<T extends ParseArgsConfig>(usage: string, options: T): ReturnType<typeof parseArgs<T>> {
  const args = options.args ?? process.argv.slice(2);
  const text = `${usage.trim()}\n\n${configHelp()}`;
  const end = args.indexOf('--');
  if ((end < 0 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h')) {
    process.stdout.write(text);
    process.exit(0);
  }
  try {
    config();
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n`);
    process.exit(2);
  }
  try {
    return parseArgs<T>({ ...options, args });
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n\n${text}`);
    process.exit(2);
  }
}
