/**
 * Progress for long work: a bar with counts and ETA on an interactive terminal (redrawn in
 * place on stderr), and one line per stage plus a line every 10 % otherwise (logs, CI).
 */
export interface ProgressBar {
  /** Advance by n units; `detail` replaces the counters shown after the bar. */
  tick(n?: number, detail?: string): void;
  done(detail?: string): void;
}

export interface ProgressOptions {
  stream?: NodeJS.WriteStream;
  /** Force plain one-line-per-step output (the default when the stream is not a TTY). */
  plain?: boolean;
  /** Print nothing at all (for tests and callers that show their own progress). */
  silent?: boolean;
}

/**
 * `start` units are done already when the bar starts (e.g. chunks embedded while files were
 * read): they count towards the total, not towards the rate the ETA is computed from.
 */
export function progressBar(label: string, total: number, options: ProgressOptions = {}, start = 0): ProgressBar {
  const stream = options.stream ?? process.stderr;
  const silent = options.silent === true;
  const tty = !options.plain && stream.isTTY === true;
  const started = Date.now();
  let count = start;
  let lastDecile = -1;
  let lastDraw = 0;
  let detailText = '';

  const line = (final: boolean): string => {
    const elapsed = (Date.now() - started) / 1000;
    const frac = total > 0 ? Math.min(1, count / total) : 1;
    const width = 24;
    const filled = Math.round(frac * width);
    const eta = count > start && !final ? ((elapsed / (count - start)) * (total - count)) : 0;
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
    const timing = final ? `${elapsed.toFixed(1)}s` : `ETA ${formatSeconds(eta)}`;
    return `${label.padEnd(10)} ${bar} ${count}/${total} ${(frac * 100).toFixed(0).padStart(3)}% ${timing}${detailText ? ` ${detailText}` : ''}`;
  };

  return {
    tick(n = 1, detail) {
      count += n;
      if (detail !== undefined) detailText = detail;
      if (silent) return;
      if (tty) {
        const now = Date.now();
        if (now - lastDraw < 100 && count < total) return;
        lastDraw = now;
        stream.write(`\r${line(false)}\x1b[K`);
        return;
      }
      const decile = total > 0 ? Math.floor((count / total) * 10) : 10;
      if (decile > lastDecile && decile < 10) {
        lastDecile = decile;
        stream.write(`${line(false)}\n`);
      }
    },
    done(detail) {
      if (detail !== undefined) detailText = detail;
      if (silent) return;
      count = Math.max(count, total);
      stream.write(tty ? `\r${line(true)}\x1b[K\n` : `${line(true)}\n`);
    },
  };
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${Math.ceil(s)}s`;
  return `${Math.floor(s / 60)}m${String(Math.ceil(s % 60)).padStart(2, '0')}s`;
}
