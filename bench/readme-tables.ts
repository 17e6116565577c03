/**
 * The README's measured tables, rendered from recorded bench output
 * (`bench/results.json`, written by `npm run bench -- --save`) so that no
 * measured number in the README is typed by hand.
 *
 * Each table lives in README.md between `<!-- bench:NAME -->` and
 * `<!-- /bench:NAME -->`; `npm run readme` rewrites those regions and
 * test/readme-tables.test.ts fails when one differs from its rendering.
 */

/** A recorded bench section: whatever `bench/index.ts` printed for it. */
type Section = Record<string, unknown> | unknown[];
export type BenchResults = Record<string, unknown>;

interface OptimizeConfig {
  flags: string;
  auc: { originalInt8: number; optimizedInt8: number; lossVsInt8: number };
  macs: { ratio: number };
  flatbufferBytes: { optimized: number; ratio: number };
  flatbufferGzipBytes: { plain: number; optimized: number; ratio: number };
  bars: { maxAucLoss: number; maxGzipRatio?: number; maxMacsRatio?: number; maxFlatbufferRatio?: number };
  verify: { passed: boolean; maxLsb: number };
}

const bytes = (n: number) => `${n.toLocaleString('en-US')} B`;
const ratio = (r: number, bar: number | undefined) => (bar !== undefined ? `**${r.toFixed(3)}×**` : `${r.toFixed(3)}×`);
const fixed4 = (x: number) => x.toFixed(4);
const signed3 = (x: number) => (x < 0 ? `−${(-x).toFixed(3)}` : x.toFixed(3));

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(header: string[], rows: string[][]): string {
  return [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');
}

function optimize(s: Section): string {
  const configs = (s as { configs: OptimizeConfig[] }).configs;
  return table(
    ['Configuration (`emit` flags)', 'AUC int8: plain → optimised', 'MACs', 'Flatbuffer', 'Flatbuffer gzip', 'verify'],
    configs.map((c) => [
      `\`${c.flags}\``,
      `${fixed4(c.auc.originalInt8)} → ${fixed4(c.auc.optimizedInt8)} (loss ${signed3(c.auc.lossVsInt8)}; bar ≤ ${c.bars.maxAucLoss})`,
      ratio(c.macs.ratio, c.bars.maxMacsRatio),
      `${ratio(c.flatbufferBytes.ratio, c.bars.maxFlatbufferRatio)} (${bytes(c.flatbufferBytes.optimized)})`,
      `${ratio(c.flatbufferGzipBytes.ratio, c.bars.maxGzipRatio)} (${bytes(c.flatbufferGzipBytes.plain)} → ${bytes(c.flatbufferGzipBytes.optimized)})`,
      `${c.verify.passed ? 'passed' : 'FAILED'} (max ${c.verify.maxLsb} LSB)`,
    ]),
  );
}

interface FrontEndRate {
  targetRate: number;
  pdmRate: number;
  nFft: number;
  hop: number;
  nMels: number;
  instructionsPerColumn: number;
  realTimeBudgetFraction: number;
}

function frontEnd(s: Section): string {
  const rates = s as unknown as FrontEndRate[];
  return table(
    ['Model rate', 'PDM rate', 'n_fft / hop / Mel bands', 'M4 instructions per column', 'share of the 64 MHz M4 in real time'],
    rates.map((r) => [
      `${r.targetRate} Hz`,
      `${r.pdmRate} Hz`,
      `${r.nFft} / ${r.hop} / ${r.nMels}`,
      r.instructionsPerColumn.toLocaleString('en-US'),
      `${(r.realTimeBudgetFraction * 100).toFixed(2)} %`,
    ]),
  );
}

interface CBackendLayer {
  ops: string;
  layers: string;
  macs: number;
  perMac: number | null;
  smladBoundShare: number | null;
  tflmPerMac: number | string | null;
}

interface CBackendResult {
  model: 'demo' | 'pruned';
  level: '-O2' | '-Os';
  instructions: number;
  perMac: number;
  tflm: { instructions: number; perMac: number };
  vsTflm: number;
  layers: CBackendLayer[];
  ramBytes: { activations: number; tflmArena: number; vsTflmArena: number };
  flashBytes: { total: number; tflmRuntimeAndKernels: number; tflmFlatbuffer: number };
}

interface CBackendFirmware {
  level: '-O2' | '-Os';
  audioSeconds: number;
  pdmRate: number;
  targetRate: number;
  windows: number;
  perSecondOfAudio: Record<'total' | 'resampling' | 'melFrontEnd' | 'model' | 'scoreAndThreshold' | 'ringAndGlue', number>;
  steady: { windowsPerSecond: number; modelPerSecond: number; totalPerSecond: number };
  steadyShareOf64MHz: number;
}

interface CBackend {
  results: CBackendResult[];
  wholeFirmware: CBackendFirmware[];
}

const count = (n: number) => n.toLocaleString('en-US');
const f2 = (x: number | null) => (x === null ? '—' : x.toFixed(2));
const percent = (x: number) => `${Math.round(x * 100)} %`;
const millions = (n: number) => `${(n / 1e6).toFixed(n < 1e5 ? 2 : 1)} M`;

function cResult(s: CBackend, model: 'demo' | 'pruned', level: '-O2' | '-Os'): CBackendResult {
  const r = s.results.find((x) => x.model === model && x.level === level);
  if (!r) throw new Error(`bench/results.json: cbackend has no ${model} ${level} result; run npm run bench -- cbackend --save`);
  return r;
}

/** The C runtime against TFLM + CMSIS-NN, per model: instructions, per MAC, RAM, flash. */
function cBackend(section: Section): string {
  const s = section as unknown as CBackend;
  const cols = (['demo', 'pruned'] as const).map((m) => ({ o2: cResult(s, m, '-O2'), os: cResult(s, m, '-Os') }));
  const cells = (f: (c: (typeof cols)[number]) => [string, string]) => cols.flatMap(f);
  return table(
    ['', 'demo, C', 'demo, TFLM', 'pruned, C', 'pruned, TFLM'],
    [
      [
        'instructions per inference, -O2',
        ...cells(({ o2 }) => [`**${count(o2.instructions)}** (${o2.vsTflm.toFixed(2)}×)`, count(o2.tflm.instructions)]),
      ],
      [
        'instructions per MAC, -O2 / -Os',
        ...cells(({ o2, os }) => [`${f2(o2.perMac)} / ${f2(os.perMac)}`, `${f2(o2.tflm.perMac)} / ${f2(os.tflm.perMac)}`]),
      ],
      [
        'RAM: activations (C: planned buffer, exact; TFLM: smallest arena that works)',
        ...cells(({ o2 }) => [
          `**${bytes(o2.ramBytes.activations)}** (${o2.ramBytes.vsTflmArena.toFixed(2)}×)`,
          bytes(o2.ramBytes.tflmArena),
        ]),
      ],
      [
        'flash: code + weights and constants (C); runtime and kernels + flatbuffer (TFLM), -O2 / -Os',
        ...cells(({ o2, os }) => [
          `${count(o2.flashBytes.total)} / ${bytes(os.flashBytes.total)}`,
          `${count(o2.flashBytes.tflmRuntimeAndKernels)} / ${bytes(os.flashBytes.tflmRuntimeAndKernels)} + ${bytes(o2.flashBytes.tflmFlatbuffer)}`,
        ]),
      ],
    ],
  );
}

/** Per step of the generated model (fused ops together), both models, -O2 and -Os, against the SMLAD bound and TFLM. */
function cBackendLayers(section: Section): string {
  const s = section as unknown as CBackend;
  const [demoO2, demoOs, prunedO2, prunedOs] = [
    cResult(s, 'demo', '-O2'),
    cResult(s, 'demo', '-Os'),
    cResult(s, 'pruned', '-O2'),
    cResult(s, 'pruned', '-Os'),
  ];
  return table(
    [
      'step: ops (layers)',
      'MACs, demo',
      'C per MAC, -O2 / -Os',
      'of the SMLAD bound, -O2',
      'pruned: C per MAC, -O2 / -Os',
      'TFLM per MAC, -O2',
    ],
    demoO2.layers.map((l, i) => [
      `${l.ops} (${l.layers})`,
      count(l.macs),
      `${f2(l.perMac)} / ${f2(demoOs.layers[i]!.perMac)}`,
      l.smladBoundShare === null ? '—' : percent(l.smladBoundShare),
      `${f2(prunedO2.layers[i]!.perMac)} / ${f2(prunedOs.layers[i]!.perMac)}`,
      l.tflmPerMac === null ? '—' : String(l.tflmPerMac),
    ]),
  );
}

/** The whole window path on the emulated M4, per stage and second of audio, at -O2 and -Os. */
function cBackendFirmware(section: Section): string {
  const s = section as unknown as CBackend;
  const level = (l: '-O2' | '-Os') => {
    const f = s.wholeFirmware.find((x) => x.level === l);
    if (!f) throw new Error(`bench/results.json: cbackend has no whole-firmware ${l} result`);
    return f;
  };
  const [o2, os] = [level('-O2'), level('-Os')];
  const stage = (name: string, key: keyof CBackendFirmware['perSecondOfAudio']) => [
    name,
    millions(o2.perSecondOfAudio[key]),
    millions(os.perSecondOfAudio[key]),
  ];
  return table(
    [
      `per second of audio (${o2.targetRate} Hz model, ${o2.pdmRate} Hz microphone, ${o2.audioSeconds} s stream, ${o2.windows} windows)`,
      '-O2',
      '-Os',
    ],
    [
      stage('resampling', 'resampling'),
      stage('Mel front-end', 'melFrontEnd'),
      stage('the compiled model', 'model'),
      stage('score and threshold', 'scoreAndThreshold'),
      stage('ring and glue', 'ringAndGlue'),
      stage('total', 'total'),
      [
        `steady state: the model at ${o2.steady.windowsPerSecond} windows per second`,
        millions(o2.steady.modelPerSecond),
        millions(os.steady.modelPerSecond),
      ],
      [
        'steady state: total, and its share of the 64 MHz core at one instruction per cycle',
        `${millions(o2.steady.totalPerSecond)} (${percent(o2.steadyShareOf64MHz)})`,
        `${millions(os.steady.totalPerSecond)} (${percent(os.steadyShareOf64MHz)})`,
      ],
    ],
  );
}

/** README region name → the bench section it shows and how. */
export const README_TABLES: Record<string, { section: string; render: (s: Section) => string }> = {
  optimize: { section: 'optimize', render: optimize },
  'front-end-m4': { section: 'frontEndCortexM4', render: frontEnd },
  'c-runtime': { section: 'cbackend', render: cBackend },
  'c-runtime-layers': { section: 'cbackend', render: cBackendLayers },
  'c-runtime-firmware': { section: 'cbackend', render: cBackendFirmware },
};

/** The README with every bench region replaced by its rendering; a region without results is left as it is. */
export function renderReadmeTables(readme: string, results: BenchResults): string {
  let out = readme;
  for (const [name, t] of Object.entries(README_TABLES)) {
    const section = results[t.section] as Section | undefined;
    if (!section) continue;
    out = replaceRegion(out, name, t.render(section));
  }
  return out;
}

export function replaceRegion(text: string, name: string, body: string): string {
  const open = `<!-- bench:${name} -->`;
  const close = `<!-- /bench:${name} -->`;
  const a = text.indexOf(open);
  const b = text.indexOf(close);
  if (a < 0 || b < a) throw new Error(`README.md has no ${open} … ${close} region; add one where the table belongs`);
  return `${text.slice(0, a + open.length)}\n${body}\n${text.slice(b)}`;
}
