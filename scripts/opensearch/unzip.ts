/**
 * Extract a zip archive (stored or deflated entries, no zip64, no encryption) keeping the Unix
 * file modes recorded in it, so bin/ scripts stay executable. Enough for the OpenSearch
 * distribution zip, whose checksum is verified before this runs; no system unzip needed.
 */
import { chmod, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { inflateRawSync } from 'node:zlib';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;

function findEndOfCentralDirectory(zip: Buffer, file: string): number {
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === EOCD) return i;
  }
  throw new Error(`${file}: not a zip file (no end of central directory)`);
}

/** Extract every entry of `file` under `destination`; returns the number of files written. */
export async function unzip(file: string, destination: string): Promise<number> {
  const zip = await readFile(file);
  const eocd = findEndOfCentralDirectory(zip, file);
  const entries = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  if (entries === 0xffff || p === 0xffffffff) throw new Error(`${file}: zip64 archives are not supported`);
  let files = 0;
  for (let n = 0; n < entries; n++) {
    if (zip.readUInt32LE(p) !== CENTRAL) throw new Error(`${file}: bad central directory entry ${n}`);
    const madeByUnix = zip.readUInt8(p + 5) === 3;
    const flags = zip.readUInt16LE(p + 8);
    const method = zip.readUInt16LE(p + 10);
    const compressedSize = zip.readUInt32LE(p + 20);
    const size = zip.readUInt32LE(p + 24);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    const unixMode = madeByUnix ? zip.readUInt32LE(p + 38) >>> 16 : 0;
    const localOffset = zip.readUInt32LE(p + 42);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLength);
    p += 46 + nameLength + extraLength + commentLength;

    if (flags & 1) throw new Error(`${file}: ${name} is encrypted`);
    const rel = normalize(name);
    if (isAbsolute(rel) || rel.split(sep).includes('..')) throw new Error(`${file}: unsafe entry name ${name}`);
    const out = join(destination, rel);
    const isDir = name.endsWith('/') || (unixMode & S_IFMT) === S_IFDIR;
    if (isDir) {
      await mkdir(out, { recursive: true });
      continue;
    }

    if (zip.readUInt32LE(localOffset) !== LOCAL) throw new Error(`${file}: bad local header for ${name}`);
    const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const raw = zip.subarray(dataStart, dataStart + compressedSize);
    let data: Buffer;
    if (method === 0) data = raw;
    else if (method === 8) data = inflateRawSync(raw);
    else throw new Error(`${file}: ${name} uses compression method ${method} (only stored and deflate are supported)`);
    if (data.length !== size) throw new Error(`${file}: ${name} inflated to ${data.length} bytes, expected ${size}`);

    await mkdir(dirname(out), { recursive: true });
    if ((unixMode & S_IFMT) === S_IFLNK) {
      await symlink(data.toString('utf8'), out);
    } else {
      await writeFile(out, data);
      // Readable by everyone (the nodes may run as another user); executable bits as recorded.
      await chmod(out, ((unixMode & 0o777) | 0o644) & 0o755);
    }
    files++;
  }
  return files;
}
