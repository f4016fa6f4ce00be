// panels/slider.js: a bar that is a real slider: role="slider" with
// aria-valuenow/aria-valuetext, arrow keys (Shift or PageUp/PageDown for ten
// steps, Home/End), and direct pointer drag on the bar. Values are rounded to
// 0.01 so that they print and reload from the URL exactly. Used by the live
// example (logits, soft labels) and the numerics panel.

const round2 = (v) => Math.round(v * 100) / 100;

export function makeSlider({ min, max, step, vertical = true, signed = false, cls = '', label, onInput }) {
  const el = document.createElement('div');
  el.className = `slider ${vertical ? 'vertical' : 'horizontal'} ${signed ? 'signed' : ''} ${cls}`;
  el.tabIndex = 0;
  el.setAttribute('role', 'slider');
  el.setAttribute('aria-label', label);
  el.setAttribute('aria-orientation', vertical ? 'vertical' : 'horizontal');
  el.setAttribute('aria-valuemin', String(min));
  el.setAttribute('aria-valuemax', String(max));
  el.innerHTML = `<div class="track">${signed ? '<div class="zero"></div>' : ''}<div class="bar"></div></div><span class="val" aria-hidden="true"></span>`;
  const bar = el.querySelector('.bar');
  const val = el.querySelector('.val');
  let value = 0;
  const frac = (v) => (v - min) / (max - min);

  const emit = (v) => {
    const c = round2(Math.min(Math.max(v, min), max));
    if (c === value) return;
    value = c; // several key presses can land before the next redraw
    onInput(c);
  };

  el.addEventListener('keydown', (e) => {
    const big = e.shiftKey ? 10 : 1;
    let v;
    switch (e.key) {
      case 'ArrowUp':
      case 'ArrowRight':
        v = value + step * big;
        break;
      case 'ArrowDown':
      case 'ArrowLeft':
        v = value - step * big;
        break;
      case 'PageUp':
        v = value + step * 10;
        break;
      case 'PageDown':
        v = value - step * 10;
        break;
      case 'Home':
        v = min;
        break;
      case 'End':
        v = max;
        break;
      default:
        return;
    }
    e.preventDefault();
    emit(v);
  });

  const fromPointer = (e) => {
    const r = el.querySelector('.track').getBoundingClientRect();
    const f = vertical ? 1 - (e.clientY - r.top) / r.height : (e.clientX - r.left) / r.width;
    emit(min + Math.min(Math.max(f, 0), 1) * (max - min));
  };
  el.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    el.setPointerCapture(e.pointerId);
    el.focus();
    fromPointer(e);
    e.preventDefault();
  });
  el.addEventListener('pointermove', (e) => {
    if (el.hasPointerCapture(e.pointerId)) fromPointer(e);
  });

  return {
    el,
    set(v, text) {
      value = v;
      el.setAttribute('aria-valuenow', String(v));
      el.setAttribute('aria-valuetext', text);
      val.textContent = text.split(',')[0];
      const a = signed ? frac(Math.min(v, 0)) : 0;
      const b = signed ? frac(Math.max(v, 0)) : frac(v);
      const lo = Math.min(Math.max(Math.min(a, b), 0), 1);
      const hi = Math.min(Math.max(Math.max(a, b), 0), 1);
      if (vertical) {
        bar.style.bottom = `${(lo * 100).toFixed(2)}%`;
        bar.style.height = `${((hi - lo) * 100).toFixed(2)}%`;
      } else {
        bar.style.left = `${(lo * 100).toFixed(2)}%`;
        bar.style.width = `${((hi - lo) * 100).toFixed(2)}%`;
      }
      el.classList.toggle('neg', v < 0);
    },
  };
}
