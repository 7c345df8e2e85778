/**
 * Preloaded into the server process by benchmarks/load.ts (`node --import tsx --import
 * ./benchmarks/loop-probe.ts server/main.ts`): where a request's time goes under load. It
 * samples the main thread's event-loop delay (perf_hooks monitorEventLoopDelay: how late a timer
 * fires, i.e. how long a request that arrives now waits before the main thread reads it) and the
 * event-loop utilisation (fraction of time the main thread was running code, not waiting for
 * I/O). On SIGUSR2 it writes one line `loop-probe {json}` to stderr with the figures since the
 * last signal and starts again. Not part of the server: nothing in server/ imports it.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

const histogram = monitorEventLoopDelay({ resolution: 1 });
histogram.enable();
let elu = performance.eventLoopUtilization();

process.on('SIGUSR2', () => {
  const now = performance.eventLoopUtilization();
  const used = performance.eventLoopUtilization(now, elu);
  elu = now;
  const ms = (ns: number): number => Math.round(ns / 1e4) / 100;
  const line = {
    delayP50: ms(histogram.percentile(50)),
    delayP95: ms(histogram.percentile(95)),
    delayP99: ms(histogram.percentile(99)),
    delayMax: ms(histogram.max),
    utilisation: Math.round(used.utilization * 1000) / 1000,
  };
  histogram.reset();
  process.stderr.write(`loop-probe ${JSON.stringify(line)}\n`);
});
