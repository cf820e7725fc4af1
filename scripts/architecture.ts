/**
 * The layering rules of DESIGN.md ("Layout", "Modules and events") as a check over import
 * statements, so a change that breaks them fails the build (server/test/architecture.test.ts):
 *
 * - module-imports-foreign-entity: a file in server/src/modules/<A>/ imports an entity
 *   (`*.entity.ts`) or a repository (`*.repository.ts`, `*-repository.ts`, `*.repo.ts`) of
 *   another module <B>, directly or through a file of <B> that re-exports it (one writer per table).
 * - wechat-imports-infrastructure: server/src/wechat/ imports koa, koa-*, @koa/* or typeorm.
 * - wechat-imports-app: server/src/wechat/ imports server/src/modules, http or main (the
 *   protocol layer knows nothing of the shop).
 * - shared-imports-node: shared/src imports a Node built-in (node:* or module.builtinModules).
 * - shared-imports-outside: shared/src imports a file outside shared/ (the storefront compiles
 *   shared/ on its own; anything else drags server code into the mini-program).
 * - kernel-imports-module: server/src/kernel/ imports server/src/modules/ (infrastructure only).
 *
 * Imports are read with the TypeScript parser (no type checking, no program): `import`,
 * `import type`, `export … from`, `import x = require()`, `require()`, `import()` and
 * `typeof import()` types. Relative specifiers are resolved against the file system and,
 * when the target does not exist, by path alone (so a fixture tree can name files it lacks).
 *
 * Run it alone: `npx tsx scripts/architecture.ts [rootDir]` (exit code 1 on a violation).
 */
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

export type ArchitectureRule =
  | 'module-imports-foreign-entity'
  | 'wechat-imports-infrastructure'
  | 'wechat-imports-app'
  | 'shared-imports-node'
  | 'shared-imports-outside'
  | 'kernel-imports-module';

export interface Violation {
  /** The importing file, relative to the root, with forward slashes. */
  file: string;
  line: number;
  /** The specifier as written. */
  import: string;
  rule: ArchitectureRule;
  /** The file the import resolves to (relative to the root), when it is inside the root. */
  target?: string;
  /** For an entity reached through a re-export: the entity or repository file. */
  via?: string;
}

export interface Allowance {
  rule: ArchitectureRule;
  file: string;
  /** The resolved target (root-relative); every import of the rule from `file` when absent. */
  target?: string;
  /** Why it is tolerated and who removes it. */
  why: string;
}

/**
 * Known exceptions. Each one names who removes it; an entry that no longer matches anything
 * is reported by `analyseArchitecture` (and fails the test) so the list cannot rot.
 */
export const allowances: Allowance[] = [];

export function formatViolation(v: Violation): string {
  return `${v.file}:${v.line} → ${v.import} (${v.rule})${v.via ? ` via ${v.via}` : ''}`;
}

export interface ArchitectureReport {
  violations: Violation[];
  /** Violations an allowance covers. */
  allowed: Violation[];
  /** Allowances that matched nothing: remove them. */
  unusedAllowances: Allowance[];
}

/** The violations under `rootDir` (the repository root), allowances applied. */
export function checkArchitecture(rootDir: string, allow: readonly Allowance[] = allowances): Violation[] {
  return analyseArchitecture(rootDir, allow).violations;
}

export function analyseArchitecture(rootDir: string, allow: readonly Allowance[] = allowances): ArchitectureReport {
  const checker = new Checker(path.resolve(rootDir));
  const found = [
    ...checker.filesUnder('server/src/modules').flatMap((f) => checker.checkModuleFile(f)),
    ...checker.filesUnder('server/src/wechat').flatMap((f) => checker.checkWechatFile(f)),
    ...checker.filesUnder('server/src/kernel').flatMap((f) => checker.checkKernelFile(f)),
    ...checker.filesUnder('shared/src').flatMap((f) => checker.checkSharedFile(f)),
  ];
  const covers = (a: Allowance, v: Violation) =>
    a.rule === v.rule && a.file === v.file && (a.target === undefined || a.target === v.target);
  return {
    violations: found.filter((v) => !allow.some((a) => covers(a, v))),
    allowed: found.filter((v) => allow.some((a) => covers(a, v))),
    unusedAllowances: allow.filter((a) => !found.some((v) => covers(a, v))),
  };
}

// ---------------------------------------------------------------------------------------

const sourceExtensions = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const codeExtension = /\.(d\.)?[cm]?[jt]sx?$/;
const entityFile = /\.entity$/;
const repositoryFile = /([.-]repository|\.repo)$/;
const koaOrTypeorm = /^(koa|koa-[^/]+|@koa\/[^/]+|typeorm)(\/.*)?$/;
const builtins = new Set(builtinModules);

/** `node:fs`, `fs`, `fs/promises`: a Node built-in, whatever its spelling. */
export function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || builtins.has(specifier) || builtins.has(specifier.split('/')[0]);
}

/** Which names an import takes from its target: some names, or everything (`* as`, `import()`). */
type Names = ReadonlySet<string> | 'all';

interface ImportRef {
  specifier: string;
  line: number;
  names: Names;
}

interface ParsedFile {
  imports: ImportRef[];
  /** `export … from` and `import { x } …; export { x }`: exported name → where it comes from. */
  reexports: { specifier: string; exported: string | '*'; imported: string | '*' }[];
}

class Checker {
  private readonly parsed = new Map<string, ParsedFile>();

  constructor(private readonly root: string) {}

  /** Root-relative paths of the source files under `dir` (none when it does not exist). */
  filesUnder(dir: string): string[] {
    const out: string[] = [];
    const walk = (abs: string) => {
      for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
        if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
        const child = path.join(abs, entry.name);
        if (entry.isDirectory()) walk(child);
        else if (sourceExtensions.some((ext) => entry.name.endsWith(ext))) out.push(this.rel(child));
      }
    };
    const start = path.join(this.root, dir);
    if (fs.existsSync(start)) walk(start);
    return out.sort();
  }

  checkModuleFile(file: string): Violation[] {
    const own = moduleOf(file);
    if (!own) return []; // server/src/modules/entities.ts: the registry of every entity
    const out: Violation[] = [];
    for (const ref of this.parse(file).imports) {
      const target = this.resolve(file, ref.specifier);
      const other = target && moduleOf(target);
      if (!target || !other || other === own) continue;
      const via = isTableAccess(target) ? undefined : this.reexportedTableAccess(target, ref.names, other);
      if (isTableAccess(target) || via) {
        out.push({ ...violation(file, ref, 'module-imports-foreign-entity', target), ...(via ? { via } : {}) });
      }
    }
    return out;
  }

  checkWechatFile(file: string): Violation[] {
    const out: Violation[] = [];
    for (const ref of this.parse(file).imports) {
      if (koaOrTypeorm.test(ref.specifier)) {
        out.push(violation(file, ref, 'wechat-imports-infrastructure'));
        continue;
      }
      const target = this.resolve(file, ref.specifier);
      if (target && /^server\/src\/(modules|http|main)\//.test(target)) {
        out.push(violation(file, ref, 'wechat-imports-app', target));
      }
    }
    return out;
  }

  checkKernelFile(file: string): Violation[] {
    const out: Violation[] = [];
    for (const ref of this.parse(file).imports) {
      const target = this.resolve(file, ref.specifier);
      if (target?.startsWith('server/src/modules/')) out.push(violation(file, ref, 'kernel-imports-module', target));
    }
    return out;
  }

  checkSharedFile(file: string): Violation[] {
    const out: Violation[] = [];
    for (const ref of this.parse(file).imports) {
      if (isRelative(ref.specifier)) {
        const target = this.resolve(file, ref.specifier);
        if (!target || !target.startsWith('shared/')) {
          out.push(violation(file, ref, 'shared-imports-outside', target));
        }
      } else if (isNodeBuiltin(ref.specifier)) {
        out.push(violation(file, ref, 'shared-imports-node'));
      }
    }
    return out;
  }

  /**
   * When `file` (a non-entity file of module `owner`) hands out one of `owner`'s entities or
   * repositories by re-export, the entity file that `names` reach; a barrel must not become
   * a side door to another module's tables.
   */
  private reexportedTableAccess(
    file: string,
    names: Names,
    owner: string,
    seen = new Set<string>(),
  ): string | undefined {
    if (seen.has(file) || !fs.existsSync(path.join(this.root, file))) return undefined;
    seen.add(file);
    for (const r of this.parse(file).reexports) {
      const taken: Names | undefined =
        r.exported === '*'
          ? names // export * from: every name we take may come from there
          : names === 'all' || names.has(r.exported)
            ? r.imported === '*'
              ? 'all'
              : new Set([r.imported])
            : undefined;
      if (!taken) continue;
      const target = this.resolve(file, r.specifier);
      if (!target || moduleOf(target) !== owner) continue;
      if (isTableAccess(target)) return target;
      const deeper = this.reexportedTableAccess(target, taken, owner, seen);
      if (deeper) return deeper;
    }
    return undefined;
  }

  /**
   * A relative specifier → a root-relative path: the file that exists (`x.ts`, `x/index.ts`,
   * `x.js` written for `x.ts`), else the path as written, read as `x.ts` when it names no
   * extension. Packages resolve to undefined.
   */
  private resolve(from: string, specifier: string): string | undefined {
    if (!isRelative(specifier)) return undefined;
    const base = path.resolve(path.dirname(path.join(this.root, from)), specifier);
    const stem = base.replace(/\.[cm]?js$/, '');
    const candidates = [
      base,
      ...sourceExtensions.map((ext) => stem + ext),
      ...sourceExtensions.map((ext) => path.join(base, `index${ext}`)),
    ];
    const found = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
    return this.rel(found ?? (codeExtension.test(base) ? base : `${base}.ts`));
  }

  private parse(file: string): ParsedFile {
    let parsed = this.parsed.get(file);
    if (!parsed) this.parsed.set(file, (parsed = parseImports(path.join(this.root, file))));
    return parsed;
  }

  private rel(abs: string): string {
    return path.relative(this.root, abs).split(path.sep).join('/');
  }
}

function violation(file: string, ref: ImportRef, rule: ArchitectureRule, target?: string): Violation {
  return { file, line: ref.line, import: ref.specifier, rule, ...(target ? { target } : {}) };
}

const isRelative = (specifier: string) => specifier === '.' || specifier === '..' || /^\.\.?\//.test(specifier);

/** `server/src/modules/<name>/…` → name; files directly in modules/ belong to none. */
function moduleOf(file: string): string | undefined {
  return /^server\/src\/modules\/([^/]+)\/.+/.exec(file)?.[1];
}

function isTableAccess(file: string): boolean {
  const stem = path.posix.basename(file).replace(codeExtension, '');
  return entityFile.test(stem) || repositoryFile.test(stem);
}

function scriptKind(file: string): ts.ScriptKind {
  if (/\.[cm]?tsx$/.test(file) || file.endsWith('.jsx'))
    return file.endsWith('.jsx') ? ts.ScriptKind.JSX : ts.ScriptKind.TSX;
  return /\.[cm]?js$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
}

/** Every module specifier a file names, with the names it takes, and what it re-exports. */
export function parseImports(absFile: string): ParsedFile {
  const sf = ts.createSourceFile(
    absFile,
    fs.readFileSync(absFile, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
    scriptKind(absFile),
  );
  const imports: ImportRef[] = [];
  const reexports: ParsedFile['reexports'] = [];
  /** Local name → the import it came from, for `import { x } from …; export { x }`. */
  const bindings = new Map<string, { specifier: string; imported: string | '*' }>();
  const localExports: { local: string; exported: string }[] = [];
  const lineOf = (node: ts.Node) => sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
  const literal = (node: ts.Node | undefined) =>
    node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const specifier = literal(node.moduleSpecifier);
      if (specifier !== undefined) {
        const clause = node.importClause;
        const names = new Set<string>();
        let all = false;
        if (clause?.name) {
          names.add('default');
          bindings.set(clause.name.text, { specifier, imported: 'default' });
        }
        const nb = clause?.namedBindings;
        if (nb && ts.isNamespaceImport(nb)) {
          all = true;
          bindings.set(nb.name.text, { specifier, imported: '*' });
        } else if (nb) {
          for (const el of nb.elements) {
            const imported = (el.propertyName ?? el.name).text;
            names.add(imported);
            bindings.set(el.name.text, { specifier, imported });
          }
        }
        // A bare `import './x'` takes no names, but still loads the file.
        imports.push({ specifier, line: lineOf(node), names: all || !clause ? 'all' : names });
      }
    } else if (ts.isExportDeclaration(node)) {
      const specifier = literal(node.moduleSpecifier);
      const clause = node.exportClause;
      if (specifier !== undefined) {
        if (!clause) {
          imports.push({ specifier, line: lineOf(node), names: 'all' });
          reexports.push({ specifier, exported: '*', imported: '*' });
        } else if (ts.isNamespaceExport(clause)) {
          imports.push({ specifier, line: lineOf(node), names: 'all' });
          reexports.push({ specifier, exported: clause.name.text, imported: '*' });
        } else {
          const names = new Set<string>();
          for (const el of clause.elements) {
            const imported = (el.propertyName ?? el.name).text;
            names.add(imported);
            reexports.push({ specifier, exported: el.name.text, imported });
          }
          imports.push({ specifier, line: lineOf(node), names });
        }
      } else if (clause && ts.isNamedExports(clause)) {
        for (const el of clause.elements)
          localExports.push({ local: (el.propertyName ?? el.name).text, exported: el.name.text });
      }
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const specifier = literal(node.moduleReference.expression);
      if (specifier !== undefined) {
        imports.push({ specifier, line: lineOf(node), names: 'all' });
        bindings.set(node.name.text, { specifier, imported: '*' });
      }
    } else if (ts.isCallExpression(node)) {
      const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      const specifier = literal(node.arguments[0]);
      if ((isImport || isRequire) && specifier !== undefined) {
        imports.push({ specifier, line: lineOf(node), names: 'all' });
      }
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      const specifier = ts.isLiteralTypeNode(arg) ? literal(arg.literal) : undefined;
      if (specifier !== undefined) imports.push({ specifier, line: lineOf(node), names: 'all' });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  for (const e of localExports) {
    const b = bindings.get(e.local);
    if (b) reexports.push({ specifier: b.specifier, exported: e.exported, imported: b.imported });
  }
  return { imports, reexports };
}

// `npx tsx scripts/architecture.ts [rootDir]`
if (require.main === module) {
  const report = analyseArchitecture(process.argv[2] ?? path.resolve(__dirname, '..'));
  for (const v of report.violations) console.log(formatViolation(v));
  for (const a of report.unusedAllowances) console.log(`unused allowance: ${a.file} (${a.rule}): remove it`);
  console.log(`${report.violations.length} violation(s), ${report.allowed.length} allowed`);
  process.exitCode = report.violations.length || report.unusedAllowances.length ? 1 : 0;
}
