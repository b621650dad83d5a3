// The "Sager" screen (#/sager).
import {h, registerScreen} from '/app.js';

registerScreen('sager', {
  title: 'Sager',
  key: '2',
  roles: [],
  render(main) {
    main.replaceChildren(h('h1', {}, 'Sager'));
  },
});
