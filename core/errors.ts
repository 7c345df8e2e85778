/**
 * Errors with a stable code. Every message starts with a fixed prefix naming the part of the
 * product that raised it, so logs and tests can rely on the text:
 *   "Index: ...", "Embedder: ...", "Ingest: ...", "Query: ...", "Request: ...", "Config: ...",
 *   "Engine: ...".
 */
export type ErrorCode =
  | 'invalid_parameter' // 400: a request parameter is malformed or out of range
  | 'not_found' // 404: unknown document, file or route
  | 'method_not_allowed' // 405: the route exists for GET only
  | 'rate_limited' // 429
  | 'payload_too_large' // 413
  | 'index_missing' // no index has been built yet
  | 'index_format' // saved index has another format version
  | 'index_corrupt' // saved index fails its checksum or cannot be parsed
  | 'index_write' // the indexer could not write the new index (disk full, permissions); the old one is kept
  | 'embedder_unavailable' // model files missing / cannot load
  | 'embedder_mismatch' // index was built with another embedder
  | 'unreadable_file' // ingest could not read a file (the indexer skips it)
  | 'invalid_config' // an environment variable has a bad value (core/config.ts)
  | 'not_implemented' // 501: this endpoint is not answered by the configured engine (yet)
  | 'engine_unavailable' // 503: the search engine (OpenSearch) is unreachable, too slow or failing
  | 'internal';

export class AppError extends Error {
  readonly code: ErrorCode;
  /** HTTP status to answer with when this reaches the server. */
  readonly status: number;
  /** The request parameter at fault, when there is one. */
  readonly param: string | undefined;

  constructor(code: ErrorCode, message: string, options: { status?: number; param?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = options.status ?? defaultStatus(code);
    this.param = options.param;
  }
}

function defaultStatus(code: ErrorCode): number {
  switch (code) {
    case 'invalid_parameter':
      return 400;
    case 'not_found':
      return 404;
    case 'method_not_allowed':
      return 405;
    case 'payload_too_large':
      return 413;
    case 'rate_limited':
      return 429;
    case 'not_implemented':
      return 501;
    case 'engine_unavailable':
      return 503;
    default:
      return 500;
  }
}

/** A 400 naming the bad parameter: `Request: parameter "limit" must be ...`. */
export function badParam(param: string, message: string): AppError {
  return new AppError('invalid_parameter', `Request: parameter "${param}" ${message}`, { param });
}
