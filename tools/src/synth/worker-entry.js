// Worker threads start without the parent's TypeScript loader; register it, then run the TS worker.
'use strict';
require('../../bin/register');
require('./worker.ts');
