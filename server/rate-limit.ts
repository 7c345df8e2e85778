/**
 * A per-client rate limit: a token bucket per client address. Over the limit a request gets
 * 429 with Retry-After (seconds until a token is free). `now` is the clock in milliseconds
 * (Date.now by default; tests pass their own so the refill does not depend on how fast they run).
 */
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../core/errors.ts';

export function rateLimit(perMinute: number, clientOf: (c: Parameters<MiddlewareHandler>[0]) => string, now: () => number = Date.now): MiddlewareHandler {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const rate = perMinute / 60_000; // tokens per ms
  const burst = Math.max(1, Math.ceil(perMinute / 6));
  return async (c, next) => {
    const t = now();
    const key = clientOf(c);
    const b = buckets.get(key) ?? { tokens: burst, at: t };
    b.tokens = Math.min(burst, b.tokens + Math.max(0, t - b.at) * rate);
    b.at = t;
    if (b.tokens < 1) {
      buckets.set(key, b);
      const retry = Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000));
      c.header('Retry-After', String(retry));
      throw new AppError('rate_limited', `Request: too many requests; retry after ${retry} s`);
    }
    b.tokens -= 1;
    buckets.set(key, b);
    if (buckets.size > 10_000) buckets.clear();
    await next();
  };
}
