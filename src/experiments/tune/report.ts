import type { RenderedPlot } from '../../evaluate/index.js';
import { paretoFront, renderParetoPlot } from '../sweep/pareto.js';
import type { ClipMetrics } from './domain-metrics.js';

/** One row of tune's table: a trained recipe under one scoring choice, with its cost on the board. */
export interface TuneRow {
  recipe: string;
  seedRound: number;
  score: string;
  pool: string;
  /** The ranking criterion (validation, float model). */
  rankAuc: number;
  test?: { float: ClipMetrics; int8: ClipMetrics };
  ramBytes: number;
  flashBytes: number;
  m4InstructionsPerSecond: number;
  fits: boolean;
  rank: number;
  winner: boolean;
}

const f3 = (x: number | undefined) => (x === undefined ? '' : x.toFixed(3));
const n0 = (x: number) => Math.round(x).toLocaleString('en-US');

const CSV_COLS = [
  'rank',
  'winner',
  'recipe',
  'seedRound',
  'score',
  'pool',
  'rankAuc',
  'int8Auc',
  'int8AucSource',
  'int8AucTarget',
  'int8PAuc',
  'int8Official',
  'floatAuc',
  'floatOfficial',
  'ramBytes',
  'flashBytes',
  'm4InstructionsPerSecond',
  'fits',
] as const;

export function renderTuneCsv(rows: readonly TuneRow[]): string {
  const cell = (r: TuneRow, c: (typeof CSV_COLS)[number]): string => {
    switch (c) {
      case 'int8Auc':
        return f3(r.test?.int8.auc);
      case 'int8AucSource':
        return f3(r.test?.int8.aucSource);
      case 'int8AucTarget':
        return f3(r.test?.int8.aucTarget);
      case 'int8PAuc':
        return f3(r.test?.int8.pAucMcClish);
      case 'int8Official':
        return f3(r.test?.int8.official);
      case 'floatAuc':
        return f3(r.test?.float.auc);
      case 'floatOfficial':
        return f3(r.test?.float.official);
      case 'rankAuc':
        return r.rankAuc.toFixed(4);
      default:
        return String(r[c]);
    }
  };
  return [CSV_COLS.join(','), ...rows.map((r) => CSV_COLS.map((c) => cell(r, c)).join(','))].join('\n') + '\n';
}

export function renderTuneMarkdown(
  rows: readonly TuneRow[],
  o: { criterion: string; board: string; instructionsPerMac: number; epochs: number },
): string {
  const hasTest = rows.some((r) => r.test);
  const hasDomains = rows.some((r) => r.test?.int8.official !== undefined);
  const head = [
    'rank',
    'recipe',
    'window score',
    'pool',
    `rank AUC (${o.criterion})`,
    ...(hasTest
      ? hasDomains
        ? ['int8 AUC src', 'int8 AUC tgt', 'int8 pAUC', 'int8 official', 'float official']
        : ['int8 AUC', 'int8 pAUC', 'float AUC']
      : []),
    'RAM (B)',
    'M4 instr/s',
    'fits',
  ];
  const row = (r: TuneRow) => {
    const t = r.test;
    const test = !hasTest
      ? []
      : hasDomains
        ? [f3(t?.int8.aucSource), f3(t?.int8.aucTarget), f3(t?.int8.pAucMcClish), f3(t?.int8.official), f3(t?.float.official)]
        : [f3(t?.int8.auc), f3(t?.int8.pAucMcClish), f3(t?.float.auc)];
    return `| ${r.rank}${r.winner ? ' ★' : ''} | ${r.recipe}${r.seedRound > 1 ? ` (seed ${r.seedRound})` : ''} | ${r.score} | ${r.pool} | ${r.rankAuc.toFixed(3)} | ${test.join(' | ')}${test.length ? ' | ' : ''}${n0(r.ramBytes)} | ${n0(r.m4InstructionsPerSecond)} | ${r.fits ? 'yes' : 'no'} |`;
  };
  return [
    '# tinypdm tune',
    '',
    `Every recipe trained for at most ${o.epochs} epochs on the dataset's training normals, then scored under every window score × clip pooling. Ranked by the AUC of the validation normals against ${o.criterion} (float model); ★ = the winner, the best-ranked configuration that fits the ${o.board} (RAM incl. arena ≤ the board's, front-end + inference within real time at 64 MHz, inference counted at ${o.instructionsPerMac} M4 instructions per MAC, an estimate). Test columns (when the dataset has anomalies) are for the report only and never pick the winner: int8 as the device computes it; pAUC is McClish-standardised (max FPR 0.1); official = harmonic mean of AUC(source), AUC(target) and pAUC.`,
    '',
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map(row),
    '',
    '![score vs RAM](pareto-ram.png)',
    '![score vs M4 instructions](pareto-m4.png)',
    '',
  ].join('\n');
}

/** Pareto plots of the reported score (test official score or AUC when known, else the rank AUC) against RAM and against M4 instructions. */
export async function renderTunePlots(rows: readonly TuneRow[]): Promise<{ ram: RenderedPlot; m4: RenderedPlot; scoreName: string }> {
  const official = rows.every((r) => r.test?.int8.official !== undefined);
  const auc = rows.every((r) => r.test !== undefined);
  const scoreName = official ? 'official score (int8, test)' : auc ? 'ROC AUC (int8, test)' : 'rank AUC (validation)';
  const score = (r: TuneRow) => (official ? r.test!.int8.official! : auc ? r.test!.int8.auc : r.rankAuc);
  const plot = async (cost: (r: TuneRow) => number, title: string, xTitle: string) => {
    const front = paretoFront(rows.map((r) => ({ cost: cost(r), score: score(r) })));
    return renderParetoPlot({
      title,
      xTitle,
      yTitle: scoreName,
      groupTitle: 'recipe',
      points: rows.map((r, i) => ({ label: `${r.score}/${r.pool}`, group: r.recipe, cost: cost(r), score: score(r), front: front[i]! })),
    });
  };
  return {
    ram: await plot((r) => r.ramBytes, `${scoreName} vs RAM`, 'RAM incl. arena (bytes)'),
    m4: await plot((r) => r.m4InstructionsPerSecond, `${scoreName} vs Cortex-M4 compute (estimate)`, 'M4 instructions per second of audio'),
    scoreName,
  };
}
