// Lambda decides whether a `.js` file of the function is CommonJS or an ES module from the package.json files inside
// the function's own folder (none: CommonJS), as the asset is unpacked alone into /var/task. Locally the asset sits
// inside some project, whose package.json may say "type": "module"; this keeps Lambda's answer.
import { readFileSync } from "node:fs";
import Module from "node:module";
import { dirname, join, sep } from "node:path";

/**
 * Makes `.js` files under `codeDir` load with the format Lambda would give them.
 * @returns whether a file under `codeDir` is CommonJS (the handler is then loaded with require)
 */
export function scopeModuleFormatTo(codeDir) {
  const root = codeDir.endsWith(sep) ? codeDir : codeDir + sep;
  const typeByDir = new Map();
  // The "type" of the nearest package.json from `dir` up to the code folder itself (never above it).
  const packageType = (dir) => {
    if (typeByDir.has(dir)) return typeByDir.get(dir);
    let type;
    try {
      type = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).type ?? "commonjs";
    } catch {
      type =
        `${dir}${sep}` === root || !`${dir}${sep}`.startsWith(root) ? "commonjs" : packageType(dirname(dir));
    }
    typeByDir.set(dir, type);
    return type;
  };
  const isCommonJs = (file) =>
    file.startsWith(root) && file.endsWith(".js") && packageType(dirname(file)) !== "module";
  // require() of a `.js` file checks the enclosing package scope: CommonJS ones under the code folder compile as such.
  const loadJs = Module._extensions[".js"];
  Module._extensions[".js"] = (module, filename) => {
    if (!isCommonJs(filename)) return loadJs(module, filename);
    module._compile(readFileSync(filename, "utf8"), filename, "commonjs");
  };
  return isCommonJs;
}
