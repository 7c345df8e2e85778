/**
 * The embedder on its own thread (embed/thread-embedder.ts), as the server runs it: the same
 * vectors as the model run in this thread, errors that cross the thread with their code and
 * message, and a real server (startServer, real HTTP, the real model in its worker) whose meaning
 * and hybrid answers are the ones the engine gives in-process, and which answers a keyword search
 * while meaning searches are queued.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchResponse } from '../core/api-types.ts';
import type { Embedder } from '../core/embedder.ts';
import { AppError } from '../core/errors.ts';
import { SearchEngine } from '../core/search.ts';
import { DEFAULT_EMBEDDER_ID, loadEmbedder } from '../embed/registry.ts';
import { ThreadEmbedder } from '../embed/thread-embedder.ts';
import { loadIndex, loadIndexEmbedder } from '../server/load-index.ts';
import { startServer, type RunningServer } from '../server/main.ts';
import { CORPUS_DIR, CORPUS_INDEX_DIR } from './helpers/corpus-index.ts';

const QUERIES = ['how well are care leavers supported into housing', 'private fostering arrangements', 'management oversight of front door decisions'];

describe('the embedder on its own thread', () => {
  let here: Embedder;
  let there: Embedder;
  beforeAll(async () => {
    [here, there] = await Promise.all([loadEmbedder(DEFAULT_EMBEDDER_ID), loadEmbedder(DEFAULT_EMBEDDER_ID, { thread: true })]);
  });
  afterAll(async () => {
    await Promise.all([here?.dispose(), there?.dispose()]);
  });

  it('is a worker thread with the same model', () => {
    expect(there).toBeInstanceOf(ThreadEmbedder);
    expect(there.info).toEqual(here.info);
  });

  it('gives the same vectors, bit for bit, for queries and passages', async () => {
    for (const q of QUERIES) expect(Array.from(await there.embedQuery(q)), q).toEqual(Array.from(await here.embedQuery(q)));
    const passages = ['Children in care are visited regularly.', 'The front door is effective.', 'Leaders know their services well.'];
    const [a, b] = await Promise.all([here.embedPassages(passages), there.embedPassages(passages)]);
    expect(b.map((v) => Array.from(v))).toEqual(a.map((v) => Array.from(v)));
    expect(await there.embedPassages([])).toEqual([]);
  });

  it('answers many concurrent requests, each with its own vector', async () => {
    const texts = Array.from({ length: 40 }, (_, i) => `${QUERIES[i % QUERIES.length]} ${i}`);
    const [mine, theirs] = await Promise.all([Promise.all(texts.map((t) => here.embedQuery(t))), Promise.all(texts.map((t) => there.embedQuery(t)))]);
    expect(theirs.map((v) => Array.from(v))).toEqual(mine.map((v) => Array.from(v)));
  });

  it('fails to load as the model would in this thread, with the same code and message', async () => {
    const inThread = await loadEmbedder('word2vec').catch((e: unknown) => e);
    const inWorker = await loadEmbedder('word2vec', { thread: true }).catch((e: unknown) => e);
    expect(inThread).toBeInstanceOf(AppError);
    expect(inWorker).toBeInstanceOf(AppError);
    expect((inWorker as AppError).code).toBe((inThread as AppError).code);
    expect((inWorker as AppError).message).toBe((inThread as AppError).message);
  });

  it('refuses work once disposed', async () => {
    const e = await loadEmbedder(DEFAULT_EMBEDDER_ID, { thread: true });
    await e.dispose();
    await e.dispose();
    await expect(e.embedQuery('children')).rejects.toThrow(/^Embedder: model "minilm-l6-v2-int8" was disposed/);
  });
});

describe('a server with the embedder on its own thread', () => {
  let server: RunningServer;
  let engine: SearchEngine;
  beforeAll(async () => {
    const index = await loadIndex(CORPUS_INDEX_DIR);
    engine = new SearchEngine(index, await loadIndexEmbedder(index));
    server = await startServer({ indexDir: CORPUS_INDEX_DIR, corpusDir: CORPUS_DIR, port: 0, webDir: null, reloadMs: 0 });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await engine?.embedder?.dispose();
  });

  const get = async (path: string): Promise<SearchResponse> => {
    const res = await fetch(server.url + path);
    const body = await res.text();
    expect(res.status, body.slice(0, 300)).toBe(200);
    return JSON.parse(body) as SearchResponse;
  };
  const ranking = (r: SearchResponse) => ({ total: r.total, results: r.results.map((x) => [x.id, x.score, x.snippet]) });

  it('answers meaning and hybrid searches exactly as the engine does in-process', async () => {
    expect(server.service.product.embedder).toBeInstanceOf(ThreadEmbedder);
    for (const q of QUERIES) {
      for (const mode of ['hybrid', 'semantic'] as const) {
        const over = await get(`/api/search?q=${encodeURIComponent(q)}&mode=${mode}&limit=20`);
        const local = await engine.search({ q, mode, limit: 20 });
        expect(ranking(over), `${mode}: ${q}`).toEqual(ranking(local));
      }
    }
  });

  it('answers a keyword search sent after queued meaning searches before they are all done', async () => {
    const done: string[] = [];
    // Four hybrid searches: two at a time pass the gate (SEMANTIC_CONCURRENCY 2), two wait.
    const hybrid = QUERIES.concat(['kinship carers assessments']).map((q, i) => get(`/api/search?q=${encodeURIComponent(`${q} ${i} ordering`)}`).then(() => done.push(`hybrid ${i}`)));
    const keyword = get('/api/search?q=children%20in%20care&mode=keyword').then(() => done.push('keyword'));
    await Promise.all([...hybrid, keyword]);
    expect(done).toHaveLength(5);
    expect(done.indexOf('keyword')).toBeLessThan(4);
  });
});
