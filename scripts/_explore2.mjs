import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { readFileSync } from 'node:fs';
const data = new Uint8Array(readFileSync(process.argv[2]));
let t0 = performance.now();
const doc = await getDocument({ data, isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0, fontExtraProperties: true }).promise;
let t1 = performance.now();
let tcT = 0, opT = 0;
for (let p = 1; p <= doc.numPages; p++) {
  const page = await doc.getPage(p);
  let a = performance.now();
  const tc = await page.getTextContent();
  tcT += performance.now() - a;
  if (process.argv[3]) {
    a = performance.now();
    await page.getOperatorList();
    opT += performance.now() - a;
    if (p === 5) for (const f of Object.keys(tc.styles)) { const o = page.commonObjs.has(f) ? page.commonObjs.get(f) : null; console.log(f, o && o.name, o && o.bold, o && o.black, o && o.italic, o && o.fallbackName); }
  }
  page.cleanup();
}
console.log({ pages: doc.numPages, open: t1 - t0, tcT, opT });
await doc.destroy();
