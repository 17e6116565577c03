import { cComment, yamlString } from '../../../util/index.js';
import { renderTemplate, type BannerInfo } from '../render.js';
import type { SketchPlan } from '../../4-plan/index.js';

/** `sketch.yaml`: arduino-cli's per-sketch defaults, so `compile` and `upload` need no --fqbn. */
export function emitSketchYaml(p: SketchPlan, banner: BannerInfo): string {
  return renderTemplate('sketch/sketch.yaml', {
    // A YAML comment line: cComment keeps it printable ASCII on one line.
    banner: { tool: 'tinypdm', version: cComment(banner.version), command: cComment(banner.command) },
    fqbn: yamlString(p.fqbn),
  });
}
