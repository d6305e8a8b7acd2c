import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import ts from 'typescript';

/** The project root (the folder holding package.json and node_modules). */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const RELATIVE_IMPORT = /(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)\.js'/g;

/**
 * Transpiles a TypeScript module and every module it imports by relative path into `outDir`
 * (keeping the layout under the project root), so that a child `node` process can run it
 * without a TypeScript loader. Bare imports resolve through a `node_modules` link to the
 * project's own. Returns the path of the entry's JavaScript file.
 */
export function transpileClosure(entry: string, outDir: string): string {
  const pending = [resolve(entry)];
  const done = new Set<string>();
  while (pending.length > 0) {
    const source = pending.pop() ?? '';
    if (done.has(source)) {
      continue;
    }
    done.add(source);
    const text = readFileSync(source, 'utf8');
    for (const match of text.matchAll(RELATIVE_IMPORT)) {
      pending.push(resolve(dirname(source), `${match[1] ?? ''}.ts`));
    }
    const output = ts.transpileModule(text, {
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
      fileName: source,
    });
    const target = join(outDir, relative(PROJECT_ROOT, source)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, output.outputText);
  }
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(outDir, 'node_modules'), 'dir');
  writeFileSync(join(outDir, 'package.json'), '{"type":"module"}\n');
  return join(outDir, relative(PROJECT_ROOT, resolve(entry))).replace(/\.ts$/, '.js');
}
