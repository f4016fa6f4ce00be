// heap.js: the JS side of wasm memory. One persistent scratch arena (inputs
// are copied into it, outputs read from it, so a call allocates nothing in
// wasm after the first call of its size), a fixed block for the xent_options,
// xent_error, reduced loss and xent_inspection structs, typed-array views that
// are re-created only when the memory grows, and `tensor()`: arrays that live
// in wasm memory and are passed to the C core without a copy. Used by
// index.js; the C structs' offsets are those asserted in src/status.c.

const ALIGN = 16;
// Byte counts of 2 GiB and more must not go through 32-bit integer arithmetic.
const align = (n) => (n <= 0x7fffffef ? (n + ALIGN - 1) & ~(ALIGN - 1) : Math.ceil(n / ALIGN) * ALIGN);

/** The module's maximum wasm memory (Emscripten's default for a growable memory): 2 GiB. */
export const MAX_BYTES = 2 ** 31;
/** The most values one tensor can hold: its bytes must stay below MAX_BYTES. */
export const MAX_TENSOR_VALUES = MAX_BYTES / 4 - ALIGN;

// Offsets inside the fixed block.
export const OPTIONS_OFFSET = 0; // xent_options, 64 bytes
export const ERROR_OFFSET = 64; // xent_error, 16 bytes
export const LOSS_OFFSET = 80; // float, the reduced loss
export const INSPECTION_OFFSET = 96; // xent_inspection, 14 x 4 bytes
const FIXED_BYTES = 160;

export class Heap {
  constructor(ex, memory) {
    this.ex = ex;
    this.memory = memory;
    this.buffer = null;
    this.refresh();
    this.fixed = ex.malloc(FIXED_BYTES);
    if (!this.fixed) throw new Error('xent: out of wasm memory');
    this.arena = 0;
    this.arenaBytes = 0;
    this.liveTensors = 0;
    this.closed = false;
    this.calls = null; // the C entry points, set by index.js
    // Whether xent_options fields 10-15 may hold other than their defaults
    // (call.js writeOptions writes them only then); the block starts unwritten.
    this.optionsTail = true;
  }

  /** Re-creates the views when the memory has grown (its old buffer is detached then). */
  refresh() {
    const buffer = this.memory.buffer;
    if (buffer !== this.buffer) {
      this.buffer = buffer;
      this.u8 = new Uint8Array(buffer);
      this.i32 = new Int32Array(buffer);
      this.u32 = new Uint32Array(buffer);
      this.f32 = new Float32Array(buffer);
      this.f64 = new Float64Array(buffer);
    }
  }

  /**
   * Makes the arena at least `bytes` long and returns its address. Grows
   * geometrically and never shrinks, so repeated calls of one size allocate
   * once; the high-water mark is `arenaBytes`.
   */
  reserve(bytes) {
    if (bytes > this.arenaBytes) {
      // Geometric growth, but never past the module's memory: a byte count
      // of 2^32 or more would wrap to a small one at malloc.
      let size = Math.max(bytes, this.arenaBytes * 2, 4096);
      if (size > MAX_BYTES / 2) size = bytes;
      size = align(size);
      if (size >= MAX_BYTES) throw new RangeError(`xent: a call needs ${bytes} bytes of wasm memory; the module has at most ${MAX_BYTES}`);
      if (this.arena) this.ex.free(this.arena);
      this.arena = 0;
      this.arenaBytes = 0;
      const ptr = this.ex.malloc(size);
      if (!ptr) throw new RangeError(`xent: cannot allocate ${size} bytes of wasm memory for this call`);
      this.arena = ptr;
      this.arenaBytes = size;
      // The module reports growth (emscripten_notify_memory_growth), but a
      // build without that hook would leave stale views: check here, off the
      // hot path.
      this.refresh();
    }
    return this.arena;
  }

  /** The C string at `ptr`. */
  string(ptr) {
    if (!ptr) return '';
    this.refresh();
    let end = ptr;
    while (this.u8[end] !== 0) end++;
    let s = '';
    for (let i = ptr; i < end; i++) s += String.fromCharCode(this.u8[i]);
    return s;
  }

  stats() {
    return { memoryBytes: this.memory.buffer.byteLength, arenaBytes: this.arenaBytes, liveTensors: this.liveTensors };
  }
}

export { align };

/**
 * An array in wasm memory: `data` is a Float32Array (or Int32Array) view of
 * it, re-created after the memory grows; `free()` returns the memory.
 */
export class Tensor {
  constructor(heap, shape, dtype, size) {
    this.heap = heap;
    this.shape = Object.freeze(shape.slice());
    this.dtype = dtype;
    this.size = size;
    // The caller (index.js tensor) checked size <= MAX_TENSOR_VALUES, so the
    // byte count fits malloc's 32-bit argument.
    this.ptr = heap.ex.malloc(Math.max(size, 1) * 4);
    if (!this.ptr) {
      throw new RangeError(`xent.tensor: cannot allocate ${size * 4} bytes of wasm memory for shape [${shape.join(', ')}] (${size} values); free other tensors, or split the data`);
    }
    heap.liveTensors++;
    this.view = null;
    heap.refresh();
    // Fresh memory from malloc may hold old data; a tensor starts at zero.
    heap.u8.fill(0, this.ptr, this.ptr + size * 4);
  }

  get data() {
    if (!this.ptr) throw new TypeError('xent: this tensor was freed; its data is gone');
    if (this.heap.closed) throw new TypeError('xent: this tensor belongs to a wasm module that init() replaced');
    const buffer = this.heap.memory.buffer;
    if (this.view === null || this.view.buffer !== buffer) {
      this.view = this.dtype === 'int32' ? new Int32Array(buffer, this.ptr, this.size) : new Float32Array(buffer, this.ptr, this.size);
    }
    return this.view;
  }

  get freed() {
    return this.ptr === 0;
  }

  free() {
    if (!this.ptr) return;
    if (!this.heap.closed) {
      this.heap.ex.free(this.ptr);
      this.heap.liveTensors--;
    }
    this.ptr = 0;
    this.view = null;
  }
}
