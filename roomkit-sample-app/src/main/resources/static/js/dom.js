// Small DOM helpers. User text only ever goes through textContent (never innerHTML).

/** Creates an element: el('p', {class: 'x', dataset: {id: '1'}, onclick: fn}, 'text', child). */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name === 'class') {
      element.className = value;
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== false) {
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return element;
}

export function byId(id) {
  return document.getElementById(id);
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** A <time> element for an ISO-8601 timestamp. */
export function timeElement(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return el('time', {}, '');
  }
  return el('time', { datetime: iso, title: dateTimeFormat.format(date) }, timeFormat.format(date));
}

/** "Alice is typing…", "Alice and Bob are typing…", "Alice, Bob and 2 others are typing…". */
export function describeTypers(names) {
  if (names.length === 0) {
    return '';
  }
  if (names.length === 1) {
    return `${names[0]} is typing…`;
  }
  if (names.length === 2) {
    return `${names[0]} and ${names[1]} are typing…`;
  }
  if (names.length === 3) {
    return `${names[0]}, ${names[1]} and ${names[2]} are typing…`;
  }
  return `${names[0]}, ${names[1]} and ${names.length - 2} others are typing…`;
}

/** "Alice", "Alice and Bob", "Alice, Bob and Carol". */
export function listNames(names) {
  if (names.length <= 1) {
    return names.join('');
  }
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
