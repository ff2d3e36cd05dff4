import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { formatNs, renderTable } from './stats.js';

// The top frames of V8 CPU profiles (`node --cpu-prof`, or `BENCH_CPU_PROF=1 node bench/run.js <name>`):
//
//   node --import tsx bench/cpu-profile.ts bench/profiles/*.cpuprofile [--top 25]
//
// Prints, per profile, self time by function and by package, idle time left out.

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: ReadonlyArray<number>;
}

interface CpuProfile {
  readonly nodes: ReadonlyArray<ProfileNode>;
  readonly samples: ReadonlyArray<number>;
  readonly timeDeltas: ReadonlyArray<number>;
}

/** Who a frame belongs to: an npm package (from its pnpm path), a workspace package, Node itself, or V8. */
const ownerOf = (frame: CallFrame): string => {
  const { url, functionName } = frame;
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node (internal)';
  const workspace = /\/packages\/([^/]+)\/dist\//.exec(url);
  if (workspace !== null) return `@paygate/${workspace[1]}`;
  const inModules = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (inModules !== null) return inModules[1] ?? url;
  return basename(url);
};

const IDLE = new Set(['(idle)', '(program)']);

const summarizeProfile = (file: string, top: number): string => {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byFunction = new Map<string, { frame: CallFrame; us: number }>();
  const byOwner = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, index) => {
    const frame = frames.get(id);
    const us = profile.timeDeltas[index] ?? 0;
    if (frame === undefined || IDLE.has(frame.functionName)) return;
    busy += us;
    const key = `${frame.functionName}|${frame.url}|${frame.lineNumber}`;
    const entry = byFunction.get(key) ?? { frame, us: 0 };
    entry.us += us;
    byFunction.set(key, entry);
    const owner = ownerOf(frame);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + us);
  });
  // Inclusive (total) time: each sample counts once for every distinct function on its stack.
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const inclusive = new Map<string, { frame: CallFrame; us: number }>();
  profile.samples.forEach((id, index) => {
    const leaf = frames.get(id);
    const us = profile.timeDeltas[index] ?? 0;
    if (leaf === undefined || IDLE.has(leaf.functionName)) return;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = frames.get(at);
      if (frame === undefined || frame.url === '' || frame.url.startsWith('node:')) continue;
      const key = `${frame.functionName}|${frame.url}|${frame.lineNumber}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = inclusive.get(key) ?? { frame, us: 0 };
      entry.us += us;
      inclusive.set(key, entry);
    }
  });
  const share = (us: number) => `${((us / busy) * 100).toFixed(1)} %`;
  const where = (frame: CallFrame) => `${ownerOf(frame)}${frame.url === '' ? '' : ` ${basename(frame.url)}:${frame.lineNumber + 1}`}`;
  const totals = [...inclusive.values()]
    .filter(({ frame }) => !frame.url.includes('/bench/'))
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map(({ frame, us }) => [frame.functionName || '(anonymous)', where(frame), formatNs(us * 1000), share(us)]);
  const functions = [...byFunction.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map(({ frame, us }) => [
      frame.functionName || '(anonymous)',
      `${ownerOf(frame)}${frame.url === '' ? '' : ` ${basename(frame.url)}:${frame.lineNumber + 1}`}`,
      formatNs(us * 1000),
      share(us),
    ]);
  const owners = [...byOwner.entries()].sort((a, b) => b[1] - a[1]).map(([owner, us]) => [owner, formatNs(us * 1000), share(us)]);
  return [
    `### ${basename(file)} (busy ${formatNs(busy * 1000)})`,
    renderTable({ caption: 'Self time by package:', header: ['package', 'self time', 'share'], rows: owners }),
    renderTable({ caption: `Top ${top} functions by self time:`, header: ['function', 'where', 'self time', 'share'], rows: functions }),
    renderTable({
      caption: `Top ${top} library functions by total time (self + callees; the benchmark's own frames left out):`,
      header: ['function', 'where', 'total time', 'share'],
      rows: totals,
    }),
  ].join('\n\n');
};

const args = process.argv.slice(2);
const topIndex = args.indexOf('--top');
const top = topIndex === -1 ? 20 : Number(args[topIndex + 1] ?? 20);
const files = args.filter((_arg, i) => topIndex === -1 || (i !== topIndex && i !== topIndex + 1));
if (files.length === 0) {
  process.stderr.write('usage: node --import tsx bench/cpu-profile.ts <file.cpuprofile>… [--top N]\n');
  process.exitCode = 2;
} else {
  for (const file of files) process.stdout.write(`${summarizeProfile(file, top)}\n\n`);
}
