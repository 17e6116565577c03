import type { SketchScoring } from '../../4-plan/index.js';
import { cComment } from '../../../util/index.js';
import { bannerContext, renderTemplate, type BannerInfo } from '../render.js';
import { cFloat, cUnsigned } from './literals.js';

export const SCORE_HEADER = 'tinypdm_score.h';

function floats(name: string, values: ArrayLike<number>): string {
  const list = values.length === 0 ? [0] : Array.from(values);
  const lines: string[] = [];
  for (let i = 0; i < list.length; i += 8)
    lines.push(
      '    ' +
        list
          .slice(i, i + 8)
          .map(cFloat)
          .join(', ') +
        ',',
    );
  return `static const float ${name}[${list.length}] = {\n${lines.join('\n')}\n};`;
}

/** `tinypdm_score.h`: C declarations computed here, so the template only lists them. */
export function emitScoreHeader(s: SketchScoring, banner: BannerInfo): string {
  const blocks: string[] = [];
  const p = s.params;
  if (p) {
    blocks.push(
      floats('tp_score_mean', p.mean),
      floats('tp_score_inv_std', p.invStd),
      floats('tp_score_basis', p.basis),
      floats('tp_score_coef', p.coef),
    );
    blocks.push(
      `// count, rank, mean, inv_std, basis, coef, inv_resid\nstatic const tp_window_score_params tp_score_params = {${cUnsigned(p.count)}, ${cUnsigned(p.rank)}, tp_score_mean, tp_score_inv_std, tp_score_basis, tp_score_coef, ${cFloat(p.invResid)}};`,
      `static float tp_score_work[${p.count}];`,
    );
  }
  if (s.pool) {
    const sorted = s.pool.method === 2;
    blocks.push(`static float tp_pool_scores[${s.pool.capacity}];${sorted ? `\nstatic float tp_pool_sorted[${s.pool.capacity}];` : ''}`);
    blocks.push(
      `// method (0 mean, 1 max, 2 percentile), per mille, capacity, scores, sort scratch, count, next\nstatic tp_clip_pool tp_pool = {${cUnsigned(s.pool.method)}, ${cUnsigned(s.pool.permille)}, ${cUnsigned(s.pool.capacity)}, tp_pool_scores, ${sorted ? 'tp_pool_sorted' : 'NULL'}, 0u, 0u};`,
    );
  }
  blocks.push(
    `// params (NULL: window MSE), work, pool (NULL: the window score)\nstatic tp_run_scorer tp_scorer = {${p ? '&tp_score_params' : 'NULL'}, ${p ? 'tp_score_work' : 'NULL'}, ${s.pool ? '&tp_pool' : 'NULL'}};`,
  );
  return renderTemplate('sketch/tinypdm_score.h', { ...bannerContext(banner), describe: cComment(s.describe), blocks });
}
