// panels/lessons.js: the Lessons panel: a one-click list of lessons
// (lessons.js: one per mistake the recommender names, under its warning id,
// and one per main concept, docs/semantics.md 7.1-7.3), a "Start the tour"
// button for a first visit, and the open lesson's card: what to notice, the
// fix as a button, the tour's Back / Next, and the verdict the page reaches.
// Opening a lesson sets the whole state (state.js lessonState), so
// `#lesson=<id>` links open it too. Called by xent-explorer.js.

import { LESSONS, TOUR, lessonById } from '../lessons.js';
import { lessonFix } from '../state.js';
import { esc } from './recommend.js';

const group = (kind, label) => `<optgroup label="${label}">${LESSONS.filter((l) => l.kind === kind)
  .map((l) => `<option value="${l.id}">${esc(l.title)}</option>`).join('')}</optgroup>`;

export function mountLessons(root, ctx) {
  const id = ctx.id;
  root.innerHTML = `<div class="row lesson-pick">
      <button type="button" data-tour>Start the tour (${TOUR.length} steps)</button>
      <label for="${id}-lesson">Or open a lesson</label>
      <select id="${id}-lesson" data-lesson-select><option value="">choose…</option>${group('concept', 'Concepts')}${group('mistake', 'Mistakes the recommender names')}</select>
    </div>
    <article class="lesson" data-lesson-card hidden aria-labelledby="${id}-lesson-title">
      <p class="lesson-step" data-lesson-step></p>
      <h4 id="${id}-lesson-title" data-lesson-title></h4>
      <p data-lesson-notice></p>
      <div class="row">
        <button type="button" class="fix" data-lesson-fix></button>
        <button type="button" data-lesson-back>Back</button>
        <button type="button" data-lesson-next>Next</button>
        <button type="button" data-lesson-close>Close the lesson</button>
      </div>
      <p class="note" data-lesson-after></p>
    </article>`;
  const q = (sel) => root.querySelector(sel);
  let fixed = '';
  const step = (d) => {
    const i = TOUR.indexOf(ctx.state().lesson);
    const j = i < 0 ? 0 : i + d;
    if (j >= 0 && j < TOUR.length) ctx.openLesson(TOUR[j]);
  };
  q('[data-tour]').addEventListener('click', () => ctx.openLesson(TOUR[0]));
  q('[data-lesson-select]').addEventListener('change', (e) => {
    if (e.target.value) ctx.openLesson(e.target.value);
  });
  q('[data-lesson-back]').addEventListener('click', () => step(-1));
  q('[data-lesson-next]').addEventListener('click', () => step(1));
  q('[data-lesson-close]').addEventListener('click', () => ctx.set({ lesson: '' }));
  q('[data-lesson-fix]').addEventListener('click', () => {
    const l = lessonById(ctx.state().lesson);
    if (!l?.fix) return;
    fixed = l.id;
    if (l.fix.paste) ctx.paste(l.fix.paste);
    ctx.set(lessonFix(l.id) ?? {});
  });

  let last = '';
  return {
    update(s, rec) {
      const l = lessonById(s.lesson);
      if (!l || fixed !== l.id) fixed = '';
      const key = JSON.stringify([s.lesson, fixed, rec?.verdictText]);
      if (key === last) return null;
      last = key;
      q('[data-lesson-select]').value = l ? l.id : '';
      q('[data-lesson-card]').hidden = !l;
      if (!l) return null;
      const t = TOUR.indexOf(l.id);
      q('[data-lesson-step]').textContent = t >= 0 ? `Tour, step ${t + 1} of ${TOUR.length}` : l.kind === 'mistake' ? `Mistake: ${l.id}` : 'Concept';
      q('[data-lesson-title]').textContent = l.title;
      q('[data-lesson-notice]').textContent = l.notice;
      const fix = q('[data-lesson-fix]');
      fix.hidden = !l.fix;
      fix.textContent = l.fix ? l.fix.label : '';
      q('[data-lesson-back]').hidden = t <= 0;
      q('[data-lesson-next]').hidden = t < 0 || t === TOUR.length - 1;
      q('[data-lesson-after]').textContent = fixed && rec?.verdictText ? `Applied: ${l.fix.label}. Your setup now ${rec.verdictText}.` : '';
      return null;
    },
  };
}
