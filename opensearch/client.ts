/**
 * The OpenSearch REST client: fetch (Node 20) with basic auth, a time limit on every request,
 * and failures turned into AppError. Given several nodes (OPENSEARCH_URL "http://a:9200,http://b:9200"),
 * it talks to one and moves to the next when that one refuses or cannot be reached (the request
 * never got there, so sending it elsewhere is safe); a node that is merely slow is not skipped (the
 * request may have been carried out). Unreachable, too slow, overloaded (429) or failing (5xx)
 * is 'engine_unavailable' (503 to API clients); an index that is gone is IndexGone (a rebuild
 * replaced it: the caller runs again on the new one). With a CA file (OPENSEARCH_CA) https requests
 * go through node:https with that CA, as fetch takes no CA of its own. A secured cluster's refusals
 * say what to fix, never the password: credentials refused (401), a permission the user's role
 * lacks (403), a TLS certificate not trusted (OPENSEARCH_CA), an http:// URL to a TLS node.
 * These are 'engine_unavailable' too: the server cannot answer until its configuration is fixed.
 */
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import type { OpenSearchConfig } from '../core/config.ts';
import { AppError } from '../core/errors.ts';

/** The index a request named no longer exists (deleted after an alias switch). */
export class IndexGone extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IndexGone';
  }
}

/**
 * OpenSearch did not answer at all (refused, unreachable, too slow): 'engine_unavailable', and
 * asking it something else at once (where the alias points) is no use.
 */
export class Unreachable extends AppError {
  constructor(message: string, cause: unknown) {
    super('engine_unavailable', message, { cause });
  }
}

/** An OpenSearch error object (a response's, an _mget doc's or an _msearch answer's). */
export interface OpenSearchError {
  type?: string;
  reason?: string;
  caused_by?: OpenSearchError;
  root_cause?: OpenSearchError[];
}

/**
 * Whether an error says the index is gone. While an index is being deleted the answer is not
 * always a plain index_not_found_exception (404): a shard already closed answers 503
 * no_shard_available_action_exception caused by index_not_found_exception (and, in _mget, per
 * document), so the causes are read too.
 */
export function isIndexGone(e: OpenSearchError | null | undefined): boolean {
  if (!e) return false;
  if (e.type === 'index_not_found_exception') return true;
  return isIndexGone(e.caused_by) || (e.root_cause ?? []).some((c) => c.type === 'index_not_found_exception');
}

export interface RequestOptions {
  /** Longer than the configured limit (bulk writes, waiting for a cluster). */
  timeoutMs?: number;
  /** Answer null for a 404 instead of throwing. */
  allow404?: boolean;
}

interface RawResponse {
  status: number;
  text: string;
}

/** Network errors that mean a connection was never made: the request did not reach that node. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

function codeOf(err: unknown): string {
  const e = err as (Error & { code?: string; cause?: { code?: string } }) | undefined;
  return e?.cause?.code ?? e?.code ?? '';
}

function notConnected(err: unknown): boolean {
  const e = err as (Error & { code?: string; cause?: { code?: string } }) | undefined;
  return NOT_CONNECTED.has(e?.code ?? '') || NOT_CONNECTED.has(e?.cause?.code ?? '');
}

/** Node's codes for a server certificate that was not accepted (OpenSSL's verify errors, a host name the certificate does not name). */
const CERTIFICATE_REFUSED = /^(UNABLE_TO_|SELF_SIGNED_CERT|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_|ERR_TLS_CERT_ALTNAME_INVALID|HOSTNAME_MISMATCH)/;

/** A connection closed before any answer: what a TLS-only node does with a plain HTTP request. */
const CLOSED_UNANSWERED = new Set(['UND_ERR_SOCKET', 'ECONNRESET']);

export class OpenSearchClient {
  /** The nodes given, in order. */
  readonly urls: readonly string[];
  readonly timeoutMs: number;
  private readonly auth: string | null;
  private readonly user: string | null;
  private readonly ca: Buffer | null;
  private readonly caFile: string | null;
  /** The node requests go to (the next is tried when it cannot be reached). */
  private node = 0;

  constructor(cfg: Pick<OpenSearchConfig, 'url' | 'user' | 'password' | 'ca' | 'timeoutMs'>) {
    this.urls = cfg.url.split(',').map((u) => u.trim().replace(/\/+$/, '')).filter((u) => u.length > 0);
    this.timeoutMs = cfg.timeoutMs;
    this.auth = cfg.user !== null ? `Basic ${Buffer.from(`${cfg.user}:${cfg.password ?? ''}`).toString('base64')}` : null;
    this.user = cfg.user;
    this.ca = cfg.ca ? readFileSync(cfg.ca) : null;
    this.caFile = cfg.ca;
  }

  /** The node requests go to now. */
  get url(): string {
    return this.urls[this.node]!;
  }

  /** One request; `body` a value (sent as JSON) or NDJSON text (bulk, msearch). */
  async request<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const ndjson = typeof body === 'string';
    const headers: Record<string, string> = { 'content-type': ndjson ? 'application/x-ndjson' : 'application/json' };
    if (this.auth) headers.authorization = this.auth;
    const payload = body === undefined ? undefined : ndjson ? body : JSON.stringify(body);
    let res: RawResponse | undefined;
    for (let tried = 1; !res; tried++) {
      const url = this.url;
      try {
        res = this.ca && url.startsWith('https:') ? await this.viaHttps(url, method, path, headers, payload, timeoutMs) : await this.viaFetch(url, method, path, headers, payload, timeoutMs);
      } catch (err) {
        if (notConnected(err) && tried < this.urls.length) {
          // Never reached that node: the next one (if another request has not moved on already).
          if (this.url === url) this.node = (this.node + 1) % this.urls.length;
          continue;
        }
        const e = err as Error;
        const slow = e.name === 'TimeoutError' || e.name === 'AbortError';
        const where = this.urls.length > 1 && !slow ? `${this.urls.length} nodes (${this.urls.join(', ')})` : url;
        const said = (e.cause as Error | undefined)?.message ?? e.message;
        // OpenSSL's own text ("...:SSL routines:ssl3_get_record:wrong version number:../deps/...") shortened to its reason.
        const ssl = /SSL routines:[^:]*:([^:]+)/.exec(said)?.[1];
        const why = ssl ? `TLS handshake failed: ${ssl}` : said.trim();
        const code = codeOf(err);
        if (CERTIFICATE_REFUSED.test(code)) {
          throw new Unreachable(`Engine: OpenSearch at ${url}: its TLS certificate was not accepted (${why}, ${code}); ${this.caFile
            ? `OPENSEARCH_CA (${this.caFile}) is not the CA that signed it, or the certificate does not name this host`
            : 'only the system CAs are trusted: set OPENSEARCH_CA to the PEM file of the CA that signed it'}`, err);
        }
        if (url.startsWith('http:') && CLOSED_UNANSWERED.has(code)) {
          throw new Unreachable(`Engine: OpenSearch at ${url} closed the connection without answering (${why}); if the node uses TLS (the security plugin closes plain HTTP connections so), use an https:// URL`, err);
        }
        throw new Unreachable(slow
          ? `Engine: OpenSearch at ${url} did not answer within ${timeoutMs} ms`
          : `Engine: OpenSearch at ${where} is unreachable (${why}${url.startsWith('https:') && ssl ? '; if the node speaks plain HTTP, use an http:// URL' : ''})`, err);
      }
    }
    if (res.status === 404 && options.allow404) return null as T;
    if (res.status >= 200 && res.status < 300) return JSON.parse(res.text) as T;
    if (res.status === 401) {
      throw new AppError('engine_unavailable', this.user === null
        ? `Engine: OpenSearch at ${this.url} requires authentication (401): set OPENSEARCH_USER and OPENSEARCH_PASSWORD`
        : `Engine: OpenSearch at ${this.url}: authentication failed for user "${this.user}" (401): check OPENSEARCH_USER and OPENSEARCH_PASSWORD`);
    }
    const reason = errorReason(res.text);
    if (res.status === 403) {
      throw new AppError('engine_unavailable', `Engine: OpenSearch at ${this.url} refused ${method} ${path.split('?')[0]} to ${this.user === null ? 'a request without a user' : `user "${this.user}"`} (403 forbidden): ${reason}`);
    }
    if ((res.status === 404 || res.status === 503) && isIndexGone(errorOf(res.text))) throw new IndexGone(`Engine: ${reason}`);
    if (res.status === 429 || res.status >= 500) {
      throw new AppError('engine_unavailable', `Engine: OpenSearch at ${this.url} answered ${res.status} to ${method} ${path.split('?')[0]}: ${reason}`);
    }
    throw new AppError('internal', `Engine: OpenSearch refused ${method} ${path.split('?')[0]} (${res.status}): ${reason}`);
  }

  private async viaFetch(url: string, method: string, path: string, headers: Record<string, string>, body: string | undefined, timeoutMs: number): Promise<RawResponse> {
    const res = await fetch(`${url}${path}`, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, text: await res.text() };
  }

  private viaHttps(url: string, method: string, path: string, headers: Record<string, string>, body: string | undefined, timeoutMs: number): Promise<RawResponse> {
    return new Promise((ok, fail) => {
      // The length always: for GET and DELETE Node sends a body neither chunked nor with a length, and the node
      // then reads it as the start of the next request on the kept-alive connection (DELETE of a point in time).
      const sized = body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) };
      const req = httpsRequest(`${url}${path}`, { method, headers: sized, ca: this.ca!, timeout: timeoutMs }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => ok({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString('utf8') }));
        res.on('error', fail);
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { name: 'TimeoutError' })));
      req.on('error', fail);
      req.end(body);
    });
  }
}

/** The error object of an OpenSearch error body, or null. */
function errorOf(text: string): OpenSearchError | null {
  try {
    const e = (JSON.parse(text) as { error?: OpenSearchError | string }).error;
    return e && typeof e === 'object' ? e : null;
  } catch {
    return null;
  }
}

/** The first reason in an OpenSearch error body, shortened. */
function errorReason(text: string): string {
  try {
    const e = (JSON.parse(text) as { error?: { type?: string; reason?: string; root_cause?: Array<{ reason?: string }> } | string }).error;
    if (typeof e === 'string') return e.slice(0, 300);
    if (e) return `${e.type ?? 'error'}: ${e.reason ?? e.root_cause?.[0]?.reason ?? ''}`.slice(0, 300);
  } catch {
    // not JSON
  }
  return text.slice(0, 300);
}
