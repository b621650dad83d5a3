// The "Arkiv" screen (#/arkiv).
import {h, registerScreen} from '/app.js';

registerScreen('arkiv', {
  title: 'Arkiv',
  key: '4',
  roles: [],
  render(main) {
    main.replaceChildren(h('h1', {}, 'Arkiv'));
  },
});
