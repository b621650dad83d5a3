// The UI's entry point: every screen registers itself on import, then boot() resumes the
// session or shows the login. The order of the imports is the order of the navigation.
import '/postroom.js';
import '/digitise.js';
import '/cases.js';
import '/search.js';
import '/archive.js';
import '/dashboard.js';

import {boot} from '/app.js';

boot();
