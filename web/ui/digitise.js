// The "Digitalisér" screen (#/digitaliser).
import {h, registerScreen} from '/app.js';

registerScreen('digitaliser', {
  title: 'Digitalisér',
  key: '6',
  roles: [],
  render(main) {
    main.replaceChildren(h('h1', {}, 'Digitalisér'));
  },
});
