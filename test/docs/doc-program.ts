/**
 * One doc as one program, read top to bottom as a reader does: the hidden setup first, then each block in order,
 * each nested in the scope of the blocks before it — so a block may use what an earlier block declared, and may
 * declare the same name again (it shadows). Every import of every block is hoisted to the top and merged (a
 * module can import only at its top level, and two blocks often import the same names).
 *
 * Each block's code is preceded by `__docs.enter(<block index>)`, so the runner knows which block was running when
 * something threw and which block printed what.
 */
import ts from 'typescript';

/** What runs at one step: a ts block's code, or (for an sh block) a call into the runner. */
export interface ProgramStep {
  index: number;
  /** Where the block is, for the comment above it in the program ('docs/x.md:12'). */
  where: string;
  code: string;
}

interface ModuleImports {
  sideEffect: boolean;
  defaultName?: string;
  namespace?: string;
  named: Map<string, string>;
}

class ImportTable {
  readonly modules = new Map<string, ModuleImports>();
  readonly #owner = new Map<string, string>();

  add(node: ts.ImportDeclaration): void {
    const spec = (node.moduleSpecifier as ts.StringLiteral).text;
    let entry = this.modules.get(spec);
    if (!entry) this.modules.set(spec, (entry = { sideEffect: false, named: new Map() }));
    const clause = node.importClause;
    if (!clause) {
      entry.sideEffect = true;
      return;
    }
    if (clause.name) entry.defaultName = this.#bind(clause.name.text, spec);
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) entry.namespace = this.#bind(bindings.name.text, spec);
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) {
        const local = this.#bind(element.name.text, spec);
        const typeOnly = clause.isTypeOnly || element.isTypeOnly ? 'type ' : '';
        const imported = element.propertyName ? `${element.propertyName.text} as ${local}` : local;
        if (!entry.named.has(local) || typeOnly === '') entry.named.set(local, `${typeOnly}${imported}`);
      }
    }
  }

  #bind(local: string, spec: string): string {
    const owner = this.#owner.get(local);
    if (owner !== undefined && owner !== spec) throw new Error(`\`${local}\` is imported from both '${owner}' and '${spec}'`);
    this.#owner.set(local, spec);
    return local;
  }

  render(resolve: (spec: string) => string): string {
    const lines: string[] = [];
    for (const [spec, entry] of this.modules) {
      const from = `'${resolve(spec)}'`;
      const parts = [entry.defaultName, entry.named.size > 0 ? `{ ${[...entry.named.values()].join(', ')} }` : undefined].filter(Boolean);
      if (parts.length > 0) lines.push(`import ${parts.join(', ')} from ${from};`);
      if (entry.namespace) lines.push(`import * as ${entry.namespace} from ${from};`);
      if (entry.sideEffect && parts.length === 0 && !entry.namespace) lines.push(`import ${from};`);
    }
    return lines.join('\n');
  }
}

/** The code without its import declarations (blanked, so line numbers inside the block stay), adding them to `table`. */
function hoistImports(code: string, table: ImportTable): string {
  const source = ts.createSourceFile('block.ts', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  let out = code;
  for (const statement of [...source.statements].reverse()) {
    if (!ts.isImportDeclaration(statement)) continue;
    table.add(statement);
    const start = statement.getStart(source);
    out = out.slice(0, start) + out.slice(start, statement.end).replace(/[^\n]/g, ' ') + out.slice(statement.end);
  }
  return out;
}

/**
 * The program of a doc: merged imports (their specifiers passed through `resolve`), then the setup and the steps,
 * each nested in the one before.
 */
export function buildProgram(setup: string, steps: readonly ProgramStep[], resolve: (spec: string) => string): string {
  const table = new ImportTable();
  const body: string[] = [`{ __docs.enter(0); // the doc's setup\n${hoistImports(setup, table)}`];
  for (const step of steps) body.push(`{ __docs.enter(${step.index}); // ${step.where}\n${hoistImports(step.code, table)}`);
  const closing = '}'.repeat(body.length);
  return `${table.render(resolve)}\nconst __docs = (globalThis as any).__switchyardDocs;\n${body.join('\n')}\n__docs.enter(-1);\n${closing}\n`;
}
