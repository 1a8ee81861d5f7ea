// Summarises a V8 .cpuprofile (node --cpu-prof; `--profile` of bench:board and bench:fanout):
// self time by package and by function, and inclusive time by package, over the samples after
// the first `--skip` seconds (start-up) and, with `--load`, only in the seconds the main thread
// was busy (the load phases, not the rounds of the other servers); `--timeline` prints the busy
// ms of each second.
//
//   node bench/lib/cpuprofile.ts bench/.work/profiles/CPU….cpuprofile [--skip=20] [--top=40] [--load] [--timeline]
import { readFileSync } from 'node:fs';

type Frame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type ProfileNode = { id: number; callFrame: Frame; children?: number[] };
type Profile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const opt = (name: string, dflt: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt);
if (!file) {
  console.error('usage: node bench/lib/cpuprofile.ts <file.cpuprofile> [--skip=seconds] [--top=n] [--load] [--timeline]');
  process.exit(2);
}
const skipUs = opt('skip', 0) * 1e6;
const top = opt('top', 40);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

/** The package a frame belongs to: the node_modules package, our api/ or bench/ code, node: internals, or V8's own. */
function packageOf(f: Frame): string {
  const url = f.url;
  if (!url) return f.functionName.startsWith('(') ? f.functionName : '(native)';
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 14).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const m = /\/(api\/src\/[^/]+(?:\/[^/]+)?|bench\/[^/]+)/.exec(url);
  return m ? m[1]! : url;
}

// Busy (not idle) ms of the main thread in each second of the profile.
const second = (t: number) => Math.floor((t - profile.startTime) / 1e6);
const busyPerSecond: number[] = [];
{
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i]!;
    if (byId.get(profile.samples[i]!)!.callFrame.functionName !== '(idle)') busyPerSecond[second(t)] = (busyPerSecond[second(t)] ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000;
  }
}
const underLoad = args.includes('--load');

const self = new Map<number, number>();
let t = profile.startTime;
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i]!;
  if (t - profile.startTime < skipUs) continue;
  if (underLoad && (busyPerSecond[second(t)] ?? 0) < 800) continue;
  const dt = profile.timeDeltas[i + 1] ?? 0;
  self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + dt);
  total += dt;
}

const ms = (us: number) => (us / 1000).toFixed(0).padStart(7);
const pct = (us: number) => ((100 * us) / total).toFixed(1).padStart(5) + ' %';
const busy = total - [...self].filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)').reduce((s, [, us]) => s + us, 0);

const sum = (key: (n: ProfileNode) => string) => {
  const m = new Map<string, number>();
  for (const [id, us] of self) {
    const k = key(byId.get(id)!);
    m.set(k, (m.get(k) ?? 0) + us);
  }
  return [...m].sort((a, b) => b[1] - a[1]);
};

console.log(`${file}\nsampled ${ms(total)} ms after skipping ${skipUs / 1e6} s${underLoad ? ', seconds under load only' : ''}; busy (not idle) ${ms(busy)} ms\n`);
console.log('Self time by package');
for (const [k, us] of sum((n) => packageOf(n.callFrame)).slice(0, top)) console.log(`${ms(us)} ms ${pct(us)}  ${k}`);
console.log('\nSelf time by function');
for (const [k, us] of sum((n) => `${n.callFrame.functionName || '(anonymous)'}  ${packageOf(n.callFrame)}:${n.callFrame.lineNumber + 1}`).slice(0, top)) console.log(`${ms(us)} ms ${pct(us)}  ${k}`);

// Inclusive time: a sample counts once for each distinct package on its stack (so "graphql"
// includes everything graphql-js called, resolvers and Prisma among them).
const inclusive = new Map<string, number>();
for (const [id, us] of self) {
  const seen = new Set<string>();
  for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) seen.add(packageOf(byId.get(n)!.callFrame));
  for (const k of seen) inclusive.set(k, (inclusive.get(k) ?? 0) + us);
}
console.log('\nInclusive time by package (on the stack)');
for (const [k, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms(us)} ms ${pct(us)}  ${k}`);

if (args.includes('--timeline')) {
  console.log('\nBusy ms per second');
  console.log(Array.from(busyPerSecond, (v, i) => `${i}:${Math.round(v ?? 0)}`).join(' '));
}
