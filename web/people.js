// The people directory (GET /api/v1/people, any signed-in user): a name for every user id that
// records carry (opportunityOwner, activityBy, createdBy, a follow-up's owner), and the
// colleagues one may hand work to. Read afresh for each page that shows people (one small GET):
// kept for a whole sign-in it offered people who had left and missed those who had joined.
import { get } from './api.js';

// The directory as a Map by _id.
export function directory() {
  return get('/people').then((answer) => new Map(answer.items.map((p) => [p._id, p])));
}

// As directory(), but an empty Map when it cannot be read: names are a help, never a reason for
// a page not to show.
export function directoryOrEmpty() {
  return directory().catch(() => new Map());
}

// The text for a person's id: their name, "(you)" for `self` (the signed-in user's _id),
// "(inactive)" for one who left; "system" for no id (a change made by leadproc itself).
export function personName(people, id, self) {
  if (!id || id === 'system') return 'system';
  const p = people.get(id);
  let name = p?.name ?? (p ? `unnamed user …${id.slice(-6)}` : `user …${id.slice(-6)}`);
  if (id === self) name += ' (you)';
  else if (p && !p.isActive) name += ' (inactive)';
  return name;
}

// [[_id, name]] of the active people of `department`, by name, but `except` (an _id): the
// colleagues to hand work to.
export function colleagues(people, department, except) {
  return [...people.values()]
    .filter((p) => p.department === department && p.isActive && p._id !== except)
    .map((p) => [p._id, personName(people, p._id)])
    .sort((a, b) => a[1].localeCompare(b[1]));
}
