// Worker threads start without the parent's TypeScript loader; register it, then run the TS worker.
'use strict';
require('tsx/cjs/api').register();
require('./worker.ts');
