import type { StatusvaktConfig } from './schema.ts';

type Path = (string | number)[];

/**
 * `dependsOn` names components that exist, never the component itself, and
 * never loops back (a → b → a): a loop would let a component's shown state
 * feed on itself. Reads defensively: the rules also run on invalid fields.
 */
export function checkDependencies(config: StatusvaktConfig, fail: (path: Path, message: string) => void): void {
  const edges = new Map<string, { target: string; path: Path }[]>();
  config.pages.forEach((page, p) =>
    page.groups.forEach((group, g) =>
      group.components.forEach((component, c) => {
        const dependsOn = Array.isArray(component.dependsOn) ? component.dependsOn : [];
        edges.set(
          component.id,
          dependsOn
            .map((d, k) => ({ target: typeof d?.component === 'string' ? d.component : '', path: ['pages', p, 'groups', g, 'components', c, 'dependsOn', k, 'component'] as Path }))
            .filter((e) => e.target !== ''),
        );
      }),
    ),
  );
  const known = [...edges.keys()];
  for (const [id, targets] of edges) {
    for (const { target, path } of targets) {
      if (target === id) fail(path, `component "${id}" cannot depend on itself; name another component or remove this entry`);
      else if (!edges.has(target)) fail(path, `unknown component "${target}"; use the id of a component on any page, such as ${known.slice(0, 5).map((k) => `"${k}"`).join(', ')}`);
    }
  }
  // each loop is reported once, at the entry that closes it
  const reported = new Set<string>();
  for (const start of edges.keys()) {
    const loop = findLoop(start, edges);
    if (!loop) continue;
    const key = [...loop.ids].sort().join(' ');
    if (reported.has(key)) continue;
    reported.add(key);
    fail(loop.path, `dependsOn makes a loop (${[...loop.ids, loop.ids[0]].join(' → ')}); a component cannot depend on itself through others, remove one of these entries`);
  }
}

/** A loop through `start` (self-dependencies are reported apart), with the path of its closing entry. */
function findLoop(start: string, edges: Map<string, { target: string; path: Path }[]>): { ids: string[]; path: Path } | undefined {
  // a component explored once cannot lead back to `start` on a second visit: each is explored once, so a large config stays linear
  const explored = new Set<string>([start]);
  const visit = (id: string, trail: string[]): { ids: string[]; path: Path } | undefined => {
    for (const edge of edges.get(id) ?? []) {
      if (edge.target === id) continue;
      if (edge.target === start) return { ids: trail, path: edge.path };
      if (explored.has(edge.target)) continue;
      explored.add(edge.target);
      const found = visit(edge.target, [...trail, edge.target]);
      if (found) return found;
    }
    return undefined;
  };
  return visit(start, [start]);
}
