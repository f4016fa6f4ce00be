// explorer.ts: compiled by tests/js/types.test.js with tsc --strict. The
// declarations of `xent/explorer` (web/define.d.ts): the element class, its
// properties (camelCase state keys), document.createElement's result type,
// and the `change` event carrying the state.
import { XentExplorer, type ExplorerState, type XentExplorerChangeEvent } from 'xent/explorer';
import { exact } from './check.js';

const el = document.createElement('xent-explorer');
exact<typeof el, XentExplorer>(true);
const found = document.querySelector('xent-explorer');
exact<typeof found, XentExplorer | null>(true);

el.problem = 'binary';
el.fromLogits = false;
el.labelSmoothing = 0.1;
el.logits = [1.5, -2] as const;
el.hide = ['code', 'learn', 'from-logits'];
el.state = { labels: 'binary01', 'from-logits': true };
exact<typeof el.state, ExplorerState>(true);
exact<typeof el.backend, 'wasm-simd' | 'wasm' | null>(true);
exact<typeof el.logits, number[]>(true);
// @ts-expect-error: not a problem
el.problem = 'regression';
// @ts-expect-error: not a panel or part
el.hide = ['everything'];
// @ts-expect-error: read-only
el.backend = 'wasm';

el.addEventListener('change', (event) => {
  exact<typeof event, XentExplorerChangeEvent>(true);
  const classes: number = event.detail.classes;
  const output: 'logits' | 'sigmoid' | 'softmax' = event.detail.output;
  void classes, output;
});
el.addEventListener('keydown', (event) => {
  exact<typeof event, KeyboardEvent>(true);
});
document.body.append(el);
const own: typeof XentExplorer = customElements.get('xent-explorer') as typeof XentExplorer;
void own;
