// The TypeScript declarations the proxy serves at /widget.d.ts: a shop's checkout code written against them
// type-checks, and code that misuses the API does not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { startProxy } from './support.mjs';

const env = {};

before(async () => {
  env.proxy = await startProxy();
  env.dir = mkdtempSync(join(tmpdir(), 'pvz-types-'));
  const response = await fetch(`${env.proxy.url}/widget.d.ts`);
  assert.equal(response.status, 200);
  writeFileSync(join(env.dir, 'widget.d.ts'), await response.text());
});

after(() => {
  env.proxy?.stop();
  if (env.dir) rmSync(env.dir, { recursive: true, force: true });
});

/** The type errors of `code`, checked strictly against the served declarations. */
function typeErrors(code) {
  const file = join(env.dir, `checkout-${Math.random().toString(36).slice(2)}.ts`);
  writeFileSync(file, `import type { PvzWidgetOptions } from './widget';\n${code}\nexport {};\n`);
  const program = ts.createProgram([file], {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler, lib: ['lib.es2020.d.ts', 'lib.dom.d.ts'],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

test('a checkout written against /widget.d.ts type-checks', () => {
  const errors = typeErrors(`
    const options: PvzWidgetOptions = { city: 'Казань', weight: 1200, dims: '30x20x10', theme: 'dark', first: 'map', delivery: 'pickup,door' };
    const widget = window.PvzWidget.mount('#pvz', options);
    widget.update({ weight: 3400, city: null, delivery: 'door' });
    const target = document.querySelector('#pvz')!;
    target.addEventListener('pvz:select', (event) => {
      const rubles: number = (event.detail.quote?.cost.kopecks ?? 0) / 100;
      const where: string = event.detail.delivery === 'door'
        ? event.detail.address.full + (event.detail.address.flat ?? '') + event.detail.quote.carrier_title
        : event.detail.point.id;
      console.log(where, rubles);
    });
    target.addEventListener('pvz:error', (event) => console.error(event.detail.code, event.detail.message));
    widget.destroy();
  `);
  assert.deepEqual(errors, []);
});

test('misuse of the API is a type error', () => {
  assert.ok(typeErrors(`window.PvzWidget.mount('#pvz', { theme: 'purple' });`).length > 0, 'an unknown theme');
  assert.ok(typeErrors(`window.PvzWidget.mount('#pvz').update({ weight: true });`).length > 0, 'a boolean weight');
  assert.ok(typeErrors(`document.body.addEventListener('pvz:select', (e) => e.detail.delivery === 'pickup' && e.detail.point.nope);`).length > 0,
    'a field the point does not have');
  assert.ok(typeErrors(`document.body.addEventListener('pvz:select', (e) => e.detail.point.id);`).length > 0,
    'a door has no point: the choice is told apart by `delivery` first');
  assert.ok(typeErrors(`window.PvzWidget.mount('#pvz', { delivery: 'drone' });`).length > 0, 'an unknown delivery');
});
