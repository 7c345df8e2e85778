/**
 * A Set of small non-negative integer ids (near-identical group ids of keyword matches) that is
 * cheap to make: membership is a bitmap and the ids a typed list, and the Set's own entries are
 * filled from the list only when it is iterated or changed. A keyword search counts tens of
 * thousands of groups per query while its caller asks `size` and a few `has` (core/engine-search.ts);
 * adding each id to a hash set was half of the query's time. It is a Set in every use but its
 * constructor (a test's toEqual against a plain Set looks at that: compare `new Set(it)`).
 */
export class IdSet extends Set<number> {
  /** Bit per id below `member.length * 8`; null once the Set's own entries are filled. */
  #member: Uint8Array | null;
  #list: Int32Array | null;
  readonly #count: number;

  /** `ids[0 .. count)`: distinct ids, each in `0 .. limit)`. */
  constructor(ids: Int32Array, count: number, limit: number) {
    super();
    const member = new Uint8Array((limit + 7) >> 3);
    for (let i = 0; i < count; i++) {
      const id = ids[i]!;
      member[id >> 3]! |= 1 << (id & 7);
    }
    this.#member = member;
    this.#list = ids.slice(0, count);
    this.#count = count;
  }

  #fill(): void {
    const list = this.#list;
    if (list === null) return;
    this.#list = null;
    this.#member = null;
    for (let i = 0; i < list.length; i++) super.add(list[i]!);
  }

  override has(id: number): boolean {
    const m = this.#member;
    if (m === null) return super.has(id);
    return Number.isInteger(id) && id >= 0 && id < m.length * 8 && (m[id >> 3]! & (1 << (id & 7))) !== 0;
  }

  override get size(): number {
    return this.#member === null ? super.size : this.#count;
  }

  override add(id: number): this {
    this.#fill();
    return super.add(id);
  }

  override delete(id: number): boolean {
    this.#fill();
    return super.delete(id);
  }

  override clear(): void {
    this.#list = null;
    this.#member = null;
    super.clear();
  }

  override forEach(visit: (value: number, key: number, set: Set<number>) => void, thisArg?: unknown): void {
    this.#fill();
    super.forEach(visit, thisArg);
  }

  override entries(): SetIterator<[number, number]> {
    this.#fill();
    return super.entries();
  }

  override keys(): SetIterator<number> {
    this.#fill();
    return super.keys();
  }

  override values(): SetIterator<number> {
    this.#fill();
    return super.values();
  }

  override [Symbol.iterator](): SetIterator<number> {
    this.#fill();
    return super[Symbol.iterator]();
  }
}
