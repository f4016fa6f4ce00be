// story-states.js: the explorer states the story tests walk: every declared
// problem x labels x output x from_logits combination (3 x 5 x 3 x 2 = 90),
// each with the option states that change the loss or its code (none, label
// smoothing, focal, focal with class balancing, pos_weight, class weights,
// ignore_class, reduction 'sum', and a mix). Also what the page shows for a
// state, computed as the explorer does (web/model.js evaluate). Shared by
// story.test.js and story-exec.test.js.
import { LABELS, OUTPUTS, PROBLEMS } from '../../js/decision-table.js';
import { applyPatch, defaults, units } from '../../web/state.js';
import { story } from '../../web/story.js';
import { evaluate } from '../../web/model.js';
import { codeTabs } from '../../web/codegen.js';

export const OPTION_STATES = {
  none: {},
  smoothing: { 'label-smoothing': 0.2 },
  focal: { focal: true, gamma: 1.5, alpha: 0.4 },
  balanced: { focal: true, gamma: 3, alpha: 0.7, 'class-balancing': true, 'label-smoothing': 0.1 },
  posWeight: { 'pos-weight': 2.5, 'label-smoothing': 0.7 },
  classWeight: { 'class-weight': [0.5, 3, 2, 1.5] },
  ignore: { 'ignore-class': 1, batch: 3 },
  sum: { reduction: 'sum', batch: 3 },
  mix: { 'label-smoothing': 0.1, 'class-weight': [2, 0.25, 1, 1], reduction: 'sum', batch: 4 },
};

export function* states(optionNames = Object.keys(OPTION_STATES)) {
  for (const problem of PROBLEMS) {
    for (const labels of LABELS) {
      for (const output of OUTPUTS) {
        for (const fromLogits of [true, false]) {
          for (const name of optionNames) {
            const base = applyPatch(defaults(), { problem, labels, output, 'from-logits': fromLogits, batch: 2 });
            const s = applyPatch(base, OPTION_STATES[name]);
            yield { name, key: `${problem}/${labels}/${output}/fromLogits=${fromLogits}/${name}`, s };
          }
        }
      }
    }
  }
}

// What the page computes and shows for a state: the story, the Live result and the tabs.
export function page(xent, s) {
  const st = story(s);
  const z = Float32Array.from(s.logits);
  const r = evaluate(xent, s, z, s.targets, s.batch);
  const tabs = codeTabs(st.spec, { z, y: r.yTrue, n: s.batch, u: units(s), loss: r.loss }, st.call, st.verdict);
  return { ...st, r, tabs };
}
