// Node works out the format of every module file it loads from the nearest
// package.json, and parses that file's `exports` again for each one.
// drizzle-orm's package.json is 179 KB and several hundred of its files load:
// measured on `statusvakt api-token create`, about a second of CPU (and the
// garbage it leaves) of a 5-second command. Its files are all ES modules
// ("type": "module", one package.json) importing each other by relative paths
// with `.js`, so such an import is resolved here, in one step, to the file it names.
import { existsSync, readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = new URL('../node_modules/drizzle-orm/', import.meta.url);
const manifest = fileURLToPath(new URL('package.json', root));
const isModulePackage = existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).type === 'module';

if (isModulePackage) {
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const parent = context.parentURL;
      if (parent?.startsWith(root.href) && parent.endsWith('.js') && specifier.startsWith('.') && specifier.endsWith('.js')) {
        const url = new URL(specifier, parent);
        if (url.href.startsWith(root.href) && existsSync(fileURLToPath(url))) return { url: url.href, format: 'module', shortCircuit: true };
      }
      return nextResolve(specifier, context);
    },
  });
}
