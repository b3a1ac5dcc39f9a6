import { loadCrossclock } from './snippet.js';

loadCrossclock(window, document, (url) => import(url), 'CROSSCLOCK_URL/v1/');
