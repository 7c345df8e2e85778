/**
 * The Java home OpenSearch runs on: OPENSEARCH_JAVA_HOME if set, else the system `java` on PATH
 * followed through its symlinks (/usr/bin/java -> /usr/lib/jvm/<jdk>/bin/java). OpenSearch 2.19
 * needs Java 11 or newer (17 or 21 recommended).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

export function javaHome(): string {
  const fromEnv = process.env.OPENSEARCH_JAVA_HOME;
  if (fromEnv) {
    if (!existsSync(join(fromEnv, 'bin', 'java'))) throw new Error(`OPENSEARCH_JAVA_HOME=${fromEnv} has no bin/java`);
    return fromEnv;
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'java');
    if (dir && existsSync(candidate)) return dirname(dirname(realpathSync(candidate)));
  }
  throw new Error('no java on PATH: OpenSearch needs Java 17 or newer (Debian: apt-get install -y openjdk-17-jre-headless), or set OPENSEARCH_JAVA_HOME');
}

/** The feature release of the Java at `home` (17 for "17.0.15"). */
export function javaMajor(home: string): number {
  const r = spawnSync(join(home, 'bin', 'java'), ['-version'], { encoding: 'utf8' });
  const text = `${r.stderr ?? ''}${r.stdout ?? ''}`; // java -version writes to stderr
  const m = /version "(\d+)(?:\.(\d+))?/.exec(text);
  if (!m) throw new Error(`cannot read the Java version from: ${text.slice(0, 200)}`);
  return m[1] === '1' ? Number(m[2]) : Number(m[1]);
}
