import { fail } from '../../../util/index.js';

/** A named float32 weight as stored in a weights manifest or an .h5 group. */
export interface NamedWeight {
  name: string;
  shape: number[];
  data: Float32Array;
}

/**
 * Finds a layer's weights by name, never by position. Manifests name weights
 * `[model/...]layer/weight` (TF.js: `conv2d_Conv2D1/kernel`; converted Keras:
 * `sequential_1/conv2d_1/kernel`, sometimes with a `:0` suffix). A weight
 * matches when its last two path parts are the layer and weight names; if
 * several match (the same layer name in two nested models), the enclosing
 * model names decide.
 */
export class WeightStore {
  private readonly byLeaf = new Map<string, NamedWeight[]>();

  constructor(weights: readonly NamedWeight[]) {
    for (const w of weights) {
      const parts = splitName(w.name);
      const leaf = parts.slice(-2).join('/');
      const list = this.byLeaf.get(leaf) ?? [];
      list.push(w);
      this.byLeaf.set(leaf, list);
    }
  }

  find(scope: readonly string[], layer: string, weight: string): NamedWeight | undefined {
    const candidates = this.byLeaf.get(`${layer}/${weight}`) ?? [];
    if (candidates.length <= 1) return candidates[0];
    // Prefer the candidate whose enclosing names agree with the scope the longest.
    const score = (w: NamedWeight) => {
      const prefix = splitName(w.name).slice(0, -2).reverse();
      const s = [...scope].reverse();
      let n = 0;
      while (n < prefix.length && n < s.length && prefix[n] === s[n]) n++;
      return n;
    };
    const ranked = [...candidates].sort((a, b) => score(b) - score(a));
    if (score(ranked[0]!) === score(ranked[1]!)) {
      fail(
        'CORRUPT_FILE',
        `weight '${layer}/${weight}' is ambiguous: ${candidates.map((c) => `'${c.name}'`).join(', ')} all match; give the layers unique names and re-export the model`,
      );
    }
    return ranked[0];
  }

  require(scope: readonly string[], layer: string, className: string, weight: string, shape?: readonly number[]): NamedWeight {
    const w = this.find(scope, layer, weight);
    if (!w) {
      fail(
        'MISSING_WEIGHTS',
        `layer '${layer}' (${className}) needs weight '${weight}' but the weights manifest has no '${[...scope, layer, weight].join('/')}' (nor '${layer}/${weight}'); re-export the model with its weights`,
      );
    }
    if (shape && (w.shape.length !== shape.length || w.shape.some((d, i) => d !== shape[i]))) {
      fail(
        'SHAPE_MISMATCH',
        `layer '${layer}' (${className}): weight '${w.name}' has shape [${w.shape.join(', ')}] but the layer config implies [${shape.join(', ')}]; the weights do not belong to this model`,
      );
    }
    return w;
  }
}

function splitName(name: string): string[] {
  return name.replace(/:\d+$/, '').split('/');
}
