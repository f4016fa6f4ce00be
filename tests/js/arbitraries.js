// arbitraries.js: fast-check generators of arguments for the property tests
// of the JS API (properties.test.js), good and bad alike. A generator yields
// a plain "recipe" (what kind of value, which numbers, which shape); make()
// turns it into the value at call time, so that wasm tensors and detached
// buffers are created and released inside each run and never shared between
// fast-check's runs and shrinks. Forms: every typed-array kind, offset views,
// SharedArrayBuffer views, detached buffers, DataView, flat, nested, ragged,
// holey and frozen arrays, Proxies, tensors (live, freed, other dtype), and
// values of the wrong type (BigInt, symbols, functions, objects, ...).
import fc from 'fast-check';
import * as xent from '../../js/index.js';

const TYPED = [Float32Array, Float64Array, Int32Array, Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Uint32Array];
const ARRAY_FORMS = ['f32', 'typed', 'offset', 'shared', 'plain', 'nested', 'frozen', 'proxy', 'tensor',
  'ragged', 'holey', 'detached', 'bigint64', 'dataview', 'proxyTyped', 'freedTensor', 'int32Tensor', 'strings'];

/** A float32 value: finite only, or anything including NaN and +-Infinity. */
export const float = (finite) => (finite ? fc.float({ noNaN: true, noDefaultInfinity: true }) : fc.float());

/** Small shapes, sometimes with a zero dimension or a third axis. */
export const shapeArb = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 9 })) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 9 })) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 })) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.constant(0)) },
).map((t) => t.slice());

const size = (shape) => shape.reduce((a, b) => a * b, 1);

/** Values that are no array at all. */
export const junk = fc.oneof(
  fc.constantFrom(null, undefined, true, 'yes', '', 0, -1, 3.5, NaN, Infinity),
  fc.bigInt(),
  fc.constant(Symbol('x')),
  fc.constant(() => 0),
  fc.constant(new Map()),
  fc.constant(new ArrayBuffer(8)),
  fc.object({ maxDepth: 1, maxKeys: 3 }),
);

/** A recipe for an array argument of `shape` (finite values when asked). */
export function arrayRecipe(shape, finite, { ints = false } = {}) {
  const n = size(shape);
  const values = ints
    ? fc.array(fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: Math.max(0, shape[shape.length - 1] - 1) }) },
      { weight: 1, arbitrary: fc.constantFrom(-1, shape[shape.length - 1], 2 ** 31, 0.5, -(2 ** 31) - 1) }), { minLength: n, maxLength: n })
    : fc.array(float(finite), { minLength: n, maxLength: n });
  return fc.record({
    form: fc.oneof({ weight: 14, arbitrary: fc.constantFrom('f32', 'plain', 'nested', 'tensor', 'offset', 'shared', 'frozen', 'proxy') }, { weight: 4, arbitrary: fc.constantFrom(...ARRAY_FORMS) }),
    typed: fc.integer({ min: 0, max: TYPED.length - 1 }),
    offset: fc.integer({ min: 1, max: 5 }),
    values,
    shape: fc.constant(shape),
    ints: fc.constant(ints),
  });
}

function nest(values, shape) {
  if (shape.length <= 1) return values.slice();
  const rows = [];
  const step = size(shape.slice(1));
  for (let i = 0; i < shape[0]; i++) rows.push(nest(values.slice(i * step, (i + 1) * step), shape.slice(1)));
  return rows;
}

/**
 * The value of a recipe; `cleanup` collects what to release after the call.
 * Junk recipes (not objects with a form) are their own value.
 */
export function make(recipe, cleanup) {
  if (recipe === null || typeof recipe !== 'object' || !('form' in recipe) || !('values' in recipe)) return recipe;
  const { form, values, shape, offset } = recipe;
  const n = values.length;
  const f32 = Float32Array.from(values);
  switch (form) {
    case 'f32': return recipe.ints ? Int32Array.from(values, (v) => v | 0) : f32;
    case 'typed': return TYPED[recipe.typed].from(values, (v) => (Number.isFinite(v) ? v : 0));
    case 'offset': {
      const big = new Float32Array(n + offset + 3);
      big.set(f32, offset);
      return big.subarray(offset, offset + n);
    }
    case 'shared': {
      const a = new Float32Array(new SharedArrayBuffer(Math.max(4, n * 4)), 0, n);
      a.set(f32);
      return a;
    }
    case 'plain': return values.slice();
    case 'nested': return nest(values, shape);
    case 'frozen': return Object.freeze(nest(values, shape).map((r) => (Array.isArray(r) ? Object.freeze(r) : r)));
    case 'proxy': return new Proxy(values.slice(), {});
    case 'proxyTyped': return new Proxy(f32, {});
    case 'ragged': {
      const rows = nest(values, shape);
      if (Array.isArray(rows[0])) rows[0] = rows[0].concat([0]);
      else rows.push([1]);
      return rows;
    }
    case 'holey': {
      const a = values.slice();
      a.length = n + 2;
      return a;
    }
    case 'detached': {
      const a = f32.slice();
      structuredClone(a.buffer, { transfer: [a.buffer] });
      return a;
    }
    case 'bigint64': return BigInt64Array.from(values, (v) => (Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n));
    case 'dataview': return new DataView(f32.buffer);
    case 'strings': return values.map(String);
    case 'tensor':
    case 'freedTensor':
    case 'int32Tensor': {
      const dtype = form === 'int32Tensor' || (form === 'tensor' && recipe.ints) ? 'int32' : 'float32';
      const t = xent.tensor(shape, dtype);
      t.data.set(dtype === 'int32' ? Int32Array.from(values, (v) => v | 0) : f32);
      if (form === 'freedTensor') t.free();
      else cleanup.push(t);
      return t;
    }
    default: throw new Error(`arbitraries.js: unknown form ${form}`);
  }
}

/** An array argument: usually of `shape`, sometimes of another shape or junk. */
export function arrayArg(shape, finite, opts) {
  return fc.oneof(
    { weight: 12, arbitrary: arrayRecipe(shape, finite, opts) },
    { weight: 2, arbitrary: shapeArb.chain((s) => arrayRecipe(s, finite, opts)) },
    { weight: 1, arbitrary: junk },
  );
}

/** Options of a loss call: every key, good and bad values, unknown keys, odd containers. */
export function optionsArb(shape, finite, nn = false) {
  const batch = shape.length > 1 ? size(shape.slice(0, -1)) : 1;
  const classes = shape[shape.length - 1];
  const badShape = fc.oneof(
    fc.constant(shape),
    fc.array(fc.oneof(fc.integer({ min: -2, max: 12 }), fc.double(), fc.constantFrom(2 ** 40, 2 ** 53, 1e300, 2.5, -0, NaN)), { maxLength: 3 }),
    fc.constantFrom([1n, 2n], 'shape', 7, [[2], [3]]),
  );
  // Outputs: every array form (tensors, offset and shared views, detached and
  // proxied arrays, ...) of the right length or not, null, or junk.
  const outArb = (n) => fc.oneof(arrayRecipe([n], true), fc.integer({ min: 0, max: 40 }).map((k) => new Float32Array(k)), fc.constant(null), junk);
  const out = fc.record({ losses: outArb(batch), grad: outArb(size(shape)) }, { requiredKeys: [] });
  const record = fc.record({
    fromLogits: fc.oneof(fc.boolean(), junk),
    labelSmoothing: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.double(), junk),
    reduction: fc.oneof(fc.constantFrom('sum_over_batch_size', 'sum', 'none', 'mean_with_sample_weight'), fc.string(), junk),
    sampleWeight: fc.oneof(float(finite), arrayArg([batch], finite)),
    classWeight: arrayArg([Math.max(classes, 2)], finite),
    ignoreClass: fc.oneof(fc.integer({ min: -1, max: 10 }), fc.constantFrom(null, 2 ** 31, -(2 ** 31), 1.5), junk),
    alpha: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.double(), junk),
    gamma: fc.oneof(fc.double({ min: 0, max: 8, noNaN: true }), fc.double(), junk),
    applyClassBalancing: fc.oneof(fc.boolean(), junk),
    gradient: fc.oneof(fc.boolean(), junk),
    shape: badShape,
    out,
    ignoreIndex: fc.integer(),
  }, { requiredKeys: [] });
  // Mostly good options (so that most calls run the kernels), then anything.
  const good = fc.record(nn ? { gradient: fc.boolean(), shape: fc.constant(shape) } : {
    fromLogits: fc.boolean(),
    reduction: fc.constantFrom('sum_over_batch_size', 'sum', 'none', 'mean_with_sample_weight'),
    gradient: fc.boolean(),
    shape: fc.constant(shape),
    sampleWeight: fc.oneof(float(finite), arrayRecipe([batch], finite)),
  }, { requiredKeys: [] });
  return fc.oneof(
    { weight: 8, arbitrary: good.map((r) => ({ form: 'options', r })) },
    { weight: 4, arbitrary: record.map((r) => ({ form: 'options', r })) },
    { weight: 3, arbitrary: fc.constantFrom(undefined, null) },
    { weight: 1, arbitrary: record.map((r) => ({ form: 'frozenOptions', r })) },
    { weight: 1, arbitrary: record.map((r) => ({ form: 'inheritedOptions', r })) },
    { weight: 1, arbitrary: record.map((r) => ({ form: 'proxyOptions', r })) },
    { weight: 1, arbitrary: junk },
  );
}

/** The options object of a recipe, with its array values made. */
export function makeOptions(recipe, cleanup) {
  if (recipe === null || typeof recipe !== 'object' || !('r' in recipe)) return recipe;
  const o = {};
  for (const [k, v] of Object.entries(recipe.r)) {
    if (k === 'out' && v !== null && typeof v === 'object' && !('form' in v)) {
      o.out = {};
      for (const [kk, vv] of Object.entries(v)) o.out[kk] = make(vv, cleanup);
    } else {
      o[k] = make(v, cleanup);
    }
  }
  switch (recipe.form) {
    case 'frozenOptions': return Object.freeze(o);
    case 'inheritedOptions': return Object.create(o);
    case 'proxyOptions': return new Proxy(o, {});
    default: return o;
  }
}
