/**
 * English local authorities with children's services responsibilities (the 153 current ones plus
 * a few that existed when older reports were written: Bournemouth, Poole, Northamptonshire,
 * Cumbria), each under its common short name with the other names reports use for it.
 *
 * Two uses: `findCouncilMentions` counts where councils are named in a text (case-sensitive on
 * the printed forms, so "reading" or "bury" in prose are not councils), and `lookupCouncil` maps a
 * full or partial name ("London Borough of Hackney", "HERTFORDSHIRE COUNTY COUNCIL", "80496_hackney",
 * "the City of York") to the short name.
 */

interface CouncilEntry {
  name: string;
  /** Other printed names, besides the short name itself and "London Borough of X" etc. */
  aliases?: string[];
}

const COUNCILS: CouncilEntry[] = [
  // London boroughs and the City
  { name: 'Barking and Dagenham' }, { name: 'Barnet' }, { name: 'Bexley' }, { name: 'Brent' },
  { name: 'Bromley' }, { name: 'Camden' }, { name: 'City of London', aliases: ['City of London Corporation'] },
  { name: 'Croydon' }, { name: 'Ealing' }, { name: 'Enfield' }, { name: 'Greenwich' }, { name: 'Hackney' },
  { name: 'Hammersmith and Fulham' }, { name: 'Haringey' }, { name: 'Harrow' }, { name: 'Havering' },
  { name: 'Hillingdon' }, { name: 'Hounslow' }, { name: 'Islington' },
  { name: 'Kensington and Chelsea', aliases: ['RBKC'] }, { name: 'Kingston upon Thames' }, { name: 'Lambeth' },
  { name: 'Lewisham' }, { name: 'Merton' }, { name: 'Newham' }, { name: 'Redbridge' },
  { name: 'Richmond upon Thames' }, { name: 'Southwark' }, { name: 'Sutton' }, { name: 'Tower Hamlets' },
  { name: 'Waltham Forest' }, { name: 'Wandsworth' }, { name: 'Westminster' },
  // Metropolitan districts
  { name: 'Bolton' }, { name: 'Bury' }, { name: 'Manchester' }, { name: 'Oldham' }, { name: 'Rochdale' },
  { name: 'Salford' }, { name: 'Stockport' }, { name: 'Tameside' }, { name: 'Trafford' }, { name: 'Wigan' },
  { name: 'Knowsley' }, { name: 'Liverpool' }, { name: 'St Helens', aliases: ['St. Helens', 'Saint Helens'] },
  { name: 'Sefton' }, { name: 'Wirral' }, { name: 'Barnsley' }, { name: 'Doncaster' }, { name: 'Rotherham' },
  { name: 'Sheffield' }, { name: 'Gateshead' }, { name: 'Newcastle upon Tyne', aliases: ['Newcastle'] },
  { name: 'North Tyneside' }, { name: 'South Tyneside' }, { name: 'Sunderland' }, { name: 'Birmingham' },
  { name: 'Coventry' }, { name: 'Dudley' }, { name: 'Sandwell' }, { name: 'Solihull' }, { name: 'Walsall' },
  { name: 'Wolverhampton' }, { name: 'Bradford' }, { name: 'Calderdale' }, { name: 'Kirklees' },
  { name: 'Leeds' }, { name: 'Wakefield' },
  // Counties (two-tier areas)
  { name: 'Cambridgeshire' }, { name: 'Derbyshire' }, { name: 'Devon' }, { name: 'East Sussex' },
  { name: 'Essex' }, { name: 'Gloucestershire' }, { name: 'Hampshire' }, { name: 'Hertfordshire' },
  { name: 'Kent' }, { name: 'Lancashire' }, { name: 'Leicestershire' }, { name: 'Lincolnshire' },
  { name: 'Norfolk' }, { name: 'North Yorkshire' }, { name: 'Nottinghamshire' }, { name: 'Oxfordshire' },
  { name: 'Staffordshire' }, { name: 'Suffolk' }, { name: 'Surrey' }, { name: 'Warwickshire' },
  { name: 'West Sussex' }, { name: 'Worcestershire' },
  // Unitary authorities
  { name: 'Bath and North East Somerset', aliases: ['BANES', 'B&NES'] }, { name: 'Bedford', aliases: ['Bedford Borough'] },
  { name: 'Blackburn with Darwen' }, { name: 'Blackpool' },
  { name: 'Bournemouth, Christchurch and Poole', aliases: ['Bournemouth Christchurch and Poole', 'BCP Council', 'BCP'] },
  { name: 'Bracknell Forest' }, { name: 'Brighton and Hove' }, { name: 'Bristol' }, { name: 'Buckinghamshire' },
  { name: 'Central Bedfordshire' }, { name: 'Cheshire East' }, { name: 'Cheshire West and Chester' },
  { name: 'Cornwall' }, { name: 'Cumberland' }, { name: 'Darlington' }, { name: 'Derby' }, { name: 'Dorset' },
  { name: 'Durham', aliases: ['County Durham'] }, { name: 'East Riding of Yorkshire', aliases: ['East Riding'] },
  { name: 'Halton' }, { name: 'Hartlepool' }, { name: 'Herefordshire', aliases: ['County of Herefordshire'] },
  { name: 'Isle of Wight' }, { name: 'Isles of Scilly' }, { name: 'Hull', aliases: ['Kingston upon Hull'] },
  { name: 'Leicester' }, { name: 'Luton' }, { name: 'Medway' }, { name: 'Middlesbrough' },
  { name: 'Milton Keynes' }, { name: 'North East Lincolnshire' }, { name: 'North Lincolnshire' },
  { name: 'North Northamptonshire' }, { name: 'North Somerset' }, { name: 'Northumberland' },
  { name: 'Nottingham' }, { name: 'Peterborough' }, { name: 'Plymouth' }, { name: 'Portsmouth' },
  { name: 'Reading' }, { name: 'Redcar and Cleveland' }, { name: 'Rutland' }, { name: 'Shropshire' },
  { name: 'Slough' }, { name: 'Somerset' }, { name: 'South Gloucestershire' }, { name: 'Southampton' },
  { name: 'Southend-on-Sea', aliases: ['Southend on Sea', 'Southend'] },
  { name: 'Stockton-on-Tees', aliases: ['Stockton on Tees', 'Stockton'] },
  { name: 'Stoke-on-Trent', aliases: ['Stoke on Trent'] }, { name: 'Swindon' },
  { name: 'Telford and Wrekin', aliases: ['Telford'] }, { name: 'Thurrock' }, { name: 'Torbay' },
  { name: 'Warrington' }, { name: 'West Berkshire' }, { name: 'West Northamptonshire' },
  { name: 'Westmorland and Furness' }, { name: 'Wiltshire' },
  { name: 'Windsor and Maidenhead', aliases: ['RBWM'] }, { name: 'Wokingham' }, { name: 'York' },
  // Former authorities that older reports name
  { name: 'Bournemouth' }, { name: 'Poole' }, { name: 'Northamptonshire' }, { name: 'Cumbria' },
];

/** Places whose names contain a council's name but are not that council (matched, then ignored). */
const NOT_COUNCILS = [
  'Newcastle-under-Lyme', 'Newcastle under Lyme', 'Sutton Coldfield', 'Greater Manchester', 'New York',
  'Richmondshire', 'Stoke Newington', 'Barking Riverside', 'Durham University', 'Bedfordshire Police',
];

/** All short names, for listings and validation. */
export const COUNCIL_NAMES: readonly string[] = COUNCILS.map((c) => c.name);

const PREFIXES = [
  'the ', 'london borough of ', 'royal borough of ', 'metropolitan borough of ', 'borough of ',
  'city and county of ', 'city of ', 'county of ', 'council of the ', 'county ',
];
const SUFFIXES = [
  ' metropolitan district council', ' metropolitan borough council', ' metropolitan district',
  ' metropolitan borough', ' borough council', ' county council', ' city council', ' district council',
  ' unitary authority', ' council', " children's services", ' children’s services', ' city', ' borough',
];

/** Lower case, "&" as "and", straight apostrophes, underscores/spaces collapsed. */
function key(s: string): string {
  return s
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/&/g, ' and ')
    .replace(/[_\s]+/g, ' ')
    .replace(/\s*,\s*/g, ' ')
    .trim();
}

const BY_KEY = new Map<string, string>();
for (const c of COUNCILS) {
  for (const n of [c.name, ...(c.aliases ?? [])]) BY_KEY.set(key(n), c.name);
}

/**
 * The short name for a council name in any common form, or null. Leading folder numbers
 * ("80496_hackney") and the usual prefixes and suffixes are stripped.
 */
export function lookupCouncil(raw: string): string | null {
  let k = key(raw.replace(/^\d+[_\s-]+/, ''));
  for (let round = 0; round < 4; round++) {
    const hit = BY_KEY.get(k);
    if (hit !== undefined) return hit;
    const before = k;
    for (const p of PREFIXES) if (k.startsWith(p)) k = k.slice(p.length);
    for (const s of SUFFIXES) if (k.endsWith(s)) k = k.slice(0, -s.length);
    k = k.trim();
    if (k === before) break;
  }
  return BY_KEY.get(k) ?? null;
}

export interface CouncilMention {
  council: string;
  /** Offset of the mention in the searched text. */
  index: number;
  /** The text as printed. */
  text: string;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Printed form (title case and ALL CAPS) -> council (null for NOT_COUNCILS). */
const PRINTED = new Map<string, string | null>();
for (const c of COUNCILS) {
  for (const n of [c.name, ...(c.aliases ?? [])]) {
    const forms = [n, n.replace(/ and /g, ' & ')];
    for (const f of forms) {
      PRINTED.set(f, c.name);
      PRINTED.set(f.toUpperCase(), c.name);
    }
  }
}
for (const n of NOT_COUNCILS) {
  PRINTED.set(n, null);
  PRINTED.set(n.toUpperCase(), null);
}

const MENTION_RE = new RegExp(
  `(?<![\\p{L}\\p{N}-])(?:${[...PRINTED.keys()]
    .sort((a, b) => b.length - a.length)
    .map((f) => escapeRe(f).replace(/ /g, '\\s+'))
    .join('|')})(?![\\p{L}\\p{N}]|-(?:on|upon|under)\\b)`,
  'gu',
);

/** Every council named in `text`, in order of appearance. */
export function findCouncilMentions(text: string): CouncilMention[] {
  const out: CouncilMention[] = [];
  for (const m of text.matchAll(MENTION_RE)) {
    const printed = m[0].replace(/\s+/g, ' ');
    const council = PRINTED.get(printed);
    if (council) out.push({ council, index: m.index ?? 0, text: m[0] });
  }
  return out;
}
