// wasm.js: a bare binding of one built xent module (dist/xent-simd.wasm or
// dist/xent.wasm) for the benchmark, with no JS API in between. It gives the
// benchmark (bench/run.js) three things the public API cannot: the two ceiling
// probes (xent_probe_read, xent_probe_exp), "a bare wasm call with the same
// copies" (the W5 reference), and a second, independent instance
// (the scalar build next to the SIMD one in the same process). Same ABI as
// src/xent.h; the xent_options layout is the one asserted in src/status.c.
import { readFileSync } from 'node:fs';

/** Instantiates a module file; returns the binding described above. */
export async function loadWasm(file) {
  const module = await WebAssembly.compile(readFileSync(file));
  const imports = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    const ns = (imports[imp.module] ||= {});
    if (imp.name === 'proc_exit') {
      ns[imp.name] = (code) => {
        throw new Error(`${file} exited with code ${code}`);
      };
    } else {
      // emscripten_notify_memory_growth needs nothing: views are re-made on use.
      ns[imp.name] = () => 52;
    }
  }
  const instance = await WebAssembly.instantiate(module, imports);
  const ex = instance.exports;
  if (typeof ex._initialize === 'function') ex._initialize();
  return new Binding(ex, file);
}

class Binding {
  constructor(ex, file) {
    this.ex = ex;
    this.file = file;
    this.simd = ex.xent_simd() === 1;
    this.opt = this.alloc(this.ex.xent_options_size());
    this.lossPtr = this.alloc(4);
    this.setOptions({});
  }

  /** malloc that throws instead of returning 0. */
  alloc(bytes) {
    const ptr = this.ex.malloc(Math.max(bytes, 4));
    if (ptr === 0) throw new RangeError(`${this.file}: malloc(${bytes}) failed`);
    return ptr;
  }

  free(ptr) {
    this.ex.free(ptr);
  }

  f32(ptr, n) {
    return new Float32Array(this.ex.memory.buffer, ptr, n);
  }

  i32(ptr, n) {
    return new Int32Array(this.ex.memory.buffer, ptr, n);
  }

  /** A Float32Array (or Int32Array) inside wasm memory, copied from `src`. */
  put(src) {
    const ptr = this.alloc(src.length * 4);
    const view = src instanceof Int32Array ? this.i32(ptr, src.length) : this.f32(ptr, src.length);
    view.set(src);
    return ptr;
  }

  /** Writes the xent_options struct (src/status.c layout), Keras defaults elsewhere. */
  setOptions({ fromLogits = 0, labelSmoothing = 0, reduction = 0 }) {
    const size = this.ex.xent_options_size();
    new Uint8Array(this.ex.memory.buffer, this.opt, size).fill(0); // later fields: unset, not used by these losses
    const dv = new DataView(this.ex.memory.buffer, this.opt, size);
    dv.setInt32(0, fromLogits ? 1 : 0, true);
    dv.setFloat32(4, labelSmoothing, true);
    dv.setInt32(8, reduction, true);
    dv.setInt32(12, 0, true);
    dv.setInt32(16, 0, true);
    dv.setFloat32(20, 0.25, true);
    dv.setFloat32(24, 2, true);
    dv.setInt32(28, 0, true);
    dv.setUint32(32, 0, true);
    dv.setUint32(36, 0, true);
    return this.opt;
  }

  /** Calls a Keras-style entry point (y_true, y_pred, batch, classes, opt, losses, grad, loss, err). */
  keras(name, yTrue, yPred, batch, classes, losses, grad) {
    const status = this.ex[name](yTrue, yPred, batch, classes, this.opt, losses, grad, this.lossPtr, 0);
    if (status !== 0) throw new Error(`${name} returned status ${status}`);
    return this.f32(this.lossPtr, 1)[0];
  }

  statusString(status) {
    const ptr = this.ex.xent_status_string(status);
    const bytes = new Uint8Array(this.ex.memory.buffer, ptr, 200);
    return new TextDecoder().decode(bytes.subarray(0, bytes.indexOf(0)));
  }
}
