// The "Postrum" screen (#/postrum).
import {h, registerScreen} from '/app.js';

registerScreen('postrum', {
  title: 'Postrum',
  key: '1',
  roles: [],
  render(main) {
    main.replaceChildren(h('h1', {}, 'Postrum'));
  },
});
