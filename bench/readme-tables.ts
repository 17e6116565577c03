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

/** README region name → the bench section it shows and how. */
export const README_TABLES: Record<string, { section: string; render: (s: Section) => string }> = {
  optimize: { section: 'optimize', render: optimize },
  'front-end-m4': { section: 'frontEndCortexM4', render: frontEnd },
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
