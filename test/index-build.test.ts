/**
 * The indexer end to end on small real corpora: incremental runs (add, change, delete), no-op
 * re-runs, skipped bad files, the saved format and its checks, and a build killed mid-way.
 */
import { spawn } from 'node:child_process';
import { copyFile, cp, mkdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../core/embedder.ts';
import { INDEX_FORMAT_VERSION, MANIFEST_FILE, parseManifest } from '../core/index-file.ts';
import { SearchEngine } from '../core/search.ts';
import { buildIndex } from '../indexer/build.ts';
import { loadIndex } from '../server/load-index.ts';
import { CORPUS_DIR, ROOT } from './helpers/corpus-index.ts';
import { STAGES, answers, killTrials, runIndexer } from './helpers/kill-build.ts';
import { useScratch } from './helpers/scratch.ts';

const scratch = useScratch('index-build');
const TMP = scratch.dir;
const SEED_A = join(CORPUS_DIR, 'seeds', '000_1086bae144af7f91.txt'); // Hackney APA 2005
const SEED_B = join(CORPUS_DIR, 'seeds', '004_23e61ca61d325768.txt'); // Hertfordshire APA 2006
const PDF = join(CORPUS_DIR, 'ofsted-ilacs', '80500_havering', "children's services inspection - 16 february 2024.pdf");

let embedder: Embedder;
beforeAll(() => {
  embedder = scratch.embedder();
});

async function corpusOf(name: string, files: Array<[string, string]>): Promise<string> {
  const dir = join(TMP, name);
  await mkdir(dir, { recursive: true });
  for (const [from, to] of files) {
    await mkdir(join(dir, to, '..'), { recursive: true });
    await copyFile(from, join(dir, to));
  }
  return dir;
}

describe('incremental builds', () => {
  it('adds, changes and removes files, and an unchanged corpus is a no-op', async () => {
    const corpus = await corpusOf('incremental', [[SEED_A, 'hackney 2005.txt']]);
    const index = join(TMP, 'incremental-index');
    const first = await buildIndex({ corpusDir: corpus, indexDir: index, embedder, progress: { silent: true } });
    expect(first).toMatchObject({ noop: false, documents: 1, added: 1, changed: 0, removed: 0 });
    expect(first.chunks).toBeGreaterThan(5);
    expect(first.embedded).toBe(first.chunks);

    const again = await buildIndex({ corpusDir: corpus, indexDir: index, embedder, progress: { silent: true } });
    expect(again).toMatchObject({ noop: true, documents: 1, embedded: 0 });

    await copyFile(SEED_B, join(corpus, "hertfordshire's letter, 2006.txt"));
    const added = await buildIndex({ corpusDir: corpus, indexDir: index, embedder, progress: { silent: true } });
    expect(added).toMatchObject({ noop: false, documents: 2, added: 1, changed: 0, removed: 0, unchanged: 1 });
    // Only the new file's chunks are embedded (fewer if some text was already embedded).
    expect(added.embedded).toBeGreaterThan(0);
    expect(added.embedded).toBeLessThanOrEqual(added.chunks - first.chunks);

    const loaded = await loadIndex(index);
    const engine = new SearchEngine(loaded, embedder);
    const before = await engine.search({ q: 'teenage pregnancy', mode: 'hybrid', limit: 5 });

    await writeFile(join(corpus, 'hackney 2005.txt'), `${await readFile(SEED_A, 'utf8')}\n\nA new closing paragraph about staying put arrangements for care leavers in Hackney, added later.\n`);
    const changed = await buildIndex({ corpusDir: corpus, indexDir: index, embedder, progress: { silent: true } });
    expect(changed).toMatchObject({ noop: false, documents: 2, added: 0, changed: 1, removed: 0, unchanged: 1 });
    // Only the chunk with the new paragraph needed the model: the rest were embedded before.
    expect(changed.embedded).toBeGreaterThanOrEqual(1);
    expect(changed.embedded).toBeLessThanOrEqual(2);
    const after = new SearchEngine(await loadIndex(index), embedder);
    expect((await after.search({ q: '"staying put"', mode: 'keyword' })).total).toBe(1);
    // Vectors of the unchanged file were reused, not recomputed: its results are identical.
    const herts = (r: typeof before) => r.results.filter((x) => x.doc.council === 'Hertfordshire').map((x) => [x.id, x.score]);
    expect(herts(await after.search({ q: 'teenage pregnancy', mode: 'semantic', limit: 5 }))).toEqual(
      herts(await engine.search({ q: 'teenage pregnancy', mode: 'semantic', limit: 5 })),
    );

    await rm(join(corpus, 'hackney 2005.txt'));
    const removed = await buildIndex({ corpusDir: corpus, indexDir: index, embedder, progress: { silent: true } });
    expect(removed).toMatchObject({ noop: false, documents: 1, removed: 1 });
    const final = await loadIndex(index);
    expect(final.docs.map((d) => d.meta.council)).toEqual(['Hertfordshire']);
  });

  it('gives the same anchors and ids for the same file content', async () => {
    const a = await corpusOf('anchors-a', [[SEED_B, 'x/letter.txt']]);
    const b = await corpusOf('anchors-b', [[SEED_B, 'x/letter.txt']]);
    await buildIndex({ corpusDir: a, indexDir: join(TMP, 'anchors-a-index'), embedder, progress: { silent: true } });
    await buildIndex({ corpusDir: b, indexDir: join(TMP, 'anchors-b-index'), embedder, progress: { silent: true } });
    const ia = await loadIndex(join(TMP, 'anchors-a-index'));
    const ib = await loadIndex(join(TMP, 'anchors-b-index'));
    expect(ia.chunks.map((c) => c.id)).toEqual(ib.chunks.map((c) => c.id));
    expect(ia.docs[0]!.paragraphs.map((p) => p.anchor)).toEqual(ib.docs[0]!.paragraphs.map((p) => p.anchor));
  });
});

describe('bad files', () => {
  it('skips broken and unsupported files with a reason and indexes the rest', async () => {
    const corpus = await corpusOf('bad', [[SEED_B, 'good.txt']]);
    const pdf = await readFile(PDF);
    await writeFile(join(corpus, 'truncated.pdf'), pdf.subarray(0, 2000));
    await writeFile(join(corpus, 'empty.pdf'), '');
    await writeFile(join(corpus, 'binary.txt'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 1, 2, 3, 0, 0, 0]));
    await writeFile(join(corpus, 'notes.docx'), Buffer.from('PK\u0003\u0004 not really a document'));
    await writeFile(join(corpus, 'data.csv'), 'a,b\n1,2\n');
    await symlink('/etc/passwd', join(corpus, 'outside.txt'));
    const s = await buildIndex({ corpusDir: corpus, indexDir: join(TMP, 'bad-index'), embedder, progress: { silent: true } });
    expect(s.documents).toBe(1);
    const reasons = Object.fromEntries(s.skipped.map((k) => [k.file, k.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['binary.txt', 'data.csv', 'empty.pdf', 'notes.docx', 'outside.txt', 'truncated.pdf']);
    for (const r of Object.values(reasons)) expect(r.length).toBeGreaterThan(5);
    expect(reasons['empty.pdf']).toMatch(/empty/i);
    expect(reasons['outside.txt']).toMatch(/outside the corpus/);
    const loaded = await loadIndex(join(TMP, 'bad-index'));
    expect(loaded.docs).toHaveLength(1);
  });
});

describe('files unchanged since the last build', () => {
  it('are not read again while their size and modification time are those recorded; any other change is seen', async () => {
    const corpus = await corpusOf('stamps', [[SEED_A, 'a.txt'], [SEED_B, 'b.txt']]);
    const index = join(TMP, 'stamps-index');
    const hourAgo = new Date(Date.now() - 3600_000);
    await utimes(join(corpus, 'a.txt'), hourAgo, hourAgo);
    await buildIndex({ corpusDir: corpus, indexDir: index, embedder, progress: { silent: true } });
    const records = async () => parseManifest(await readFile(join(index, MANIFEST_FILE), 'utf8')).files;
    const first = await records();
    const a = await stat(join(corpus, 'a.txt'));
    expect(first['a.txt']).toMatchObject({ size: a.size, mtimeMs: a.mtimeMs });
    // b.txt was written just now: its time is not trusted yet (a change in the same clock tick would keep it).
    expect(first['b.txt']!.mtimeMs).toBeUndefined();

    // Same size, other bytes, a new time: read again and seen as changed.
    const text = await readFile(join(corpus, 'a.txt'), 'utf8');
    const other = text.replace('children', 'CHILDREN');
    expect(other).not.toBe(text);
    expect(Buffer.byteLength(other)).toBe(a.size);
    await writeFile(join(corpus, 'a.txt'), other);
    const changed = await buildIndex({ corpusDir: corpus, indexDir: index, embedder, progress: { silent: true } });
    expect(changed).toMatchObject({ noop: false, changed: 1 });

    // Size and time put back to those recorded: the file is trusted, not read (what the shortcut trusts).
    await utimes(join(corpus, 'a.txt'), hourAgo, hourAgo);
    await buildIndex({ corpusDir: corpus, indexDir: index, embedder, progress: { silent: true } });
    await writeFile(join(corpus, 'a.txt'), text);
    await utimes(join(corpus, 'a.txt'), hourAgo, hourAgo);
    expect((await buildIndex({ corpusDir: corpus, indexDir: index, embedder, progress: { silent: true } })).noop).toBe(true);
    await utimes(join(corpus, 'a.txt'), new Date(), new Date());
    expect(await buildIndex({ corpusDir: corpus, indexDir: index, embedder, progress: { silent: true } })).toMatchObject({ noop: false, changed: 1 });

    // An index without recorded times (an earlier build): the no-op run records them, same build.
    const m = parseManifest(await readFile(join(index, MANIFEST_FILE), 'utf8'));
    const bare = Object.fromEntries(Object.entries(m.files).map(([f, r]) => [f, { hash: r.hash, docId: r.docId }]));
    await writeFile(join(index, MANIFEST_FILE), JSON.stringify({ ...m, files: bare }));
    await utimes(join(corpus, 'b.txt'), hourAgo, hourAgo);
    expect((await buildIndex({ corpusDir: corpus, indexDir: index, embedder, progress: { silent: true } })).noop).toBe(true);
    const after = parseManifest(await readFile(join(index, MANIFEST_FILE), 'utf8'));
    expect(after.buildId).toBe(m.buildId);
    expect(after.parts).toEqual(m.parts);
    const b = await stat(join(corpus, 'b.txt'));
    expect(after.files['b.txt']).toMatchObject({ size: b.size, mtimeMs: b.mtimeMs });
  });
});

describe('saved index', () => {
  it('refuses another format version and detects damaged parts', async () => {
    const corpus = await corpusOf('format', [[SEED_B, 'letter.txt']]);
    const index = join(TMP, 'format-index');
    await buildIndex({ corpusDir: corpus, indexDir: index, embedder, progress: { silent: true } });
    const manifestPath = join(index, MANIFEST_FILE);
    const manifest = parseManifest(await readFile(manifestPath, 'utf8'));
    expect(manifest.format).toBe(INDEX_FORMAT_VERSION);
    expect(manifest.embedder).toEqual(embedder.info);

    const damaged = join(TMP, 'format-damaged');
    await cp(index, damaged, { recursive: true });
    const vectors = join(damaged, manifest.parts.vectors.file);
    const bytes = await readFile(vectors);
    bytes[100] = bytes[100]! ^ 0xff;
    await writeFile(vectors, bytes);
    await expect(loadIndex(damaged)).rejects.toThrow(/^Index: part vectors-.* fails its checksum/);
    await writeFile(join(damaged, manifest.parts.docs.file), '{"truncated');
    await expect(loadIndex(damaged)).rejects.toThrow(/fails its checksum/);

    await writeFile(join(damaged, MANIFEST_FILE), JSON.stringify({ ...manifest, format: INDEX_FORMAT_VERSION + 1 }));
    await expect(loadIndex(damaged)).rejects.toThrow(`Index: saved index has format version ${INDEX_FORMAT_VERSION + 1}, this version reads only ${INDEX_FORMAT_VERSION}; rebuild the index`);
    await expect(loadIndex(join(TMP, 'nowhere'))).rejects.toThrow(/^Index: no index in/);

    // A damaged previous index is not reused: the next build replaces it.
    const rebuilt = await buildIndex({ corpusDir: corpus, indexDir: damaged, embedder, progress: { silent: true } });
    expect(rebuilt.noop).toBe(false);
    expect((await loadIndex(damaged)).docs).toHaveLength(1);
  });
});

describe('command line', () => {
  it('prints the summary as one JSON line on stdout with --json, and progress on stderr', async () => {
    const corpus = await corpusOf('cli', [[SEED_B, 'letter.txt']]);
    await writeFile(join(corpus, 'empty.pdf'), '');
    const { out, err } = await new Promise<{ out: string; err: string }>((ok, fail) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'indexer/cli.ts', '--corpus', corpus, '--index', join(TMP, 'cli-index'), '--json'], { cwd: ROOT });
      let text = '';
      let errText = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.stderr.on('data', (d: Buffer) => (errText += d.toString()));
      child.once('error', fail);
      child.once('exit', (code) => (code === 0 ? ok({ out: text, err: errText }) : fail(new Error(`exit ${code}: ${errText}`))));
    });
    // Each stage shows counts, and its closing line the time it took.
    for (const stage of ['read', 'embed', 'keyword', 'write']) expect(err, err).toMatch(new RegExp(`^${stage} +\\[#+\\] \\d+/\\d+ 100% [\\d.]+s`, 'm'));
    expect(err).toMatch(/^warning: skipped empty\.pdf: /m);
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0]!) as { documents: number; chunks: number; skipped: Array<{ file: string; reason: string }>; seconds: number };
    expect(summary.documents).toBe(1);
    expect(summary.chunks).toBeGreaterThan(5);
    expect(summary.skipped).toEqual([{ file: 'empty.pdf', reason: expect.stringMatching(/empty/i) }]);
    expect(summary.seconds).toBeGreaterThan(0);
  });
});

describe('a build killed mid-way', () => {
  it('leaves the previous index loadable, answering the same, at a kill in each stage, and the next run completes', async () => {
    const corpus = await corpusOf('kill', [[SEED_A, 'a.txt']]);
    const index = join(TMP, 'kill-index');
    await buildIndex({ corpusDir: corpus, indexDir: index, embedder, progress: { silent: true } });
    const before = await answers(index, embedder);
    const snapshot = join(TMP, 'kill-snapshot');
    await cp(index, snapshot, { recursive: true });
    // The killed builds add a 40-page PDF and a report: seconds of reading and embedding.
    await copyFile(PDF, join(corpus, 'b.pdf'));
    await copyFile(SEED_B, join(corpus, 'c.txt'));
    const scratchIndex = join(TMP, 'kill-scratch');
    await cp(snapshot, scratchIndex, { recursive: true });
    const full = await runIndexer(corpus, scratchIndex);
    expect(full.code, full.stderr).toBe(0);
    const after = await answers(scratchIndex, embedder);
    expect(after.docs).toBe(3);

    // A kill at the first progress line of each stage.
    const moments = STAGES.map((stage) => ({ stage, line: 1 }));
    const trials = await killTrials({ corpus, index, snapshot, before, after, embedder, moments, check: (ok, msg) => expect(ok, msg).toBe(true) });
    for (const t of trials) expect(t.killedAtMs, `${t.moment}: the CLI printed no such line:\n${full.stderr}`).not.toBeNull();
    // Reading a second file and embedding 96 chunks were still to come: those kills interrupted
    // the build for real, and the previous index answered as before.
    for (const t of trials.slice(0, 2)) expect(t, t.moment).toMatchObject({ killed: true, outcome: 'previous index intact' });
    // Keyword and write last milliseconds: a kill there may come after the new manifest is in
    // place, and then the index is the complete new one (killTrials checked which).
    process.stdout.write(`kill per stage: ${trials.map((t) => `${t.moment} at ${t.killedAtMs?.toFixed(0)} ms -> ${t.outcome}`).join('; ')}\n`);

    const done = await buildIndex({ corpusDir: corpus, indexDir: index, embedder, progress: { silent: true } });
    expect(done.documents).toBe(3);
    expect(await answers(index, embedder)).toEqual(after);
  });
});
