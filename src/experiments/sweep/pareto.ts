import type { TopLevelSpec } from 'vega-lite';
import { PLOT_CONFIG, renderVegaLite, type RenderedPlot } from '../../evaluate/index.js';

/**
 * Pareto front for `sweep --opt`: a point is on the front when no other point
 * costs no more and scores at least as high, and is strictly better in one
 * of the two. Returns one flag per point, in the input order.
 */
export function paretoFront(points: ReadonlyArray<{ cost: number; score: number }>): boolean[] {
  return points.map((p) => !points.some((q) => q.cost <= p.cost && q.score >= p.score && (q.cost < p.cost || q.score > p.score)));
}

export interface ParetoPlotPoint {
  label: string;
  /** Colour group, e.g. the sample rate. */
  group: string;
  cost: number;
  score: number;
  front: boolean;
}

/** Scatter of score against cost (log x); front points are filled diamonds joined by a step line and labelled, the rest hollow circles. */
export async function renderParetoPlot(o: {
  title: string;
  xTitle: string;
  yTitle: string;
  points: ParetoPlotPoint[];
  groupTitle?: string;
}): Promise<RenderedPlot> {
  const front = o.points.filter((p) => p.front).sort((a, b) => a.cost - b.cost);
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: o.title, subtitle: 'filled diamonds: the Pareto front (dashed); hollow circles: dominated points' },
    width: 460,
    height: 320,
    config: PLOT_CONFIG,
    layer: [
      {
        data: { values: front.map((p) => ({ cost: p.cost, score: p.score })) },
        mark: { type: 'line', interpolate: 'step-after', color: '#888', strokeDash: [4, 3] },
        encoding: {
          x: { field: 'cost', type: 'quantitative', scale: { type: 'log', nice: false } },
          y: { field: 'score', type: 'quantitative' },
        },
      },
      pointLayer(
        o.points.filter((p) => !p.front),
        false,
        o,
      ),
      pointLayer(
        o.points.filter((p) => p.front),
        true,
        o,
      ),
      {
        data: { values: front.map((p) => ({ cost: p.cost, score: p.score, label: p.label })) },
        mark: { type: 'text', dx: -6, dy: -8, align: 'right', fontSize: 9 },
        encoding: { x: { field: 'cost', type: 'quantitative' }, y: { field: 'score', type: 'quantitative' }, text: { field: 'label' } },
      },
    ],
  };
  return renderVegaLite(spec);
}

/** Front points filled diamonds, dominated points hollow circles; one colour per group in both layers. */
function pointLayer(
  points: ParetoPlotPoint[],
  front: boolean,
  o: { xTitle: string; yTitle: string; points: ParetoPlotPoint[]; groupTitle?: string },
) {
  const groups = [...new Set(o.points.map((p) => p.group))];
  return {
    data: { values: points.map((p) => ({ ...p, on: front ? 'Pareto front' : 'dominated' })) },
    mark: { type: 'point' as const, size: front ? 90 : 60, strokeWidth: 2, filled: front, shape: front ? 'diamond' : 'circle' },
    encoding: {
      x: { field: 'cost', type: 'quantitative' as const, title: o.xTitle, scale: { type: 'log' as const, nice: false, padding: 12 } },
      y: { field: 'score', type: 'quantitative' as const, title: o.yTitle, scale: { zero: false } },
      color: {
        field: 'group',
        type: 'nominal' as const,
        title: o.groupTitle ?? 'rate (Hz)',
        scale: { domain: groups },
        legend: { orient: 'bottom' as const, direction: 'horizontal' as const },
      },
    },
  };
}
