/**
 * core/config.ts, the one reader of the environment, and what every command does with it:
 * --help (usage and the environment variables), a bad variable (one clear error at startup), and
 * the real server taking HOST, RATE_LIMIT and LOG_FORMAT from its environment.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { CONFIG_VARIABLES, parseConfig } from '../core/config.ts';
import { AppError } from '../core/errors.ts';
import { CORPUS_DIR, ROOT, ensureCorpusIndex } from './helpers/corpus-index.ts';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', fail);
    child.once('exit', (code) => ok({ code, stdout, stderr }));
  });
}

describe('parseConfig', () => {
  it('gives the defaults for an empty environment, and blank values count as unset', () => {
    const expected = {
      corpusDir: resolve('corpus'), indexDir: resolve('data'), embedder: null, modelsDir: null, host: '127.0.0.1', port: 3000,
      rateLimit: 0, semanticConcurrency: 2, embedThreads: 2, queryEmbedThreads: 1, indexEmbedWorkers: availableParallelism(), quantizedMinChunks: 100_000, logFormat: 'text', engine: 'embedded',
      opensearch: { url: 'http://127.0.0.1:9200', user: null, password: null, ca: null, index: 'ofsted-chunks', timeoutMs: 10_000 },
    };
    expect(parseConfig({})).toEqual(expected);
    expect(parseConfig({ PORT: '', HOST: '  ', LOG_FORMAT: '' })).toEqual(expected);
  });

  it('reads every variable', () => {
    const c = parseConfig({
      CORPUS_DIR: '/srv/reports', INDEX_DIR: 'idx', EMBEDDER: 'hf:BAAI/bge-small-en-v1.5', MODELS_DIR: '/m', HOST: '0.0.0.0', PORT: '0',
      RATE_LIMIT: '120', SEMANTIC_CONCURRENCY: '4', EMBED_THREADS: '1', QUERY_EMBED_THREADS: '3', INDEX_EMBED_WORKERS: '0', QUANTIZED_MIN_CHUNKS: '0', LOG_FORMAT: 'JSON', ENGINE: 'OpenSearch',
      OPENSEARCH_URL: 'https://search.example:9200/', OPENSEARCH_USER: 'reader', OPENSEARCH_PASSWORD: 's3cret', OPENSEARCH_CA: '/etc/os/ca.pem',
      OPENSEARCH_INDEX: 'reports-v2', OPENSEARCH_TIMEOUT_MS: '2500',
    });
    expect(c).toEqual({
      corpusDir: '/srv/reports', indexDir: resolve('idx'), embedder: 'hf:BAAI/bge-small-en-v1.5', modelsDir: '/m', host: '0.0.0.0', port: 0,
      rateLimit: 120, semanticConcurrency: 4, embedThreads: 1, queryEmbedThreads: 3, indexEmbedWorkers: 0, quantizedMinChunks: 0, logFormat: 'json', engine: 'opensearch',
      opensearch: { url: 'https://search.example:9200', user: 'reader', password: 's3cret', ca: '/etc/os/ca.pem', index: 'reports-v2', timeoutMs: 2500 },
    });
    expect(CONFIG_VARIABLES.map(([name]) => name).sort()).toEqual(
      ['CORPUS_DIR', 'EMBEDDER', 'EMBED_THREADS', 'ENGINE', 'HOST', 'INDEX_DIR', 'INDEX_EMBED_WORKERS', 'LOG_FORMAT', 'MODELS_DIR', 'OPENSEARCH_CA', 'OPENSEARCH_INDEX',
        'OPENSEARCH_PASSWORD', 'OPENSEARCH_TIMEOUT_MS', 'OPENSEARCH_URL', 'OPENSEARCH_USER', 'PORT', 'QUANTIZED_MIN_CHUNKS', 'QUERY_EMBED_THREADS', 'RATE_LIMIT', 'SEMANTIC_CONCURRENCY'],
    );
  });

  it('lets more meaning searches run at once with OpenSearch, where they wait on the cluster, unless told', () => {
    expect(parseConfig({ ENGINE: 'opensearch' }).semanticConcurrency).toBe(8);
    expect(parseConfig({ ENGINE: 'opensearch', SEMANTIC_CONCURRENCY: '3' }).semanticConcurrency).toBe(3);
    expect(parseConfig({ ENGINE: 'embedded' }).semanticConcurrency).toBe(2);
  });

  it('takes several OpenSearch nodes separated by commas, and refuses a list with a bad one', () => {
    expect(parseConfig({ OPENSEARCH_URL: 'http://10.0.0.1:9200/, http://10.0.0.2:9200' }).opensearch.url).toBe('http://10.0.0.1:9200,http://10.0.0.2:9200');
    expect(() => parseConfig({ OPENSEARCH_URL: 'http://10.0.0.1:9200,10.0.0.2:9200' })).toThrow(/OPENSEARCH_URL must be an http/);
  });

  it('names every bad variable in one error', () => {
    let err: unknown;
    try {
      parseConfig({
        PORT: '70000', RATE_LIMIT: '-1', SEMANTIC_CONCURRENCY: '0', EMBED_THREADS: 'two', LOG_FORMAT: 'xml', ENGINE: 'solr',
        OPENSEARCH_URL: 'localhost:9200', OPENSEARCH_INDEX: 'Bad Name', OPENSEARCH_USER: 'reader',
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('invalid_config');
    const message = (err as AppError).message;
    expect(message).toMatch(/^Config: /);
    for (const part of ['PORT must be a whole number from 0 to 65535 (got "70000")', 'RATE_LIMIT', 'SEMANTIC_CONCURRENCY', 'EMBED_THREADS must be', 'LOG_FORMAT must be one of text, json (got "xml")',
      'ENGINE must be one of embedded, opensearch (got "solr")', 'OPENSEARCH_URL must be an http', 'OPENSEARCH_INDEX must be', 'OPENSEARCH_USER and OPENSEARCH_PASSWORD go together']) {
      expect(message).toContain(part);
    }
  });
});

describe('every command', () => {
  it('answers --help with its usage and the environment variables', async () => {
    const scripts = (JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const files = Object.values(scripts).flatMap((s) => /^(?:tsx|node) (\S+\.m?[jt]s)$/.exec(s)?.[1] ?? []);
    files.push('server/main.ts', 'scripts/compare-models.ts', 'scripts/pdf-stats.ts');
    // start, index, search, eval and the five benchmarks, the server alone and the two scripts.
    expect(files.length).toBeGreaterThanOrEqual(12);
    const runs: Array<[string, Run]> = [];
    for (let i = 0; i < files.length; i += 3) {
      runs.push(...(await Promise.all(files.slice(i, i + 3).map(async (f): Promise<[string, Run]> => [f, await run(f, ['--help'])]))));
    }
    for (const [file, r] of runs) {
      expect(r.code, `${file}: ${r.stderr}`).toBe(0);
      expect(r.stdout, file).toMatch(/^usage: /);
      expect(r.stdout, file).toContain('-h, --help');
      // The OpenSearch command manages a cluster, not the product: it has environment variables of its own.
      if (file === 'scripts/opensearch.ts') expect(r.stdout, file).toContain('OPENSEARCH_JAVA_HOME');
      else for (const [name] of CONFIG_VARIABLES) expect(r.stdout, file).toContain(name);
    }
  }, 180_000);

  it('stops at startup on a bad environment variable or option, saying which', async () => {
    const badEnv = await run('server/main.ts', [], { PORT: 'eighty' });
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr).toBe('error: Config: PORT must be a whole number from 0 to 65535 (got "eighty")\n');
    const badOption = await run('indexer/cli.ts', ['--corpse', 'x']);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toMatch(/^error: Unknown option '--corpse'/);
    expect(badOption.stderr).toContain('usage: npm run index');
  }, 60_000);
});

describe('the server from its environment', () => {
  it('listens on HOST, limits each client to RATE_LIMIT and logs one JSON object per line with LOG_FORMAT=json', async () => {
    const indexDir = await ensureCorpusIndex();
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, INDEX_DIR: indexDir, CORPUS_DIR, HOST: '127.0.0.2', PORT: '0', LOG_FORMAT: 'json', RATE_LIMIT: '60' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((ok) => child.once('exit', ok));
    try {
      const url = await new Promise<string | null>((ok) => {
        const timer = setInterval(() => {
          const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(stdout);
          if (m || child.exitCode !== null) {
            clearInterval(timer);
            ok(m?.[1] ?? null);
          }
        }, 100);
      });
      if (url === null && /EADDRNOTAVAIL/.test(stdout + stderr)) {
        process.stdout.write('SKIPPED: cannot listen on 127.0.0.2 here; HOST and LOG_FORMAT check not run\n');
        return;
      }
      expect(url, stdout + stderr).toMatch(/^http:\/\/127\.0\.0\.2:\d+$/);
      expect((await fetch(`${url}/api/health`)).status).toBe(200);
      expect((await fetch(`${url}/api/search?q=x&limit=0`)).status).toBe(400);
      // RATE_LIMIT=60 a minute: a burst of 10, of which 2 are spent.
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) statuses.push((await fetch(`${url}/api/help`)).status);
      expect(statuses.slice(0, 8)).toEqual(Array(8).fill(200));
      expect(statuses.at(-1)).toBe(429);
      await new Promise((ok) => setTimeout(ok, 200));
      const lines = stdout.trim().split('\n');
      const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      for (const r of records) {
        expect(Date.parse(r.time as string)).not.toBeNaN();
        expect(['info', 'warn', 'error']).toContain(r.level);
        expect(typeof r.msg).toBe('string');
      }
      expect(records.find((r) => typeof r.msg === 'string' && r.msg.includes('listening on'))).toBeDefined();
      expect(records).toContainEqual(expect.objectContaining({ method: 'GET', path: '/api/health', status: 200 }));
      expect(records).toContainEqual(expect.objectContaining({ method: 'GET', path: '/api/search', query: '?q=x&limit=0', status: 400 }));
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }, 120_000);
});
