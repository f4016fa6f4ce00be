// chart-width.js: the width a panel draws its line charts at (charts/line.js
// takes it as an argument): the chart box's width, clamped to 260-720 px, so
// the charts' text keeps its size on phones. Used by panels/curves.js,
// learn.js and sampled.js.

/**
 * Follows `el`'s width from `initial` on; calls `redraw` when it changes by
 * more than 4 px. Returns `{ width }`, read at each draw.
 */
export function chartWidth(el, initial, redraw) {
  const box = { width: initial };
  new ResizeObserver((entries) => {
    const w = Math.round(entries[0].contentRect.width);
    if (w > 0 && Math.abs(w - box.width) > 4) {
      box.width = Math.max(260, Math.min(720, w));
      redraw();
    }
  }).observe(el);
  return box;
}
