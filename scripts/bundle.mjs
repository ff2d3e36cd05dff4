// Bundles a package's tsc output (dist/index.js) into one ES module per entry under dist/bundle/
// with esbuild (code-split, so a dynamic import() stays a lazy chunk; source maps chain back to src/).
// Run from the package directory: `node ../../scripts/bundle.mjs`.
//
// Dependencies stay external. A dependency that is CommonJS (fp-ts's and io-ts's lib/ files) is
// loaded with require() from the bundle instead of an ES `import`: for every CommonJS file an ES
// module imports, Node's ESM loader detects its format (compiling it once more) and lexes its
// source for export names, ~10-20 ms per fp-ts/io-ts module on a cold start; require() does
// neither. The bundle then holds, per such module, `const m = require(spec)` and one binding per
// export name (read from the module at build time), which esbuild links to the call sites.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';

const packageDir = process.cwd();
const requireHere = createRequire(join(packageDir, 'package.json'));
const esbuild = requireHere('esbuild');

/** The `type` of the package.json nearest to a file ('commonjs' when it has none). */
const packageType = (file) => {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8')).type ?? 'commonjs';
  }
  return 'commonjs';
};

/** The file `require(spec)` loads from this package, if it is CommonJS; undefined otherwise. */
const commonJsFile = (spec) => {
  let file;
  try {
    file = requireHere.resolve(spec);
  } catch {
    return undefined; // ESM-only (no "require" export) or not resolvable: keep the import
  }
  const ext = extname(file);
  if (ext === '.cjs') return file;
  return (ext === '.js' || ext === '') && packageType(file) !== 'module' ? file : undefined;
};

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * esbuild plugin: bare specifiers of CommonJS dependencies become a require() in the bundle. Each
 * export is a binding with a pure initializer, so esbuild drops the ones nothing uses.
 */
const requireCommonJs = {
  name: 'require-commonjs',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:') || args.kind !== 'import-statement') return undefined;
      if (args.namespace === 'require-commonjs' && args.path === 'require') return { path: 'require', namespace: 'require-commonjs' };
      const file = commonJsFile(args.path);
      return file === undefined ? { path: args.path, external: true } : { path: args.path, namespace: 'require-commonjs', pluginData: { file } };
    });
    build.onLoad({ filter: /.*/, namespace: 'require-commonjs' }, (args) => {
      if (args.path === 'require') {
        const contents = [
          `import { createRequire } from 'node:module';`,
          'export const require = createRequire(import.meta.url);',
          '/** A property of a required module, read once (pure: dropped by esbuild when nothing uses it). */',
          'export const exported = (module, name) => module[name];',
        ].join('\n');
        return { contents, loader: 'js', resolveDir: packageDir };
      }
      const names = Object.keys(requireHere(args.pluginData.file)).filter((name) => IDENTIFIER.test(name) && name !== 'default');
      const contents = [
        `import { require, exported } from 'require';`,
        `const m = require(${JSON.stringify(args.path)});`,
        ...names.map((name) => `const _${name} = /* @__PURE__ */ exported(m, ${JSON.stringify(name)});\nexport { _${name} as ${name} };`),
        'export default m;',
      ].join('\n');
      return { contents, loader: 'js', resolveDir: packageDir };
    });
  },
};

rmSync(join(packageDir, 'dist/bundle'), { recursive: true, force: true });
await esbuild.build({
  entryPoints: ['dist/index.js'],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  outdir: 'dist/bundle',
  logLevel: 'warning',
  plugins: [requireCommonJs],
});
