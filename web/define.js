// define.js: the only module with a side effect: registers <xent-explorer>.
// Pages embed the explorer with
//   <script type="module" src="/web/define.js"></script>
//   <xent-explorer problem="multiclass" labels="integer" output="logits"></xent-explorer>
import { XentExplorer } from './xent-explorer.js';

if (!customElements.get('xent-explorer')) customElements.define('xent-explorer', XentExplorer);

export { XentExplorer };
