import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

/**
 * The modules of src/ form layers, not a web: no module reaches itself through another's value
 * imports (`import type` aside). A cycle means two modules each need the other, and nobody can say
 * which owns what; Nest would need forwardRef. The entity registry (src/database/entities.ts) lists
 * every table on purpose and is left out. ESLint's boundary rules cannot see cycles between folders,
 * so this walks the imports itself.
 */

const ROOT = join(__dirname, '..');
const REGISTRY = 'src/database/entities.ts';

/** Module -> modules it imports values from (with one importing file each, for the message). */
function moduleGraph(files: { path: string; text: string }[]): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const { path, text } of files) {
    const from = path.split('/')[1];
    for (const match of text.matchAll(/^import (?!type )[^;]*?from '(\.[^']+)'/gms)) {
      const target = normalize(join(dirname(path), match[1]));
      const to = target.split('/')[1];
      if (!target.startsWith('src/') || to === from || to.endsWith('.ts')) continue;
      if (!graph.has(from)) graph.set(from, new Map());
      if (!graph.get(from)!.has(to)) graph.get(from)!.set(to, path);
    }
  }
  return graph;
}

/** Groups of modules that import each other, directly or round a loop (Tarjan's strongly connected components). */
function cycles(graph: Map<string, Map<string, string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('module graph', () => {
  it('should find a cycle when two modules import each other', () => {
    const sut = cycles(moduleGraph([
      { path: 'src/a/a.service.ts', text: "import { B } from '../b/b.service';" },
      { path: 'src/b/b.service.ts', text: "import { C } from '../c/c.service';" },
      { path: 'src/c/c.service.ts', text: "import { A } from '../a/a.service';\nimport type { B } from '../b/b.service';" },
      { path: 'src/d/d.service.ts', text: "import type { A } from '../a/a.service';" },
    ]));
    expect(sut).toEqual([['a', 'b', 'c']]);
  });

  it('should find no cycle between the modules of src/', () => {
    const files = (readdirSync(join(ROOT, 'src'), { recursive: true }) as string[])
      .map((file) => `src/${file}`)
      .filter((path) => path.endsWith('.ts') && !path.endsWith('.spec.ts') && path !== REGISTRY)
      .map((path) => ({ path, text: readFileSync(join(ROOT, path), 'utf8') }));
    const graph = moduleGraph(files);
    const described = cycles(graph).map((group) =>
      group.flatMap((from) => group.filter((to) => graph.get(from)?.has(to)).map((to) => `${from} -> ${to} (${graph.get(from)!.get(to)})`)).join('; '),
    );
    expect(described).toEqual([]);
  });
});
