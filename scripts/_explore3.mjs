import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { readFileSync, readdirSync } from 'node:fs';
const root = '../shared/bench-corpus';
let tot = 0, pages = 0;
for (const d of readdirSync(root)) for (const f of readdirSync(`${root}/${d}`)) {
  const data = new Uint8Array(readFileSync(`${root}/${d}/${f}`));
  const t0 = performance.now();
  try {
    const doc = await getDocument({ data, isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
    let items = 0; const fonts = new Set(); let opl = 0;
    for (let p = 1; p <= doc.numPages; p++) {
      const page = await doc.getPage(p);
      const tc = await page.getTextContent();
      items += tc.items.length;
      let unknown = Object.keys(tc.styles).some(k => !fonts.has(k));
      if (unknown) { await page.getOperatorList(); opl++; for (const k of Object.keys(tc.styles)) if (page.commonObjs.has(k)) fonts.add(k); }
      page.cleanup();
    }
    const dt = performance.now() - t0; tot += dt; pages += doc.numPages;
    console.log(doc.numPages, items, opl, dt.toFixed(0), d, f);
    await doc.destroy();
  } catch (e) { console.log('ERR', d, f, e.name, e.message); }
}
console.log('total', (tot/1000).toFixed(2), 's pages', pages);
