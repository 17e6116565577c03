import type { Activation } from '../../../ir/index.js';
import type { LayerConfig } from './config.js';

/**
 * A Keras activation split into what TFLite can fuse into the op itself
 * (RELU, RELU6) and what needs an op of its own after it (SOFTMAX, LOGISTIC).
 */
export interface KerasActivation {
  fused: Activation;
  then?: 'SOFTMAX' | 'LOGISTIC';
}

const BY_NAME: Record<string, KerasActivation> = {
  linear: { fused: 'NONE' },
  relu: { fused: 'RELU' },
  relu6: { fused: 'RELU6' },
  softmax: { fused: 'NONE', then: 'SOFTMAX' },
  sigmoid: { fused: 'NONE', then: 'LOGISTIC' },
};

export const SUPPORTED_ACTIVATIONS = Object.keys(BY_NAME);

/** Parses an activation name; Keras 3 may also write `{class_name, config: {name}}`-style objects. */
export function parseActivation(config: LayerConfig, field = 'activation'): KerasActivation {
  const raw = config.raw[field];
  if (raw === undefined || raw === null) return { fused: 'NONE' };
  const name =
    typeof raw === 'string'
      ? raw
      : typeof raw === 'object' && !Array.isArray(raw) && typeof raw['class_name'] === 'string'
        ? raw['class_name']
        : JSON.stringify(raw);
  const found = BY_NAME[name.toLowerCase()];
  if (!found) {
    config.unsupported(`activation '${name}' is not supported`, `use one of ${SUPPORTED_ACTIVATIONS.join(', ')}`);
  }
  return found;
}
