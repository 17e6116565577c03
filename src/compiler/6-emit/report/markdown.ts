import { renderTemplate } from '../index.js';
import type { Budget, BudgetSide } from '../../4-plan/index.js';
import type { CRuntimeReport, EmitReport, TensorSummary } from './build.js';
import { renderOptimizationMarkdown } from './optimization.js';

/** Markdown cells cannot hold a raw '|' or a newline; layer names are user data. */
function cell(s: string): string {
  return s
    .replace(/[\r\n]+/g, ' ')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;');
}

const int = (n: number) => n.toLocaleString('en-US');
const shape = (s: number[]) => `[${s.join('×')}]`;
const tensor = (t: TensorSummary) =>
  `${shape(t.shape)} ${t.dtype}${t.scale !== undefined ? ` (scale ${t.scale.toPrecision(6)}, zp ${t.zeroPoint})` : ''}`;

export function renderReportMarkdown(r: EmitReport): string {
  const main = renderTemplate('report.md', {
    banner: { tool: 'tinypdm', version: r.tool.replace(/^tinypdm /, ''), command: cell(r.command) },
    source: cell(`${r.source.format}${r.source.kerasVersion ? ` (Keras ${r.source.kerasVersion})` : ''}, ${r.source.layers} layers`),
    input: cell(tensor(r.input)),
    output: cell(tensor(r.output)),
    totals: [
      ['Parameters', int(r.totals.params)],
      ['Parameter bytes', int(r.totals.paramBytes)],
      ['MACs per inference', int(r.totals.macs)],
      ['Flatbuffer bytes', int(r.totals.flatbufferBytes)],
      ['Tensor arena bytes (estimate)', int(r.arena.totalBytes)],
    ],
    ops: r.ops.map((o) => ({
      index: o.index,
      kind: o.kind,
      name: cell(o.name),
      input: shape(o.inputShape),
      output: shape(o.outputShape),
      params: int(o.params),
      paramBytes: int(o.paramBytes),
      macs: int(o.macs),
      quant: o.outputQuant ? `${o.outputQuant.scale.toPrecision(6)} / ${o.outputQuant.zeroPoint}` : '',
      weights: o.weightScales
        ? `${o.weightScales.channels} ch, ${o.weightScales.min.toPrecision(3)}…${o.weightScales.max.toPrecision(3)}`
        : '',
    })),
    arena: Object.entries(r.arena.breakdown ?? {}).map(([k, v]) => [cell(k), int(Number(v))]),
    opsUsed: r.opsUsed.join(', '),
    budgets: r.budget ? [budgetTable(r.budget)] : [],
  });
  const withC = r.cRuntime ? `${main.trimEnd()}\n\n${renderCRuntimeMarkdown(r.cRuntime)}` : main;
  return r.optimization ? `${withC.trimEnd()}\n\n${renderOptimizationMarkdown(r.optimization)}` : withC;
}

function renderCRuntimeMarkdown(c: CRuntimeReport): string {
  return renderTemplate('report_c_runtime.md', {
    activationBytes: int(c.activationBytes),
    constBytes: int(c.constBytes),
    steps: c.steps.map((s, i) => [String(i), s.kinds.join(' + '), cell(s.layers.join(', ')), int(s.macs), int(s.scratchBytes)]),
  });
}

/** The board budget as table rows; one list so the template only iterates. */
function budgetTable(b: Budget) {
  const rows = (side: 'RAM' | 'Flash', s: BudgetSide) => [
    ...s.rows.map((row) => [side, cell(row.item), int(row.bytes), row.basis]),
    [
      side,
      '**total**',
      `**${int(s.total)}**`,
      `limit ${int(s.limit)}, ${s.fits ? `${int(s.headroom)} free` : `**${int(-s.headroom)} over**`}`,
    ],
  ];
  return { board: cell(b.board), rows: [...rows('RAM', b.ram), ...rows('Flash', b.flash)] };
}
