/**
 * Preloaded into a child process by the benchmarks (`node --import tsx --import
 * ./benchmarks/peak-rss.ts script.ts`): when the process exits, writes its peak resident set
 * size (getrusage maxRSS, the kernel's high-water mark, in kB) to stderr as one line
 * `peak-rss-kb: N`. Changes nothing else.
 */
import { writeSync } from 'node:fs';

process.on('exit', () => {
  try {
    writeSync(2, `\npeak-rss-kb: ${process.resourceUsage().maxRSS}\n`);
  } catch {
    // stderr closed: nothing to report to.
  }
});
