/**
 * Council names and boundary changes: the form names are compared in (councilKey), the local
 * government reorganisations that replaced councils with new ones (BOUNDARY_CHANGES, with their
 * vesting days), a council's lineage (itself, the councils it replaced and the ones that replaced
 * it; not its sister successors: North Northamptonshire's record holds Northamptonshire's reports,
 * not West Northamptonshire's), and which authority a report inspected on its date.
 */

export interface BoundaryChange {
  /** Vesting day, YYYY-MM-DD: the successors exist from this day. */
  date: string;
  predecessors: string[];
  successors: string[];
}

/** Reorganisations of English councils with children's services since 2009. */
export const BOUNDARY_CHANGES: readonly BoundaryChange[] = [
  { date: '2019-04-01', predecessors: ['Bournemouth', 'Poole'], successors: ['Bournemouth, Christchurch and Poole'] },
  { date: '2019-04-01', predecessors: ['Dorset County Council'], successors: ['Dorset'] },
  { date: '2020-04-01', predecessors: ['Buckinghamshire County Council'], successors: ['Buckinghamshire'] },
  { date: '2021-04-01', predecessors: ['Northamptonshire'], successors: ['North Northamptonshire', 'West Northamptonshire'] },
  { date: '2023-04-01', predecessors: ['Cumbria'], successors: ['Cumberland', 'Westmorland and Furness'] },
  { date: '2023-04-01', predecessors: ['North Yorkshire County Council'], successors: ['North Yorkshire'] },
];

/** Lower case, no "London Borough of" / "Council" / punctuation: the form names are compared in. */
export function councilKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/\b(london borough of|royal borough of|city of|borough of|county council|metropolitan borough council|borough council|city council|council)\b/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The boundary changes a council took part in, as predecessor or successor, oldest first. */
export function changesOf(name: string): BoundaryChange[] {
  const key = councilKey(name);
  return BOUNDARY_CHANGES.filter((c) => [...c.predecessors, ...c.successors].some((n) => councilKey(n) === key));
}

/**
 * Every council key a council stands for: itself, the councils it replaced and those that
 * replaced it, through every change (Northamptonshire -> North and West Northamptonshire), but
 * not its sister successors.
 */
export function councilKeys(name: string): Set<string> {
  const out = new Set([councilKey(name)]);
  const walk = (key: string, dir: 'back' | 'forward'): void => {
    for (const c of BOUNDARY_CHANGES) {
      const [from, to] = dir === 'back' ? [c.successors, c.predecessors] : [c.predecessors, c.successors];
      if (!from.some((n) => councilKey(n) === key)) continue;
      for (const n of to.map(councilKey)) {
        if (out.has(n)) continue;
        out.add(n);
        walk(n, dir);
      }
    }
  };
  walk(councilKey(name), 'back');
  walk(councilKey(name), 'forward');
  return out;
}

/**
 * The authority a report of `council` inspected on `date` (YYYY-MM-DD): the council itself, or,
 * when a change replaced a council of the same name (Buckinghamshire County Council by
 * Buckinghamshire Council in 2020), the predecessor's name for a report dated before the change.
 */
export function authorityAt(council: string, date: string | null): string {
  if (!date) return council;
  const key = councilKey(council);
  for (const c of BOUNDARY_CHANGES) {
    if (date >= c.date || !c.successors.some((n) => councilKey(n) === key)) continue;
    const same = c.predecessors.find((n) => councilKey(n) === key);
    if (same) return same;
  }
  return council;
}
