// @ts-check
/**
 * Entry point of an embed/embedder-pool.ts worker thread. Plain JavaScript because a worker does
 * not inherit the parent's TypeScript loader (Node 20): it registers tsx itself, then runs
 * embed/embedder-pool-worker.ts (the same way whether the parent runs TypeScript through tsx or
 * the compiled server bundle, whose sources keep their own import.meta.url).
 */
const { register } = await import('tsx/esm/api');
register();
await import('./embedder-pool-worker.ts');
