/**
 * npm run opensearch -- start|stop|status: a local OpenSearch cluster of N nodes on loopback,
 * assembled from Maven Central (cached under .opensearch/, so re-runs work offline).
 * Progress goes to stderr; results (the URL, status lines) to stdout.
 */
import { parseArgs } from 'node:util';
import { startCluster, statusLines, stopClusters } from './opensearch/cluster.ts';
import { cacheDir, DEFAULT_PORT, OPENSEARCH_VERSION, TRANSPORT_OFFSET } from './opensearch/layout.ts';

const HELP = `usage: npm run opensearch -- <command> [options]

A local OpenSearch ${OPENSEARCH_VERSION} cluster on 127.0.0.1 (with the english analyzer and k-NN),
assembled from Maven Central into ${cacheDir()} (checksums verified, re-runs offline).

Commands:
  start    start the cluster (or keep it if it runs) and print its URL once its health is
           green or yellow with all nodes in
  stop     stop the nodes (SIGTERM, then SIGKILL after 30 s) and wait for them to exit
  status   one line per node: name, URL, pid (and "not running" if it is gone);
           exit code 0 only if every recorded node runs

Options:
  --nodes N      start: number of nodes (default 1)
  --port P       HTTP port of the first node (default ${DEFAULT_PORT}); node i gets HTTP P+i and
                 transport P+${TRANSPORT_OFFSET}+i. With stop/status: only that cluster (default: all)
  --heap SIZE    start: JVM heap per node, e.g. 512m or 1g (default 512m)
  --fresh        start: delete the cluster's data first (it must be stopped)
  --timeout S    start: seconds to wait for the cluster (default 180)
  --secure       start: a secured cluster (security plugin): TLS on HTTP and transport with a CA
                 made for it, users admin (all access), indexer (writes the alias's indexes) and
                 reader (read-only: the server's), passwords generated; prints the https URL, the
                 CA file (OPENSEARCH_CA) and the credentials file (0600). docs/scale-out.md
  --alias A      start --secure: the alias the indexer and reader roles cover, with its builds
                 A-* (default ofsted-chunks)
  -h, --help     this help

Environment: OPENSEARCH_CACHE_DIR (instead of .opensearch/), MAVEN_REPO_URL (a Maven mirror),
OPENSEARCH_JAVA_HOME (default: the java on PATH), OPENSEARCH_RUN_AS (the system user nodes run as when
run as root; default opensearch, created if missing).`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      nodes: { type: 'string' },
      port: { type: 'string' },
      heap: { type: 'string', default: '512m' },
      fresh: { type: 'boolean', default: false },
      timeout: { type: 'string', default: '180' },
      secure: { type: 'boolean', default: false },
      alias: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const command = positionals[0];
  if (values.help || !command) {
    process.stdout.write(`${HELP}\n`);
    return values.help ? 0 : 2;
  }
  if (positionals.length > 1) throw new Error(`one command at a time, got: ${positionals.join(' ')}`);
  const log = (line: string): void => void process.stderr.write(`opensearch: ${line}\n`);
  const port = values.port === undefined ? null : Number(values.port);
  if (port !== null && !Number.isInteger(port)) throw new Error(`--port must be a number, not ${values.port}`);
  if (command !== 'start' && (values.nodes !== undefined || values.fresh || values.secure)) throw new Error(`--nodes, --fresh and --secure are options of start, not ${command}`);
  if (values.alias !== undefined && !(command === 'start' && values.secure)) throw new Error('--alias is an option of start --secure');

  switch (command) {
    case 'start': {
      const started = await startCluster(
        {
          nodes: Number(values.nodes ?? 1),
          port: port ?? DEFAULT_PORT,
          heap: values.heap,
          fresh: values.fresh,
          timeoutSeconds: Number(values.timeout),
          secure: values.secure,
          alias: values.alias ?? 'ofsted-chunks',
        },
        log,
      );
      process.stdout.write(`${started.url}\n`);
      if (started.secure) process.stdout.write(`ca ${started.secure.ca}\ncredentials ${started.secure.credentials}\n`);
      return 0;
    }
    case 'stop':
      await stopClusters(port, log);
      return 0;
    case 'status': {
      const { lines, allRunning } = await statusLines(port);
      if (!lines.length) log(port === null ? 'no OpenSearch cluster is recorded' : `no OpenSearch cluster is recorded on port ${port}`);
      for (const line of lines) process.stdout.write(`${line}\n`);
      return allRunning ? 0 : 1;
    }
    default:
      throw new Error(`unknown command "${command}": use start, stop or status (--help)`);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`opensearch: error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
