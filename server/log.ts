/**
 * Log lines of the server and npm start. LOG_FORMAT=text (the default) writes them as they have
 * always read; LOG_FORMAT=json writes one JSON object per line, { time, level, msg, ...fields },
 * for log collectors.
 */
import { config, type LogFormat } from '../core/config.ts';

export type LogLevel = 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | null>;

/** An event ("server: listening on ..."): the message itself as text. */
export function eventLine(level: LogLevel, msg: string, fields: LogFields = {}, format: LogFormat = config().logFormat): string {
  return format === 'json' ? JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }) : msg;
}

/** One answered request: "<time> GET /api/search?q=x 200 3.1ms" as text. */
export function requestLine(r: { method: string; path: string; query: string; status: number; ms: number }, format: LogFormat = config().logFormat): string {
  const time = new Date().toISOString();
  const msg = `${r.method} ${r.path}${r.query} ${r.status} ${r.ms.toFixed(1)}ms`;
  return format === 'json' ? JSON.stringify({ time, level: 'info', msg, ...r, ms: Math.round(r.ms * 10) / 10 }) : `${time} ${msg}`;
}

/** Write a line to stdout. */
export function writeLine(line: string): void {
  process.stdout.write(`${line}\n`);
}
