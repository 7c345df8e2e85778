/**
 * Fetch one artifact from a Maven repository (Maven Central, or MAVEN_REPO_URL for a mirror) into
 * the local cache, checked against the .sha1 (required) and .sha512 (when published) files that
 * the repository publishes beside it. A cached artifact is re-checked against its cached checksum
 * files without touching the network, so re-runs work offline. An artifact may also carry a
 * SHA-256 pinned in the code: it is always checked, and it stands in for the .sha1 when the
 * repository publishes none (a mirror that serves the artifact without its checksum files).
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { mavenDir } from './layout.ts';

export interface Coordinates {
  group: string;
  artifact: string;
  version: string;
  /** File extension: jar, zip or pom. */
  ext: string;
  /** SHA-256 pinned in the code: checked always; required when the repository publishes no .sha1. */
  sha256?: string;
}

export interface Fetched {
  /** group:artifact:version:ext */
  id: string;
  url: string;
  path: string;
  bytes: number;
  sha1: string;
  /** Absent when the repository publishes no .sha512 for this artifact. */
  sha512?: string;
  /** Computed here (SHA-256 of the verified file), for the record. */
  sha256: string;
  /** What the file was checked against: published .sha1/.sha512, the pinned SHA-256. */
  checked: string[];
}

export type Log = (line: string) => void;

export function repoUrl(): string {
  return (process.env.MAVEN_REPO_URL ?? 'https://repo1.maven.org/maven2').replace(/\/+$/, '');
}

export function coordinatesId(c: Coordinates): string {
  return `${c.group}:${c.artifact}:${c.version}:${c.ext}`;
}

function relativePath(c: Coordinates): string {
  return `${c.group.replaceAll('.', '/')}/${c.artifact}/${c.version}/${c.artifact}-${c.version}.${c.ext}`;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

async function get(url: string): Promise<Response> {
  try {
    return await fetch(url, { signal: AbortSignal.timeout(10 * 60_000) });
  } catch (err) {
    const cause = (err as { cause?: Error }).cause?.message ?? (err as Error).message;
    throw new Error(`cannot fetch ${url}: ${cause} (is the Maven repository reachable? set MAVEN_REPO_URL for a mirror)`);
  }
}

/** A published checksum file's text, or null if the repository has none (404). */
async function fetchChecksum(url: string): Promise<string | null> {
  const res = await get(url);
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`GET ${url} -> HTTP ${res.status}`);
  return res.text();
}

/** First token of a checksum file ("<hex>" or "<hex>  <file name>"), lower case. */
function parseChecksum(text: string, url: string): string {
  const hex = text.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  if (!/^[0-9a-f]+$/.test(hex)) throw new Error(`not a checksum in ${url}: ${JSON.stringify(text.slice(0, 80))}`);
  return hex;
}

async function download(url: string, to: string, log: Log): Promise<void> {
  const res = await get(url);
  if (!res.ok || !res.body) throw new Error(`GET ${url} -> HTTP ${res.status}`);
  const total = Number(res.headers.get('content-length') ?? 0);
  let done = 0;
  let nextReport = 0.25;
  const progress = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      done += chunk.length;
      if (total > 4 * 1024 * 1024 && done / total >= nextReport) {
        log(`  ${basename(to, '.part')}: ${Math.round((done / total) * 100)}% of ${mib(total)}`);
        nextReport += 0.25;
      }
      cb(null, chunk);
    },
  });
  await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), progress, createWriteStream(to));
  if (total && done !== total) throw new Error(`GET ${url}: got ${done} of ${total} bytes`);
}

async function digests(path: string): Promise<{ sha1: string; sha512: string; sha256: string }> {
  const h1 = createHash('sha1');
  const h512 = createHash('sha512');
  const h256 = createHash('sha256');
  for await (const chunk of createReadStream(path)) {
    h1.update(chunk as Buffer);
    h512.update(chunk as Buffer);
    h256.update(chunk as Buffer);
  }
  return { sha1: h1.digest('hex'), sha512: h512.digest('hex'), sha256: h256.digest('hex') };
}

/** The artifact's local path, downloaded and verified if it is not cached yet. */
export async function fetchArtifact(c: Coordinates, log: Log): Promise<Fetched> {
  const rel = relativePath(c);
  const url = `${repoUrl()}/${rel}`;
  const path = join(mavenDir(), rel);
  const sha1File = `${path}.sha1`;
  const sha512File = `${path}.sha512`;
  const noSha512Marker = `${path}.sha512-not-published`;
  const noSha1Marker = `${path}.sha1-not-published`;
  await mkdir(dirname(path), { recursive: true });

  const cached = existsSync(path) && (existsSync(sha1File) || (c.sha256 !== undefined && existsSync(noSha1Marker)));
  let target = path;
  let sha1Published = existsSync(sha1File);
  if (!cached) {
    log(`fetch ${coordinatesId(c)} from ${repoUrl()}`);
    const sha1Text = await fetchChecksum(`${url}.sha1`);
    if (sha1Text === null && c.sha256 === undefined) throw new Error(`no such artifact (no ${url}.sha1): ${coordinatesId(c)}`);
    sha1Published = sha1Text !== null;
    const sha512Text = sha1Published ? await fetchChecksum(`${url}.sha512`) : null;
    target = `${path}.part`;
    await download(url, target, log);
    if (sha1Text !== null) await writeFile(`${sha1File}.part`, sha1Text);
    if (sha512Text !== null) await writeFile(`${sha512File}.part`, sha512Text);
  }

  const expectedSha1 = sha1Published ? parseChecksum(await readFile(cached ? sha1File : `${sha1File}.part`, 'utf8'), `${url}.sha1`) : undefined;
  const sha512Source = cached ? sha512File : `${sha512File}.part`;
  const expectedSha512 = existsSync(sha512Source) ? parseChecksum(await readFile(sha512Source, 'utf8'), `${url}.sha512`) : undefined;
  const got = await digests(target);
  const mismatch =
    expectedSha1 && got.sha1 !== expectedSha1
      ? `sha1 ${got.sha1}, expected ${expectedSha1}`
      : expectedSha512 && got.sha512 !== expectedSha512
        ? `sha512 ${got.sha512}, expected ${expectedSha512}`
        : c.sha256 && got.sha256 !== c.sha256
          ? `sha256 ${got.sha256}, expected ${c.sha256} (pinned in scripts/opensearch)`
          : null;
  if (mismatch) {
    await rm(target, { force: true });
    await rm(`${sha1File}.part`, { force: true });
    await rm(`${sha512File}.part`, { force: true });
    if (cached) for (const f of [sha1File, sha512File, noSha512Marker, noSha1Marker]) await rm(f, { force: true });
    throw new Error(`checksum mismatch for ${coordinatesId(c)} (${target}): ${mismatch}; the bad file was removed, run again to re-fetch`);
  }
  if (!cached) {
    // Checksum files first, the artifact last: a present artifact always has its .sha1 (or, pinned, its marker) beside it.
    if (expectedSha512) await rename(`${sha512File}.part`, sha512File);
    else await writeFile(noSha512Marker, `${url}.sha512 was not found (HTTP 404) when this artifact was fetched\n`);
    if (expectedSha1) await rename(`${sha1File}.part`, sha1File);
    else await writeFile(noSha1Marker, `${url}.sha1 was not found (HTTP 404) when this artifact was fetched; checked against the pinned SHA-256\n`);
    await rename(target, path);
  }
  const checked = [...(expectedSha1 ? ['sha1'] : []), ...(expectedSha512 ? ['sha512'] : []), ...(c.sha256 ? ['sha256 (pinned)'] : [])];
  const bytes = (await stat(path)).size;
  return { id: coordinatesId(c), url, path, bytes, sha1: got.sha1, ...(expectedSha512 ? { sha512: got.sha512 } : {}), sha256: got.sha256, checked };
}
