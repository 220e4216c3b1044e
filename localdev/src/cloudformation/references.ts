// Which resources a template value names (Ref, Fn::GetAtt, Fn::Sub, DependsOn), and what depends on what.
import type { CfnTemplate } from "../template/template.js";

/** Logical ids `value` refers to; pseudo parameters and template parameters are left out by the caller. */
export function referencesOf(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) referencesOf(item, out);
    return out;
  }
  if (!value || typeof value !== "object") return out;
  for (const [key, inner] of Object.entries(value)) {
    if (key === "Ref" && typeof inner === "string") out.add(inner);
    else if (key === "Fn::GetAtt") {
      const target = Array.isArray(inner)
        ? inner[0]
        : typeof inner === "string"
          ? inner.split(".")[0]
          : undefined;
      if (typeof target === "string") out.add(target);
    } else if (key === "Fn::Sub") {
      const text = Array.isArray(inner) ? inner[0] : inner;
      if (typeof text === "string")
        for (const [, name] of text.matchAll(/\$\{([^!}][^}.]*)(?:\.[^}]*)?\}/g)) out.add(name!.trim());
      if (Array.isArray(inner)) referencesOf(inner[1], out);
      continue;
    }
    referencesOf(inner, out);
  }
  return out;
}

/** Each resource's direct dependencies on other resources of the template (references and DependsOn). */
export function dependencyGraph(template: CfnTemplate): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const [id, resource] of Object.entries(template.Resources)) {
    const names = referencesOf(resource.Properties ?? {});
    for (const d of [resource.DependsOn ?? []].flat()) names.add(d);
    graph.set(id, new Set([...names].filter((n) => n !== id && n in template.Resources)));
  }
  return graph;
}

/** Every resource that depends on one of `roots`, directly or through others (the roots excluded). */
export function dependentsOf(graph: Map<string, Set<string>>, roots: Iterable<string>): Set<string> {
  const rootList = [...roots];
  const reached = new Set<string>(rootList);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [id, deps] of graph) {
      if (reached.has(id)) continue;
      if ([...deps].some((d) => reached.has(d))) {
        reached.add(id);
        grew = true;
      }
    }
  }
  for (const root of rootList) reached.delete(root);
  return reached;
}

/** Whether `id` depends on `other`, directly or through other resources. */
export function dependsOn(graph: Map<string, Set<string>>, id: string, other: string): boolean {
  const seen = new Set<string>();
  const stack = [...(graph.get(id) ?? [])];
  while (stack.length) {
    const next = stack.pop()!;
    if (next === other) return true;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(graph.get(next) ?? []));
  }
  return false;
}
