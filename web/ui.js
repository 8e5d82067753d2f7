// The UI's component library, in one place: Preact (components, hooks) with htm (tagged
// templates instead of JSX, so there is no build step). Every view imports from here, never from
// vendor/ directly, so an upgrade touches web/vendor/ and this file only (web/vendor/VERSIONS.txt).
//
//   html`<a href=${href} class="x">${text}</a>`  -> a Preact element; ${text} is always text,
//   never markup, so data from the API cannot inject HTML.
import { h, render, Fragment, createRef, createContext } from './vendor/preact.module.js';
import htm from './vendor/htm.module.js';

export { h, render, Fragment, createRef, createContext };
export {
  useState, useEffect, useRef, useMemo, useCallback, useReducer, useLayoutEffect, useContext,
} from './vendor/preact-hooks.module.js';
export const html = htm.bind(h);
