/**
 * HTML reports -> blocks, with htmlparser2's streaming parser (no DOM).
 *
 * Content of script, style, noscript, template, svg, nav, form controls and hidden elements is
 * dropped; so are page header/footer (unless inside <main>/<article>), cookie banners and
 * breadcrumbs. When the page has a <main> (or role="main"), only its content is kept. h1-h6
 * become heading blocks with their level, li list items ("- " or "n. "), tr table rows (cells
 * joined by " | "), text of p, blockquote, div and other block elements paragraph blocks, and
 * lines of <pre> one block each. Entities are decoded by the parser (so "&lt;script&gt;" stays
 * literal text); characters are then normalised like every other format.
 */
import { Parser } from 'htmlparser2';
import type { Block, IngestedText } from '../../core/types.ts';
import { isGarbageLine, normalizeChars } from '../clean.ts';
import { decodeText } from '../detect.ts';

/** Elements whose whole content is left out. */
const DROPPED = new Set([
  'script', 'style', 'noscript', 'template', 'svg', 'math', 'nav', 'button', 'select', 'textarea',
  'iframe', 'object', 'canvas', 'head', 'dialog',
]);
/** Page chrome: dropped unless inside <main> or <article>. */
const CHROME = new Set(['header', 'footer']);
const CHROME_ROLES = new Set(['navigation', 'banner', 'contentinfo', 'search']);
/** class/id words of boilerplate blocks. */
const BOILERPLATE = /(?:^|\s)[\w-]*(?:cookie|skip-link|breadcrumb)[\w-]*(?:$|\s)/i;
/** Elements that end the current block of text. */
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'center', 'dd', 'details', 'div',
  'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr',
  'html', 'legend', 'li', 'main', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'thead',
  'tfoot', 'tr', 'td', 'th', 'ul',
]);
const HEADING = /^h([1-6])$/;
/** A numbered list item longer than this is a numbered paragraph (as in gov.uk HTML reports). */
const NUMBERED_PARAGRAPH_CHARS = 100;

interface Open {
  name: string;
  main: boolean;
  /** <ol>: number of the next item; <li> in an <ol>: its number. */
  counter?: number;
  /** <li>: its marker has been written (later blocks of the item continue it). */
  marked?: boolean;
}

interface Draft extends Block {
  inMain: boolean;
}

export function ingestHtml(bytes: Uint8Array): IngestedText {
  const drafts: Draft[] = [];
  const stack: Open[] = [];
  const dropStack: string[] = []; // names of open elements that started a dropped region
  const startedDrop: boolean[] = []; // per open element, in parser order
  let title: string | null = null;
  let inTitle = false;
  let buffer = '';
  let row: string[] | null = null;
  let cell = '';
  let cellDepth = 0; // nesting of td/th: block structure inside a cell collapses into the cell
  let hasMain = false;

  const inMain = (): boolean => stack.some((o) => o.main);
  const push = (text: string, hint: Block['hint'], level?: number): void => {
    const draft: Draft = { text, pageStart: null, pageEnd: null, hint, inMain: inMain() };
    if (level !== undefined) draft.level = level;
    drafts.push(draft);
  };

  const flush = (): void => {
    const raw = buffer;
    buffer = '';
    if (stack.some((o) => o.name === 'pre')) {
      for (const line of raw.split('\n')) if (clean(line) !== '') push(clean(line), 'paragraph');
      return;
    }
    const text = clean(raw);
    if (text === '') return;
    for (let i = stack.length - 1; i >= 0; i--) {
      const open = stack[i]!;
      const h = HEADING.exec(open.name);
      if (h) return push(text, 'heading', Number(h[1]));
      if (open.name === 'li') {
        if (open.marked) return push(text, 'list-item');
        open.marked = true;
        if (open.counter === undefined) return push(`- ${text}`, 'list-item');
        const item = `${open.counter}. ${text}`;
        return push(item, item.length > NUMBERED_PARAGRAPH_CHARS ? 'paragraph' : 'list-item');
      }
    }
    push(text, 'paragraph');
  };

  const emitRow = (cells: string[]): void => {
    const kept = cells.filter((c) => c !== '');
    const good = kept.filter((c) => !isGarbageLine(c));
    if (good.length > 0) push(good.join(' | '), kept.length === 1 ? 'paragraph' : 'table-row');
  };

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        const role = (attribs.role ?? '').toLowerCase();
        const chromeAllowed = stack.some((o) => o.main || o.name === 'article');
        const hidden =
          'hidden' in attribs ||
          attribs['aria-hidden'] === 'true' ||
          /display\s*:\s*none|visibility\s*:\s*hidden/i.test(attribs.style ?? '');
        const drops =
          DROPPED.has(name) ||
          (CHROME.has(name) && !chromeAllowed) ||
          CHROME_ROLES.has(role) ||
          BOILERPLATE.test(`${attribs.class ?? ''} ${attribs.id ?? ''}`) ||
          hidden;
        startedDrop.push(drops);
        if (name === 'title' && title === null && !dropStack.includes('svg')) inTitle = true;
        if (drops) {
          dropStack.push(name);
          return;
        }
        if (dropStack.length > 0) return;
        if (cellDepth > 0) {
          if (name === 'td' || name === 'th') cellDepth++;
          if (BLOCK.has(name) || name === 'br') cell += ' ';
          stack.push({ name, main: false });
          return;
        }
        if (name === 'br') {
          buffer += stack.some((o) => o.name === 'pre') ? '\n' : ' ';
          return;
        }
        if (BLOCK.has(name)) flush();
        if (name === 'tr') {
          if (row !== null) emitRow(row);
          row = [];
        } else if (name === 'td' || name === 'th') {
          row ??= [];
          cell = '';
          cellDepth = 1;
        }
        const open: Open = { name, main: name === 'main' || role === 'main' };
        if (open.main) hasMain = true;
        if (name === 'ol') open.counter = Number.parseInt(attribs.start ?? '', 10) || 1;
        if (name === 'li') {
          const list = [...stack].reverse().find((o) => o.name === 'ol' || o.name === 'ul');
          if (list?.name === 'ol') {
            const value = Number.parseInt(attribs.value ?? '', 10);
            open.counter = Number.isFinite(value) ? value : (list.counter ?? 1);
            list.counter = open.counter + 1;
          }
        }
        stack.push(open);
      },
      ontext(data) {
        if (inTitle) title = (title ?? '') + data;
        else if (dropStack.length > 0) return;
        else if (cellDepth > 0) cell += data;
        else buffer += data;
      },
      onclosetag(name) {
        const dropped = startedDrop.pop() ?? false;
        if (name === 'title') inTitle = false;
        if (dropped) {
          dropStack.pop();
          return;
        }
        if (dropStack.length > 0 || name === 'br') return;
        const at = stack.map((o) => o.name).lastIndexOf(name);
        if (at < 0) return;
        if (cellDepth > 0) {
          if (name === 'td' || name === 'th') cellDepth--;
          if (cellDepth === 0) {
            row?.push(clean(cell));
            cell = '';
          } else if (BLOCK.has(name)) {
            cell += ' ';
          }
        } else if ((name === 'tr' || name === 'table') && row !== null) {
          emitRow(row);
          row = null;
        } else if (BLOCK.has(name)) {
          flush();
        }
        stack.length = at;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(decodeText(bytes).text);
  parser.end();
  flush();

  const blocks: Block[] = drafts
    .filter((d) => (!hasMain || d.inMain) && !isGarbageLine(d.text))
    .map(({ inMain: _inMain, ...block }) => block);
  const cleanTitle = title === null ? '' : clean(title);
  return { format: 'html', blocks, pages: null, title: cleanTitle === '' ? null : cleanTitle };
}

/** Collapse HTML whitespace (NBSP included) and normalise characters. */
function clean(text: string): string {
  return normalizeChars(text.replace(/\s+/g, ' ')).trim();
}
