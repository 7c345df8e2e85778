/**
 * What makes a cluster secured (`start --secure`): made once per cluster, in clusters/<P>/security/
 * (deleted with the cluster by --fresh), with openssl and the security plugin's own tools:
 *
 * - a root CA, one node certificate (SAN IP 127.0.0.1 and DNS localhost: every node of the
 *   cluster, on transport and HTTP) and an admin certificate (the plugin's admin_dn: it may
 *   change the security index); RSA 2048 keys in PKCS#8 (what the plugin reads), 0600;
 * - three users with generated passwords, written in credentials.json (0600) and hashed with
 *   bcrypt (the plugin's tools/hash.sh) for internal_users.yml: `admin` (all_access), `indexer`
 *   (creates, writes, switches and deletes the indexes of one alias: opensearch/write-index.ts)
 *   and `reader` (the read-only role the server needs, docs/scale-out.md);
 * - each node's settings (TLS on transport and HTTP, the admin and node DNs) and its
 *   config/opensearch-security/ files, which the first node loads into the security index
 *   (plugins.security.allow_default_init_securityindex) when the cluster is new.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { chmod, copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { securityDir } from './layout.ts';
import type { Log } from './maven.ts';

export const USERS = ['admin', 'indexer', 'reader'] as const;
export type UserName = (typeof USERS)[number];

/** A role of the security plugin, as its REST API and roles.yml take it. */
export interface Role {
  cluster_permissions: string[];
  index_permissions: Array<{ index_patterns: string[]; allowed_actions: string[] }>;
}

/** credentials.json of a secured cluster. */
export interface Credentials {
  /** The alias whose indexes the indexer and reader roles cover. */
  alias: string;
  /** PEM of the root CA (OPENSEARCH_CA). */
  ca: string;
  users: Record<UserName, { password: string; role: string }>;
}

export interface SecurityMaterial {
  dir: string;
  ca: string;
  credentialsFile: string;
  credentials: Credentials;
  /** RFC 2253 subjects of the admin and node certificates. */
  adminDn: string;
  nodeDn: string;
}

/** The index patterns of one alias: the alias and its builds (`<alias>-<build id>-<time>`). */
function patterns(alias: string): string[] {
  return [alias, `${alias}-*`];
}

/** The server's role: reads the alias and its builds, writes nothing (docs/scale-out.md). */
export function readerRole(alias: string): Role {
  return {
    cluster_permissions: ['cluster_composite_ops_ro', 'indices:data/read/point_in_time/delete'],
    index_permissions: [
      {
        index_patterns: patterns(alias),
        allowed_actions: ['read', 'indices:data/read/point_in_time/create', 'indices:admin/aliases/get', 'indices:admin/mappings/get'],
      },
    ],
  };
}

/** The indexer's role: what opensearch/write-index.ts sends, on the alias and its builds only. */
export function indexerRole(alias: string): Role {
  return {
    // The merge of an incremental write's deletions runs as a task the indexer polls.
    cluster_permissions: ['cluster:monitor/health', 'indices:data/write/bulk', 'cluster:monitor/task/get'],
    index_permissions: [
      {
        index_patterns: patterns(alias),
        allowed_actions: [
          'read',
          'write',
          'indices:admin/create',
          'indices:admin/settings/update',
          'indices:admin/refresh*',
          'indices:admin/aliases',
          'indices:admin/aliases/get',
          'indices:admin/delete',
          // Incremental writes (opensearch/write-index.ts): the current index's mapping (its build), the clone, the write block read back, the merge, `_meta`, field statistics.
          'indices:admin/mappings/get',
          'indices:admin/resize',
          'indices:monitor/settings/get',
          'indices:admin/forcemerge',
          'indices:admin/mapping/put',
          'indices:monitor/stats',
        ],
      },
    ],
  };
}

const ROLE_OF: Record<UserName, string> = { admin: 'all_access', indexer: 'ofsted_search_indexer', reader: 'ofsted_search_reader' };

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`${cmd} ${args.slice(0, 2).join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}): ${r.stderr}`);
  return r.stdout;
}

/** An RSA key (PKCS#8 PEM) and a certificate for `subject`, signed by `ca` (self-signed when null). */
function certificate(dir: string, name: string, subject: string, ca: { cert: string; key: string } | null, extensions: string[]): void {
  const key = join(dir, `${name}-key.pem`);
  const cert = join(dir, `${name}.pem`);
  run('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', key]);
  if (!ca) {
    run('openssl', ['req', '-x509', '-new', '-key', key, '-sha256', '-days', '3650', '-subj', subject, ...extensions.flatMap((e) => ['-addext', e]), '-out', cert]);
    return;
  }
  const csr = join(dir, `${name}.csr`);
  const ext = join(dir, `${name}.ext`);
  run('openssl', ['req', '-new', '-key', key, '-subj', subject, '-out', csr]);
  writeFileSync(ext, `${extensions.join('\n')}\n`);
  run('openssl', ['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-sha256', '-days', '825', '-extfile', ext, '-out', cert]);
  rmSync(csr);
  rmSync(ext);
}

/** The certificate's subject as the plugin compares it (RFC 2253). */
function subjectOf(cert: string): string {
  return run('openssl', ['x509', '-in', cert, '-noout', '-subject', '-nameopt', 'RFC2253']).trim().replace(/^subject=\s*/, '');
}

/** A bcrypt hash of `password` by the plugin's tools/hash.sh (read from the environment, never a command-line argument). */
function bcrypt(home: string, java: string, password: string): string {
  const out = run('bash', [join(home, 'plugins', 'opensearch-security', 'tools', 'hash.sh'), '-env', 'OPENSEARCH_HASH_PASSWORD'], {
    ...process.env,
    OPENSEARCH_JAVA_HOME: java,
    OPENSEARCH_HASH_PASSWORD: password,
  });
  const hash = out.split('\n').map((l) => l.trim()).find((l) => /^\$2[aby]\$\d\d\$/.test(l));
  if (!hash) throw new Error(`tools/hash.sh printed no bcrypt hash: ${out.slice(0, 200)}`);
  return hash;
}

/** The cluster's certificates, keys and users, made now if the cluster has none yet. */
export async function ensureSecurityMaterial(basePort: number, alias: string, home: string, java: string, log: Log): Promise<SecurityMaterial> {
  const dir = securityDir(basePort);
  const credentialsFile = join(dir, 'credentials.json');
  const ca = join(dir, 'root-ca.pem');
  if (existsSync(credentialsFile)) {
    const credentials = JSON.parse(await readFile(credentialsFile, 'utf8')) as Credentials;
    if (credentials.alias !== alias) {
      throw new Error(`the secured cluster on port ${basePort} has its roles made for alias "${credentials.alias}", not "${alias}": use --alias ${credentials.alias}, or --fresh to make it anew`);
    }
    return { dir, ca, credentialsFile, credentials, adminDn: subjectOf(join(dir, 'admin.pem')), nodeDn: subjectOf(join(dir, 'node.pem')) };
  }

  const t0 = Date.now();
  const work = `${dir}.tmp-${process.pid}`;
  await rm(work, { recursive: true, force: true });
  await mkdir(dirname(work), { recursive: true });
  await mkdir(work, { mode: 0o700 }); // 0700 for this folder only (a recursive mkdir would close its parents too)
  try {
    const org = `/O=children-services-search/OU=cluster-${basePort}`;
    certificate(work, 'root-ca', `${org}/CN=root-ca`, null, ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign']);
    const signer = { cert: join(work, 'root-ca.pem'), key: join(work, 'root-ca-key.pem') };
    certificate(work, 'node', `${org}/CN=node`, signer, [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth,clientAuth',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ]);
    certificate(work, 'admin', `${org}/CN=admin`, signer, ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=clientAuth']);
    await rm(join(work, 'root-ca.srl'), { force: true });

    const users = {} as Credentials['users'];
    const internalUsers: Record<string, unknown> = { _meta: { type: 'internalusers', config_version: 2 } };
    for (const name of USERS) {
      const password = randomBytes(18).toString('base64url');
      users[name] = { password, role: ROLE_OF[name] };
      internalUsers[name] = { hash: bcrypt(home, java, password), reserved: name === 'admin', description: `${name} of the local secured cluster` };
    }
    const credentials: Credentials = { alias, ca: join(dir, 'root-ca.pem'), users };
    await writeFile(join(work, 'credentials.json'), `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
    await writeFile(join(work, 'internal_users.yml'), `${JSON.stringify(internalUsers, null, 2)}\n`, { mode: 0o600 });
    for (const key of ['root-ca-key.pem', 'node-key.pem', 'admin-key.pem']) await chmod(join(work, key), 0o600);
    await rename(work, dir);
    log(`made the root CA, node and admin certificates and the users admin, indexer, reader in ${dir} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return ensureSecurityMaterial(basePort, alias, home, java, log);
}

/** Where a node's copies of the PEM files live, relative to its config folder (the plugin reads them only there). */
const TLS = 'tls';

/** The opensearch.yml lines of a secured node. */
export function securitySettings(m: SecurityMaterial): string[] {
  const files = (layer: string): string[] => [
    `plugins.security.ssl.${layer}.pemcert_filepath: ${TLS}/node.pem`,
    `plugins.security.ssl.${layer}.pemkey_filepath: ${TLS}/node-key.pem`,
    `plugins.security.ssl.${layer}.pemtrustedcas_filepath: ${TLS}/root-ca.pem`,
  ];
  return [
    ...files('transport'),
    'plugins.security.ssl.http.enabled: true',
    ...files('http'),
    `plugins.security.authcz.admin_dn: [${JSON.stringify(m.adminDn)}]`,
    `plugins.security.nodes_dn: [${JSON.stringify(m.nodeDn)}]`,
    // The files of config/opensearch-security/ become the security index when the cluster is new.
    'plugins.security.allow_default_init_securityindex: true',
    'plugins.security.restapi.roles_enabled: ["all_access"]',
    // No audit log index (a local cluster; it would add an index the roles do not cover).
    'plugins.security.audit.type: noop',
  ];
}

/** Copy the node's certificates into its config folder and write its config/opensearch-security/ (users, roles, mappings). */
export async function writeSecurityConfig(configDir: string, m: SecurityMaterial): Promise<void> {
  const tls = join(configDir, TLS);
  await mkdir(tls, { recursive: true, mode: 0o700 });
  for (const f of ['root-ca.pem', 'node.pem', 'node-key.pem']) await copyFile(join(m.dir, f), join(tls, f));
  const security = join(configDir, 'opensearch-security');
  const meta = (type: string): { _meta: { type: string; config_version: number } } => ({ _meta: { type, config_version: 2 } });
  const alias = m.credentials.alias;
  const files: Record<string, unknown> = {
    'config.yml': {
      ...meta('config'),
      config: {
        dynamic: {
          http: { anonymous_auth_enabled: false },
          authc: {
            basic_internal_auth_domain: {
              description: 'HTTP basic auth against the internal users',
              http_enabled: true,
              transport_enabled: true,
              order: 0,
              http_authenticator: { type: 'basic', challenge: true },
              authentication_backend: { type: 'intern' },
            },
          },
        },
      },
    },
    'roles.yml': { ...meta('roles'), [ROLE_OF.reader]: readerRole(alias), [ROLE_OF.indexer]: indexerRole(alias) },
    // No mapping of every user to an index of its own name (the shipped own_index), no backend roles: exactly these three.
    'roles_mapping.yml': Object.fromEntries([['_meta', meta('rolesmapping')._meta], ...USERS.map((u) => [ROLE_OF[u], { users: [u] }])]),
    'action_groups.yml': meta('actiongroups'),
    'tenants.yml': meta('tenants'),
    'nodes_dn.yml': meta('nodesdn'),
  };
  // JSON is YAML: the plugin reads these files with a YAML parser.
  for (const [name, value] of Object.entries(files)) await writeFile(join(security, name), `${JSON.stringify(value, null, 2)}\n`);
  await copyFile(join(m.dir, 'internal_users.yml'), join(security, 'internal_users.yml'));
  // The node's config holds its TLS key: closed to others, as the plugin asks (it warns otherwise).
  await chmod(configDir, 0o700);
  for (const e of await readdir(configDir, { withFileTypes: true, recursive: true })) await chmod(join(e.parentPath, e.name), e.isDirectory() ? 0o700 : 0o600);
}
