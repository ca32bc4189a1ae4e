/**
 * The layer zones and the import-cycle rule of eslint.config.js, proven with
 * ESLint itself: for each zone, a probe file written inside the zone (in a
 * temporary folder, removed afterwards) that breaks it must be refused with the
 * zone's own message, on exactly the imports that break it; a probe that
 * imports only what the zone allows must lint clean. So a rule that refuses
 * too little fails here, and so does one that refuses too much.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ESLint, type Linter } from 'eslint';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

interface Zone {
  zone: string;
  message: string;
}

/** One probe: the folder it is written into, and its import lines. */
interface Probe {
  /** Where the probe file sits, relative to the zone's temporary folder (depth matters for '../'). */
  file: string;
  breaking: string[];
  legal: string[];
}

/**
 * Per zone, what the issue says it may not import (each written the way a file
 * would try it, including a deep '../../../' path and type-only imports) and
 * what it may.
 */
const PROBES: Record<string, Probe> = {
  'electron/core': {
    file: 'deep/deeper/probe.ts',
    breaking: [
      "import '../../../../app/app-controller.js';",
      "import '../../../../adapters/app-config.js';",
      "import '../../../../ipc/handlers.js';",
      "import '../../../../cli/commands.js';",
      "import '../../../../main.js';",
      "import '../../../../../renderer/src/main.js';",
      "export type { App } from 'electron';",
    ],
    legal: ["import '../../../../core/errors.js';", "import '../../../errors.js';", "import '../../../../../shared/domain.js';", "import 'node:fs';", "import '@zxcvbn-ts/core';"],
  },
  'electron/app': {
    file: 'probe.ts',
    breaking: [
      "export type { BrowserWindow } from 'electron';",
      "export type Window = import('electron').BrowserWindow;",
      "import 'electron';",
      "const loaded = import('electron');\nexport { loaded };",
    ],
    legal: ["import '../../core/errors.js';", "import '../../../shared/domain.js';", "import '../clipboard-guard.js';", "import 'node:fs';"],
  },
  'electron/cli': {
    file: 'probe.ts',
    breaking: [
      "import '../../app/app-controller.js';",
      "import '../../adapters/app-config.js';",
      "import '../../ipc/handlers.js';",
      "import '../../main.js';",
      "import 'electron';",
    ],
    legal: ["import '../../core/errors.js';", "import '../../../shared/domain.js';", "import '../terminal.js';", "import 'node:fs';"],
  },
  renderer: {
    file: 'src/probe.ts',
    breaking: [
      "import '../../../electron/core/errors.js';",
      "import '../../../electron/ipc/handlers.js';",
      "import 'node:fs';",
      "import 'fs';",
      "import 'child_process';",
      "import 'electron';",
      "import 'keytar';",
    ],
    legal: ["import '../../src/lib/format.js';", "import '../../../shared/domain.js';", "import 'react';"],
  },
  shared: {
    file: 'probe.ts',
    breaking: [
      "import '../../electron/core/errors.js';",
      "import '../../renderer/src/main.js';",
      "import 'node:crypto';",
      "import 'path';",
      "import 'electron';",
      "export type { Keytar } from 'keytar';",
    ],
    legal: ["import '../domain.js';", "import '../ipc/contract.js';", "import 'zod';"],
  },
};

let eslint: ESLint;
let zones: Zone[];
const probeDirs: string[] = [];

beforeAll(async () => {
  eslint = new ESLint({ cwd: root });
  // The zone table as ESLint applies it to a file, not as this test imagines it.
  const config = (await eslint.calculateConfigForFile(join(root, 'electron/core/probe.ts'))) as Linter.Config;
  const [, options] = config.rules?.['keyward/layer-zones'] as [unknown, { zones: Zone[] }];
  zones = options.zones;
});

afterEach(() => {
  for (const dir of probeDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder inside `area` of the repository, removed after the test. */
function probeDir(area: string): string {
  const dir = mkdtempSync(join(root, area, '__lint-probe-'));
  probeDirs.push(dir);
  return dir;
}

function write(file: string, lines: string[]): string {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function lint(file: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintFiles([file]);
  return result?.messages ?? [];
}

/** The line the `i`th entry starts on (an entry may span lines). */
const lineOf = (lines: string[], i: number) => 1 + lines.slice(0, i).reduce((n, line) => n + line.split('\n').length, 0);

describe('the zone table', () => {
  it('has a probe for every zone, and every probe is a zone', () => {
    expect(zones.map((z) => z.zone).sort()).toEqual(Object.keys(PROBES).sort());
  });
});

describe.each(Object.entries(PROBES))('the %s zone', (area, probe) => {
  const zone = () => zones.find((z) => z.zone === area)!;

  it('refuses each import it forbids, with its own message', async () => {
    const file = write(join(probeDir(area), probe.file), probe.breaking);
    const messages = await lint(file);
    const expectedLines = probe.breaking.map((_, i) => lineOf(probe.breaking, i));
    expect(messages.map((m) => ({ rule: m.ruleId, line: m.line, message: m.message }))).toEqual(
      expectedLines.map((line) => ({ rule: 'keyward/layer-zones', line, message: zone().message })),
    );
  });

  it('accepts what it may import', async () => {
    const file = write(join(probeDir(area), probe.file), probe.legal);
    expect(await lint(file)).toEqual([]);
  });
});

describe('the import-cycle rule', () => {
  it('refuses two modules that import values from each other, naming the cycle', async () => {
    const dir = probeDir('electron/core');
    const a = write(join(dir, 'a.ts'), ["import { b } from './b.js';", 'export const a = (): number => b() + 1;']);
    const b = write(join(dir, 'b.ts'), ["import { c } from './nested/c.js';", 'export const b = (): number => c();']);
    write(join(dir, 'nested/c.ts'), ["import { a } from '../a.js';", 'export const c = (): number => a();']);
    const chain = ['a.ts', 'b.ts', 'nested/c.ts', 'a.ts'].map((f) => relative(root, join(dir, f))).join(' → ');
    const messages = await lint(a);
    expect(messages.map((m) => [m.ruleId, m.line])).toEqual([['keyward/no-import-cycle', 1]]);
    expect(messages[0]?.message).toContain(chain);
    expect((await lint(b)).map((m) => m.ruleId)).toEqual(['keyward/no-import-cycle']);
  });

  it('accepts a cycle of types only (erased at build time) and a chain that does not come back', async () => {
    const dir = probeDir('electron/core');
    const a = write(join(dir, 'a.ts'), ["import type { B } from './b.js';", "import { c } from './c.js';", 'export interface A { b?: B }', 'export const a = (): number => c;']);
    const b = write(join(dir, 'b.ts'), ["import type { A } from './a.js';", 'export interface B { a?: A }']);
    write(join(dir, 'c.ts'), ['export const c = 1;']);
    expect(await lint(a)).toEqual([]);
    expect(await lint(b)).toEqual([]);
  });
});

describe('the sealed vault module', () => {
  let message: string;
  beforeAll(async () => {
    const config = (await eslint.calculateConfigForFile(join(root, 'electron/app/probe.ts'))) as Linter.Config;
    message = (config.rules?.['keyward/sealed-core'] as [unknown, { message: string }])[1].message;
  });

  it('refuses the app, the CLI and IPC a session, the format layer or the services’ session key', async () => {
    const breaking: Record<string, string[]> = {
      'electron/app': ["export { unlockVault } from '../../core/vault/vault-session.js';", "export type { VaultSession } from '../../core/vault/vault-session.js';"],
      'electron/cli': ["export { internalsOf } from '../../core/service/service-internals.js';", "import '../../core/vault/format/index.js';"],
      'electron/ipc': ["import '../../core/vault/password-check.js';"],
    };
    for (const [area, lines] of Object.entries(breaking)) {
      const messages = await lint(write(join(probeDir(area), 'probe.ts'), lines));
      expect(messages.map((m) => ({ rule: m.ruleId, line: m.line, message: m.message })), area).toEqual(
        lines.map((_, i) => ({ rule: 'keyward/sealed-core', line: lineOf(lines, i), message })),
      );
    }
  });

  it('lets them use the application layer, and lets tests and the core itself open the insides', async () => {
    const app = probeDir('electron/app');
    expect(await lint(write(join(app, 'probe.ts'), ["import '../../core/composition.js';", "import '../../core/service/vault-lifecycle.js';", "import '../../core/vault/vault-paths.js';"]))).toEqual([]);
    expect(await lint(write(join(app, 'probe.test.ts'), ["import '../../core/vault/vault-session.js';"]))).toEqual([]);
    expect(await lint(write(join(probeDir('electron/core/service'), 'probe.ts'), ["import '../../vault/vault-session.js';", "import '../../service/service-internals.js';"]))).toEqual([]);
  });
});
