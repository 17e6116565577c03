import { createRng } from '../../util/index.js';

/**
 * Extreme eigenpairs of a symmetric positive semi-definite D×D matrix
 * (row-major float64), by block subspace iteration with a few extra vectors
 * (which converges geometrically in λ_{p+1}/λ_k) and a final Rayleigh–Ritz
 * step solved by cyclic Jacobi. Deterministic: start blocks come from the
 * seeded PRNG. Vectors are returned as orthonormal rows of length D.
 */
export interface Eigen {
  values: number[];
  vectors: Float64Array;
}

export function topEigen(c: Float64Array, d: number, k: number, seed = 1, iterations = 150): Eigen {
  if (k <= 0) return { values: [], vectors: new Float64Array(0) };
  const p = Math.min(d, k + 4);
  const q = subspace(c, d, p, 0, seed, iterations);
  const ritz = rayleighRitz(c, d, q, p);
  return take(ritz, d, ritz.values.map((_, i) => i).slice(0, k));
}

/**
 * Ritz pairs from the top and the bottom of the spectrum together: subspace
 * iteration on C (largest) and on λ_max·I − C (smallest), the union
 * orthonormalised, then Rayleigh–Ritz on it. Values descending.
 */
export function extremeEigen(c: Float64Array, d: number, k: number, seed = 1, iterations = 150): Eigen {
  if (k <= 0) return { values: [], vectors: new Float64Array(0) };
  const p = Math.min(d, k + 4);
  const top = subspace(c, d, p, 0, seed, iterations);
  const lambdaMax = rayleighRitz(c, d, top, p).values[0]!;
  const bottom = subspace(c, d, p, lambdaMax, seed + 1, iterations);
  const m = Math.min(d, 2 * p);
  const both = new Float64Array(d * m);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < p && j < m; j++) both[i * m + j] = top[i * p + j]!;
    for (let j = p; j < m; j++) both[i * m + j] = bottom[i * p + (j - p)]!;
  }
  orthonormalize(both, d, m);
  const ritz = rayleighRitz(c, d, both, m);
  return take(
    ritz,
    d,
    ritz.values.map((_, i) => i),
  );
}

/** p orthonormal columns spanning the dominant subspace of C (shift = 0) or of shift·I − C. */
function subspace(c: Float64Array, d: number, p: number, shift: number, seed: number, iterations: number): Float64Array {
  const rng = createRng(seed).derive('eigen-subspace');
  let q: Float64Array = new Float64Array(d * p); // column j at q[i * p + j]
  for (let i = 0; i < q.length; i++) q[i] = rng.normal();
  orthonormalize(q, d, p);
  for (let it = 0; it < iterations; it++) {
    const cq = multiply(c, q, d, p);
    if (shift !== 0) for (let i = 0; i < cq.length; i++) cq[i] = shift * q[i]! - cq[i]!;
    q = cq;
    orthonormalize(q, d, p);
  }
  return q;
}

/** Rayleigh–Ritz on the m orthonormal columns of Q: T = Qᵀ C Q = V Λ Vᵀ; Ritz vectors Q V, values descending. */
function rayleighRitz(c: Float64Array, d: number, q: Float64Array, m: number): Eigen {
  const cq = multiply(c, q, d, m);
  const t = new Float64Array(m * m);
  for (let a = 0; a < m; a++)
    for (let b = 0; b < m; b++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += q[i * m + a]! * cq[i * m + b]!;
      t[a * m + b] = s;
    }
  const { values, vectors: v } = jacobi(t, m);
  const order = values.map((x, i) => [x, i] as const).sort((x, y) => y[0] - x[0]);
  const out = new Float64Array(m * d);
  order.forEach(([, col], r) => {
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += q[i * m + j]! * v[j * m + col]!;
      out[r * d + i] = s;
    }
  });
  return { values: order.map(([x]) => Math.max(0, x)), vectors: out };
}

function take(e: Eigen, d: number, rows: number[]): Eigen {
  const out = new Float64Array(rows.length * d);
  rows.forEach((r, i) => out.set(e.vectors.subarray(r * d, (r + 1) * d), i * d));
  return { values: rows.map((r) => e.values[r]!), vectors: out };
}

/** C (d×d) times Q (d×p, row-major). */
function multiply(c: Float64Array, q: Float64Array, d: number, p: number): Float64Array {
  const out = new Float64Array(d * p);
  for (let i = 0; i < d; i++) {
    const row = i * d;
    const o = i * p;
    for (let m = 0; m < d; m++) {
      const cim = c[row + m]!;
      if (cim === 0) continue;
      const qm = m * p;
      for (let j = 0; j < p; j++) out[o + j]! += cim * q[qm + j]!;
    }
  }
  return out;
}

/** Modified Gram–Schmidt on the p columns of a d×p row-major matrix. */
function orthonormalize(q: Float64Array, d: number, p: number): void {
  for (let j = 0; j < p; j++) {
    for (let prev = 0; prev < j; prev++) {
      let dot = 0;
      for (let i = 0; i < d; i++) dot += q[i * p + j]! * q[i * p + prev]!;
      for (let i = 0; i < d; i++) q[i * p + j]! -= dot * q[i * p + prev]!;
    }
    let norm = 0;
    for (let i = 0; i < d; i++) norm += q[i * p + j]! ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < d; i++) q[i * p + j] = norm > 0 ? q[i * p + j]! / norm : i === j ? 1 : 0;
  }
}

/** Cyclic Jacobi eigen-decomposition of a small symmetric n×n matrix; eigenvectors are the columns of `vectors`. */
export function jacobi(a0: Float64Array, n: number): { values: number[]; vectors: Float64Array } {
  const a = Float64Array.from(a0);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += a[i * n + j]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let r = p + 1; r < n; r++) {
        const apr = a[p * n + r]!;
        if (Math.abs(apr) < 1e-300) continue;
        const theta = (a[r * n + r]! - a[p * n + p]!) / (2 * apr);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const cos = 1 / Math.sqrt(t * t + 1);
        const sin = t * cos;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akr = a[k * n + r]!;
          a[k * n + p] = cos * akp - sin * akr;
          a[k * n + r] = sin * akp + cos * akr;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const ark = a[r * n + k]!;
          a[p * n + k] = cos * apk - sin * ark;
          a[r * n + k] = sin * apk + cos * ark;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkr = v[k * n + r]!;
          v[k * n + p] = cos * vkp - sin * vkr;
          v[k * n + r] = sin * vkp + cos * vkr;
        }
      }
    }
  }
  return { values: Array.from({ length: n }, (_, i) => a[i * n + i]!), vectors: v };
}
