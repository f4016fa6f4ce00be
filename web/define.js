// define.js: the only module with a side effect: registers <xent-explorer>
// (package.json `sideEffects` names it so bundlers keep it). Without a DOM
// (server-side rendering in Node) it registers nothing and throws nothing.
// Pages embed the explorer with
//   <script type="module" src="/web/define.js"></script>
//   <xent-explorer problem="multiclass" labels="integer" output="logits"></xent-explorer>
import { XentExplorer } from './xent-explorer.js';

if (typeof customElements !== 'undefined' && !customElements.get('xent-explorer')) {
  customElements.define('xent-explorer', XentExplorer);
}

export { XentExplorer };
