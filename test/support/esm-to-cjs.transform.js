// Nest 12 ships ES modules only. Node 20 can require() them, but Jest's own module system cannot
// (Jest needs Node 24.9+ for that), so Jest compiles those packages to CommonJS as it loads them.
const ts = require('typescript');
const crypto = require('crypto');

const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true };

module.exports = {
  getCacheKey(source, path) {
    return crypto.createHash('sha1').update('esm-to-cjs-2').update(path).update(source).digest('hex');
  },
  process(source, path) {
    // CommonJS has its own require, so a module-level createRequire(import.meta.url) is dropped.
    const withoutImportMeta = source
      .replace(/^const require = createRequire\(import\.meta\.url\);$/m, '')
      .replace(/import\.meta\.url/g, "require('url').pathToFileURL(__filename).href");
    const { outputText } = ts.transpileModule(withoutImportMeta, { compilerOptions, fileName: path });
    return { code: outputText };
  },
};
