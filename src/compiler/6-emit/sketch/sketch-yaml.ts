import { cComment, yamlString } from '../../../util/index.js';
import { renderTemplate, type BannerInfo } from '../render.js';
import type { SketchPlan } from '../../4-plan/index.js';

/**
 * The Arduino platform the sketch was checked against, pinned by the
 * sketch.yaml build profile so a build is reproducible: ArduinoCore-mbed's
 * nano board package at the version the generated sketch was compiled with.
 */
export const PINNED_PLATFORM = { id: 'arduino:mbed_nano', version: '4.6.0' } as const;

/**
 * `sketch.yaml`: arduino-cli's per-sketch defaults, so `compile` and `upload`
 * need no --fqbn, and a build profile (`arduino-cli compile --profile
 * nano33ble`) that pins the platform. A profile can list only Library Manager
 * libraries, and Arduino_TensorFlowLite is not one, so the TFLM sketch's
 * profile cannot carry it (the C runtime needs no library beyond the core's PDM).
 */
export function emitSketchYaml(p: SketchPlan, banner: BannerInfo): string {
  return renderTemplate('sketch/sketch.yaml', {
    // A YAML comment line: cComment keeps it printable ASCII on one line.
    banner: { tool: 'tinypdm', version: cComment(banner.version), command: cComment(banner.command) },
    fqbn: yamlString(p.fqbn),
    profile: 'nano33ble',
    platform: yamlString(`${PINNED_PLATFORM.id} (${PINNED_PLATFORM.version})`),
    notes:
      p.runtime === 'tflm'
        ? ['# This sketch also needs Arduino_TensorFlowLite, which no profile can list (it is not in the Library Manager).']
        : [],
  });
}
