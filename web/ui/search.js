// The "Søg" screen (#/soeg).
import {h, registerScreen} from '/app.js';

registerScreen('soeg', {
  title: 'Søg',
  key: '3',
  roles: [],
  render(main) {
    main.replaceChildren(h('h1', {}, 'Søg'));
  },
});
