// fit-poly.js: refits the polynomials of src/xent_math.h's log and softplus
// cores and prints their float coefficients (C hex literals) and fit errors.
//   node scripts/fit-poly.js log 7   log(1 + f) = f - f^2/2 + f^3 P(f), f in [sqrt(1/2) - 1, sqrt(2) - 1]
//   node scripts/fit-poly.js sp 8    log1p(e)   = e - e^2/2 + e^3 T(e), e in [0, 1]
// Method: weighted minimax by Lawson's iteratively reweighted least squares
// (Householder QR in double) on 3000 Chebyshev-spaced points, the weight
// making the error relative to the whole result in units of 2^-24; then the
// coefficients are rounded to float one at a time from the lowest, the rest
// refitted after each. The printed error is the fit's alone: the rounding of
// the float evaluation comes on top (tests/c/test_math.c measures the total).

function lstsq(A, b) {
  const m = A.length;
  const n = A[0].length;
  A = A.map((r) => r.slice());
  b = b.slice();
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += A[i][k] ** 2;
    norm = Math.sqrt(norm);
    const v = new Float64Array(m);
    for (let i = k; i < m; i++) v[i] = A[i][k];
    v[k] -= A[k][k] > 0 ? -norm : norm;
    let vv = 0;
    for (let i = k; i < m; i++) vv += v[i] ** 2;
    if (vv === 0) continue;
    const reflect = (get, set) => {
      let d = 0;
      for (let i = k; i < m; i++) d += v[i] * get(i);
      d = (2 * d) / vv;
      for (let i = k; i < m; i++) set(i, get(i) - d * v[i]);
    };
    for (let j = k; j < n; j++) reflect((i) => A[i][j], (i, x) => { A[i][j] = x; });
    reflect((i) => b[i], (i, x) => { b[i] = x; });
  }
  const x = new Float64Array(n);
  for (let k = n - 1; k >= 0; k--) {
    let s = b[k];
    for (let j = k + 1; j < n; j++) s -= A[k][j] * x[j];
    x[k] = s / A[k][k];
  }
  return Array.from(x);
}

const evalPoly = (c, t) => c.reduceRight((s, cj) => s * t + cj, 0);

// Lawson: least squares with weights updated by each point's error until the
// error curve equioscillates. fixed: coefficient index -> value kept as is.
function fit(pts, target, weight, deg, fixed) {
  const free = [...Array(deg + 1).keys()].filter((j) => !(j in fixed));
  let lw = pts.map(() => 1);
  let c;
  const errors = () => pts.map((t) => Math.abs(weight(t) * (evalPoly(c, t) - target(t))));
  for (let it = 0; it < 200; it++) {
    const A = [];
    const b = [];
    pts.forEach((t, i) => {
      const s = Math.sqrt(lw[i]) * weight(t);
      let r = target(t);
      for (const j in fixed) r -= fixed[j] * t ** j;
      A.push(free.map((j) => s * t ** j));
      b.push(s * r);
    });
    const x = lstsq(A, b);
    c = [...Array(deg + 1).keys()].map((j) => (j in fixed ? fixed[j] : x[free.indexOf(j)]));
    const err = errors();
    const total = err.reduce((s, e, i) => s + lw[i] * e, 0);
    lw = lw.map((l, i) => (l * err[i] * pts.length) / total);
  }
  return { c, err: Math.max(...errors()) };
}

function hexFloat(x) {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, x);
  const u = view.getUint32(0);
  const e = ((u >>> 23) & 255) - 127;
  const m = ((u & 0x7fffff) << 1).toString(16).padStart(6, '0');
  return `${u >>> 31 ? '-' : ''}0x1.${m}p${e >= 0 ? '+' : ''}${e}f`;
}

const chebyshev = (a, b, n) =>
  Array.from({ length: n }, (_, i) => a + (b - a) * (0.5 - 0.5 * Math.cos((Math.PI * (i + 0.5)) / n))).filter((t) => t !== 0);

// t - t^2/2 + t^3 S(t) = log1p(t): S's target and the weight that makes the
// error relative to log1p(t) in units of 2^-24.
const cubicTail = (t) => (Math.log1p(t) - t + (t * t) / 2) / t ** 3;
const relWeight = (t) => (t ** 3 / Math.log1p(t)) * 2 ** 24;
const domains = { log: [Math.SQRT1_2 - 1, Math.SQRT2 - 1], sp: [0, 1] };

const [which, degArg] = process.argv.slice(2);
if (!(which in domains) || !(Number(degArg) >= 1)) {
  console.error('usage: node scripts/fit-poly.js log|sp <degree>');
  process.exit(2);
}
const deg = Number(degArg);
const pts = chebyshev(...domains[which], 3000);
const fixed = {};
for (let j = 0; j <= deg; j++) fixed[j] = Math.fround(fit(pts, cubicTail, relWeight, deg, fixed).c[j]);
const exact = fit(pts, cubicTail, relWeight, deg, {});
const rounded = fit(pts, cubicTail, relWeight, deg, fixed);
console.log(`${which}, degree ${deg}: fit error ${exact.err.toFixed(3)} ulp in double, ${rounded.err.toFixed(3)} ulp with float coefficients`);
console.log(rounded.c.map(hexFloat).join(', '));
