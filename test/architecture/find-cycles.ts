/** A group of files that all reach each other, and one shortest cycle through its first file. */
export interface ImportCycle {
  /** `[a, b, a]`: a imports b, b imports a. */
  chain: string[];
  /** Every file of the group, sorted (more than the chain when several cycles overlap). */
  group: string[];
}

/**
 * The import cycles of a graph (file -> files it imports): one for each strongly connected group
 * of files, its chain starting at the group's first file in sort order. Fixing that cycle may
 * leave another in the same group: run it again.
 */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): ImportCycle[] {
  const cycles: ImportCycle[] = [];
  for (const members of stronglyConnected(graph)) {
    const group = [...members].sort();
    const start = group[0]!;
    const selfLoop = (graph.get(start) ?? []).includes(start);
    if (group.length === 1 && !selfLoop) continue;
    cycles.push({ chain: selfLoop ? [start, start] : shortestCycle(graph, start, new Set(group)), group });
  }
  return cycles.sort((a, b) => (a.group[0]! < b.group[0]! ? -1 : 1));
}

/** Breadth-first from `start` back to itself, staying inside its group (which guarantees a way back). */
function shortestCycle(graph: ReadonlyMap<string, readonly string[]>, start: string, members: ReadonlySet<string>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    for (const next of [...new Set(graph.get(node) ?? [])].sort()) {
      if (!members.has(next)) continue;
      if (next === start) {
        const back = [start];
        for (let at: string | undefined = node; at !== start && at !== undefined; at = previous.get(at)) back.push(at);
        return [start, ...back.slice(1).reverse(), start];
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  throw new Error(`no cycle through ${start} although it is in a strongly connected group`);
}

/** Tarjan's algorithm, iterative (a deep import chain must not overflow the stack). */
function stronglyConnected(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let counter = 0;
  const nodes = new Set<string>([...graph.keys(), ...[...graph.values()].flat()]);
  for (const root of [...nodes].sort()) {
    if (index.has(root)) continue;
    const work: Array<{ node: string; edges: readonly string[]; next: number }> = [];
    const enter = (node: string) => {
      index.set(node, counter);
      low.set(node, counter);
      counter++;
      stack.push(node);
      onStack.add(node);
      work.push({ node, edges: graph.get(node) ?? [], next: 0 });
    };
    enter(root);
    while (work.length) {
      const frame = work[work.length - 1]!;
      if (frame.next < frame.edges.length) {
        const target = frame.edges[frame.next++]!;
        if (!index.has(target)) enter(target);
        else if (onStack.has(target)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const group: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          group.push(member);
        } while (member !== frame.node);
        groups.push(group);
      }
    }
  }
  return groups;
}
