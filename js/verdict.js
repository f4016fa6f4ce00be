/* verdict.js: the one rule that turns a recommendation's warnings into its
 * verdict (docs/semantics.md section 7.4), so the JS API, the CLI and the
 * explorer can never call a setup correct beside an error. Pure; called by
 * recommend.js (the `verdict` and `verdictText` of every recommendation). */

/* What each verdict means, in the words the CLI and the explorer print. */
const TEXT = {
  correct: 'is correct',
  mismatch: 'runs, but trains something other than intended (see the warnings)',
  invalid: 'has a mistake: fix the errors below before training',
};

/* verdictOf(warnings, change): 'invalid' when any warning is an error,
 * 'mismatch' when any is a warning, 'works' when the setup needs a change
 * (`change`, a sentence, or null), else 'correct'. Info notes never lower it. */
export function verdictOf(warnings, change) {
  if (warnings.some((w) => w.severity === 'error')) return 'invalid';
  if (warnings.some((w) => w.severity === 'warning')) return 'mismatch';
  return change ? 'works' : 'correct';
}

/* The verdict as a short phrase; for 'works' it names the change, for the
 * others the first warning of the deciding severity. */
export function verdictText(verdict, warnings, change) {
  if (verdict === 'works') return `works, after one change: ${change}`;
  if (verdict === 'correct') return TEXT.correct;
  const first = warnings.find((w) => w.severity === (verdict === 'invalid' ? 'error' : 'warning'));
  return first ? `${TEXT[verdict]}; first: ${first.id}` : TEXT[verdict];
}
