/**
 * The one place that reads the environment. `config()` reads process.env once, checks every
 * value and keeps the result; the rest of the code asks it, never process.env. A bad value is an
 * AppError('invalid_config') naming every variable at fault, so a command stops at startup with
 * one clear message. Tests call parseConfig() with an environment of their own.
 * CONFIG_VARIABLES lists the variables, their meaning and defaults.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { AppError } from './errors.ts';

export const LOG_FORMATS = ['text', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export const ENGINES = ['embedded', 'opensearch'] as const;
export type EngineKind = (typeof ENGINES)[number];

/** How to reach OpenSearch (ENGINE=opensearch, and the OpenSearch indexer). */
export interface OpenSearchConfig {
  url: string;
  user: string | null;
  password: string | null;
  /** PEM file of the CA that signed the cluster's certificate, or null for the system CAs. */
  ca: string | null;
  /** The alias searches read; each build writes a new index behind it. */
  index: string;
  /** Longest wait for one OpenSearch request before the server answers 503 (ms). */
  timeoutMs: number;
}

export interface Config {
  corpusDir: string;
  indexDir: string;
  /** null: the vendored default (embed/registry.ts). */
  embedder: string | null;
  /** null: <repo>/models (embed/registry.ts). */
  modelsDir: string | null;
  host: string;
  port: number;
  rateLimit: number;
  semanticConcurrency: number;
  embedThreads: number;
  /** onnxruntime threads of the server's query embedder (its own worker thread, embed/thread-embedder.ts). */
  queryEmbedThreads: number;
  /** Worker threads that embed while the indexer reads (embed/embedder-pool.ts); 0 = the indexer's own thread. */
  indexEmbedWorkers: number;
  /** Chunks from which meaning search scans int8 vectors and re-scores the best (embed/quantized-search.ts) instead of every float vector. */
  quantizedMinChunks: number;
  logFormat: LogFormat;
  /** Where searches run: the in-process index (default) or an OpenSearch cluster. */
  engine: EngineKind;
  opensearch: OpenSearchConfig;
}

/** Every variable config() reads, with what it means and its default: for --help and the README. */
export const CONFIG_VARIABLES: ReadonlyArray<readonly [name: string, meaning: string]> = [
  ['CORPUS_DIR', 'folder of the original reports (default ./corpus)'],
  ['INDEX_DIR', 'folder of the saved index (default ./data)'],
  ['EMBEDDER', 'embedder for new indexes: minilm-l6-v2-int8 (default) or hf:<org>/<model>'],
  ['MODELS_DIR', 'folder of model folders (default <repo>/models)'],
  ['HOST', 'address the server listens on (default 127.0.0.1)'],
  ['PORT', 'port the server listens on, 0 = any free one (default 3000)'],
  ['RATE_LIMIT', 'API requests per minute per client, 0 = no limit (default 0)'],
  ['SEMANTIC_CONCURRENCY', 'meaning and hybrid searches run at once (default 2; 8 with ENGINE=opensearch)'],
  ['EMBED_THREADS', 'onnxruntime threads per model (default 2)'],
  ['QUERY_EMBED_THREADS', 'onnxruntime threads of the server\'s query embedding (default 1)'],
  ['INDEX_EMBED_WORKERS', 'worker threads that embed while the indexer reads files, one model thread each; 0 = embed in the indexer\'s own thread with EMBED_THREADS (default: the number of cores)'],
  ['QUANTIZED_MIN_CHUNKS', 'chunks from which meaning search scans int8 vectors, then re-scores the best exactly (default 100000)'],
  ['LOG_FORMAT', 'text, or json for one JSON object per line (default text)'],
  ['ENGINE', 'embedded (default: the index in this process) or opensearch (docs/scale-out.md)'],
  ['OPENSEARCH_URL', 'the OpenSearch cluster: a node URL, or several separated by commas (default http://127.0.0.1:9200)'],
  ['OPENSEARCH_USER', 'OpenSearch user for basic auth (default none)'],
  ['OPENSEARCH_PASSWORD', 'its password (default none)'],
  ['OPENSEARCH_CA', 'PEM file of the CA of the cluster\'s TLS certificate (default the system CAs)'],
  ['OPENSEARCH_INDEX', 'alias the server reads and the indexer switches (default ofsted-chunks)'],
  ['OPENSEARCH_TIMEOUT_MS', 'longest wait for one OpenSearch request, then 503 (default 10000)'],
];

/** The environment part of every command's --help. */
export function configHelp(): string {
  const width = Math.max(...CONFIG_VARIABLES.map(([name]) => name.length));
  return `Environment:\n${CONFIG_VARIABLES.map(([name, meaning]) => `  ${name.padEnd(width)}  ${meaning}`).join('\n')}\n`;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Check and convert an environment; throws one AppError listing every bad variable. Unset or blank means the default. */
export function parseConfig(env: Env): Config {
  const problems: string[] = [];
  const text = (name: string): string | null => {
    const v = env[name]?.trim();
    return v ? v : null;
  };
  const int = (name: string, dflt: number, min: number, max: number): number => {
    const v = text(name);
    if (v === null) return dflt;
    if (!/^\d{1,9}$/.test(v) || Number(v) < min || Number(v) > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${v.slice(0, 40)}")`);
      return dflt;
    }
    return Number(v);
  };
  const logFormat = (text('LOG_FORMAT') ?? 'text').toLowerCase();
  if (!(LOG_FORMATS as readonly string[]).includes(logFormat)) problems.push(`LOG_FORMAT must be one of ${LOG_FORMATS.join(', ')} (got "${logFormat.slice(0, 40)}")`);
  const engine = (text('ENGINE') ?? 'embedded').toLowerCase();
  if (!(ENGINES as readonly string[]).includes(engine)) problems.push(`ENGINE must be one of ${ENGINES.join(', ')} (got "${engine.slice(0, 40)}")`);
  const url = text('OPENSEARCH_URL') ?? 'http://127.0.0.1:9200';
  const nodes = url.split(',').map((u) => u.trim().replace(/\/+$/, ''));
  if (!nodes.every((u) => /^https?:\/\/[^\s/,]+$/.test(u))) {
    problems.push(`OPENSEARCH_URL must be an http:// or https:// URL, or several separated by commas (got "${url.slice(0, 60)}")`);
  }
  const alias = text('OPENSEARCH_INDEX') ?? 'ofsted-chunks';
  if (!/^[a-z0-9][a-z0-9_-]{0,100}$/.test(alias)) problems.push(`OPENSEARCH_INDEX must be lower-case letters, digits, - and _ (got "${alias.slice(0, 40)}")`);
  if ((text('OPENSEARCH_USER') === null) !== (text('OPENSEARCH_PASSWORD') === null)) problems.push('OPENSEARCH_USER and OPENSEARCH_PASSWORD go together (set both or neither)');
  const config: Config = {
    corpusDir: resolve(text('CORPUS_DIR') ?? 'corpus'),
    indexDir: resolve(text('INDEX_DIR') ?? 'data'),
    embedder: text('EMBEDDER'),
    modelsDir: text('MODELS_DIR') === null ? null : resolve(text('MODELS_DIR')!),
    host: text('HOST') ?? '127.0.0.1',
    port: int('PORT', 3000, 0, 65_535),
    rateLimit: int('RATE_LIMIT', 0, 0, 1_000_000),
    // With OpenSearch a meaning search mostly waits for the cluster, not for this thread: more may be under way (docs/scale-out.md).
    semanticConcurrency: int('SEMANTIC_CONCURRENCY', engine === 'opensearch' ? 8 : 2, 1, 64),
    embedThreads: int('EMBED_THREADS', 2, 1, 256),
    queryEmbedThreads: int('QUERY_EMBED_THREADS', 1, 1, 256),
    indexEmbedWorkers: int('INDEX_EMBED_WORKERS', availableParallelism(), 0, 256),
    quantizedMinChunks: int('QUANTIZED_MIN_CHUNKS', 100_000, 0, 1_000_000_000),
    logFormat: logFormat as LogFormat,
    engine: engine as EngineKind,
    opensearch: {
      url: nodes.join(','),
      user: text('OPENSEARCH_USER'),
      password: text('OPENSEARCH_PASSWORD'),
      ca: text('OPENSEARCH_CA') === null ? null : resolve(text('OPENSEARCH_CA')!),
      index: alias,
      timeoutMs: int('OPENSEARCH_TIMEOUT_MS', 10_000, 100, 600_000),
    },
  };
  if (problems.length > 0) throw new AppError('invalid_config', `Config: ${problems.join('; ')}`);
  return config;
}

let current: Config | undefined;

/** The process's configuration, read from process.env on first use. */
export function config(): Config {
  current ??= parseConfig(process.env);
  return current;
}
