// charts/regions.js: decision regions of a 2-D linear classifier z = x W + b on
// a canvas: each cell coloured by the predicted class (argmax z; z > 0 for one
// unit; the blend of active labels for multi-label), shaded by confidence, and
// the data points on top in their true class colour. Used by panels/learn.js.

export const PALETTE = [
  [31, 119, 180], [255, 127, 14], [44, 160, 44], [214, 39, 40], [148, 103, 189],
  [140, 86, 75], [227, 119, 194], [127, 127, 127], [188, 189, 34], [23, 190, 207],
];
const EXTENT = 2.6;

export function drawRegions(canvas, { X, cls, n, u, multi, W, b }) {
  const g = canvas.getContext('2d');
  const size = canvas.width, cells = 48, cell = size / cells;
  g.clearRect(0, 0, size, size);
  const toX = (px) => (px / size) * 2 * EXTENT - EXTENT;
  const z = new Float64Array(u);
  for (let cy = 0; cy < cells; cy++) {
    for (let cx = 0; cx < cells; cx++) {
      const x0 = toX((cx + 0.5) * cell), x1 = -toX((cy + 0.5) * cell);
      for (let j = 0; j < u; j++) z[j] = x0 * W[j] + x1 * W[u + j] + b[j];
      let rgb, conf;
      if (multi) {
        const acc = [0, 0, 0];
        let on = 0;
        for (let j = 0; j < u; j++) {
          if (z[j] > 0) {
            on++;
            for (let c = 0; c < 3; c++) acc[c] += PALETTE[j % 10][c];
          }
        }
        rgb = on ? acc.map((v) => v / on) : [128, 128, 128];
        conf = on ? 0.45 : 0.08;
      } else if (u === 1) {
        const p = 1 / (1 + Math.exp(-z[0]));
        rgb = PALETTE[p > 0.5 ? 1 : 0];
        conf = Math.abs(p - 0.5) * 2;
      } else {
        let best = 0, m = z[0];
        for (let j = 1; j < u; j++) if (z[j] > m) (m = z[j]), (best = j);
        let sum = 0;
        for (let j = 0; j < u; j++) sum += Math.exp(z[j] - m);
        rgb = PALETTE[best % 10];
        conf = (1 / sum - 1 / u) / (1 - 1 / u);
      }
      g.fillStyle = `rgba(${rgb[0]},${rgb[1]},${rgb[2]},${(0.12 + 0.4 * conf).toFixed(3)})`;
      g.fillRect(Math.floor(cx * cell), Math.floor(cy * cell), Math.ceil(cell), Math.ceil(cell));
    }
  }
  for (let i = 0; i < n; i++) {
    const px = ((X[2 * i] + EXTENT) / (2 * EXTENT)) * size;
    const py = ((EXTENT - X[2 * i + 1]) / (2 * EXTENT)) * size;
    const c = cls[i] < 0 ? [128, 128, 128] : PALETTE[cls[i] % 10];
    g.beginPath();
    g.arc(px, py, 3.2, 0, Math.PI * 2);
    g.fillStyle = `rgb(${c[0]},${c[1]},${c[2]})`;
    g.fill();
    g.lineWidth = 1;
    g.strokeStyle = 'rgba(0,0,0,0.55)';
    g.stroke();
  }
}
