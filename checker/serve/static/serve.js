// Filters apply as soon as a menu changes (the Filter button does the same without JavaScript).
for (const el of document.querySelectorAll('#filters select')) {
  el.addEventListener('change', () => el.form.submit());
}
// A dismissal needs a reason: say so before the round trip.
for (const form of document.querySelectorAll('form.review')) {
  form.addEventListener('submit', (ev) => {
    const note = form.querySelector('textarea[name=note]');
    if (ev.submitter && ev.submitter.value === 'dismiss' && !note.value.trim()) {
      ev.preventDefault();
      note.setCustomValidity('A dismissal needs a reason.');
      note.reportValidity();
      note.addEventListener('input', () => note.setCustomValidity(''), { once: true });
    }
  });
}
