// The "Ledelse" screen (#/leder).
import {h, registerScreen} from '/app.js';

registerScreen('leder', {
  title: 'Ledelse',
  key: '5',
  roles: [],
  render(main) {
    main.replaceChildren(h('h1', {}, 'Ledelse'));
  },
});
