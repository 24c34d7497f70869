'use strict';
// The console: a member's rows as the online service answers them, with title names and facets from the catalog,
// Trending Now, "more like this" and the facet galleries. A play goes through POST /v1/events; the rows are polled
// so that the change NearlineJob makes shows up, with the time from the click to the changed row.
// Everything put into the page goes through textContent or setAttribute: nothing is parsed as HTML.

const POLL_MS = 500;
const SIDE_REFRESH_MS = 10000;
const CHANGE_WAIT_MS = 30000;
const ROW_TITLES = 12;
const GALLERY_TITLES = 8;
const MAX_GALLERIES = 12;
const ID = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/;
// The demo's members whose live session turns to a genre they never watched: good first picks.
const SUGGESTED = ['member-0', 'member-1', 'member-2'];

const state = {
  member: null,
  rows: null,
  titles: new Map(),      // title id -> {name, facets}, or null when the catalog does not know it
  described: 0,           // titles the catalog has described so far: the rows are drawn again when it grows
  drawnWith: -1,          // ... and the value it had when they were last drawn
  facets: [],
  catalogRetryAt: 0,      // after the catalog failed to answer, ids stand in for names until then
  pending: null,          // the play whose effect is awaited: {title, clickedAt, before}
  pollTimer: null,
  generation: 0,          // bumped when the member changes, so that late answers for the previous one are dropped
  session: newId(),
};

function $(selector) {
  return document.querySelector(selector);
}

/** An element with attributes and children (strings become text nodes). */
function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value !== null && value !== undefined) {
      node.setAttribute(key, String(value));
    }
  }
  for (const child of children) {
    if (child !== null && child !== undefined) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return node;
}

function setText(selector, text) {
  $(selector).textContent = text;
}

function newId() {
  if (window.crypto && typeof window.crypto.randomUUID === 'function') {
    return window.crypto.randomUUID();
  }
  return 'console-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2);
}

async function api(path, options) {
  try {
    const response = await fetch(path, Object.assign({cache: 'no-store'}, options));
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    return {status: response.status, body};
  } catch (e) {
    return {status: 0, body: {error: 'the service did not answer (' + e.message + ')'}};
  }
}

function errorOf(answer) {
  return answer.body && answer.body.error ? answer.body.error : 'HTTP ' + answer.status;
}

// --- titles: names and facets from the catalog -------------------------------------------------------------

/** Asks the catalog for the titles not asked for yet; unknown ones are remembered as null. */
async function describe(ids) {
  const missing = [...new Set(ids)].filter(id => !state.titles.has(id));
  if (!missing.length || Date.now() < state.catalogRetryAt) {
    return;
  }
  for (let i = 0; i < missing.length; i += 100) {
    const chunk = missing.slice(i, i + 100);
    const answer = await api('/v1/titles?ids=' + encodeURIComponent(chunk.join(',')));
    if (answer.status !== 200 || !answer.body || !Array.isArray(answer.body.titles)) {
      state.catalogRetryAt = Date.now() + SIDE_REFRESH_MS; // no catalog (yet): ids stand in for names
      return;
    }
    for (const title of answer.body.titles) {
      state.titles.set(title.id, {name: title.name, facets: Array.isArray(title.facets) ? title.facets : []});
      state.described++;
    }
    for (const id of chunk) {
      if (!state.titles.has(id)) {
        state.titles.set(id, null);
      }
    }
  }
}

function nameOf(id) {
  const title = state.titles.get(id);
  return title && title.name ? title.name : id;
}

function hueOf(text) {
  let hash = 0;
  for (const c of text) {
    hash = (hash * 31 + c.codePointAt(0)) % 360;
  }
  return hash;
}

/** One title: name, id, facets, score, and its actions. */
function tile(id, score) {
  const title = state.titles.get(id);
  const facets = title ? title.facets : [];
  const shown = facets.filter(f => !f.startsWith('decade:')).map(f => f.slice(f.indexOf(':') + 1));
  const item = el('li', {class: 'title', 'data-title': id, 'data-name': title ? title.name : '', title: facets.join(', ')},
      el('span', {class: 'name'}, nameOf(id)),
      el('span', {class: 'id'}, id),
      el('span', {class: 'facets'}, shown.slice(0, 3).join(' · ')),
      typeof score === 'number' ? el('span', {class: 'score'}, score.toFixed(3)) : null,
      el('span', {class: 'actions'},
          el('button', {type: 'button', class: 'play', 'data-play': id, title: 'send a play of this title'}, '▶ play'),
          el('button', {type: 'button', class: 'more', 'data-similar': id}, 'more like this')));
  item.style.setProperty('--hue', String(hueOf(facets.length ? facets[0] : id)));
  return item;
}

function titleList(ids, scores, attributes) {
  const list = el('ol', Object.assign({class: 'titles'}, attributes));
  ids.forEach((id, i) => list.append(tile(id, scores ? scores[i] : undefined)));
  return list;
}

// --- the member's rows ----------------------------------------------------------------------------------

function anchorOf(row) {
  return row.anchor || row.anchorTitle || null;
}

function rowLabel(row) {
  if (row.name === 'top-picks') {
    return 'Top picks';
  }
  if (row.name.startsWith('because-you-watched:')) {
    return anchorOf(row) ? 'Because you watched ' + nameOf(anchorOf(row)) : 'Because you watched';
  }
  return row.name;
}

function seconds(ms) {
  return ms < 1000 ? ms + ' ms' : (ms / 1000).toFixed(1) + ' s';
}

function topPicks(answer) {
  return answer ? (answer.rows || []).find(row => row.name === 'top-picks') || null : null;
}

function signature(row) {
  return row ? row.titles.join(',') + '@' + row.computedAt : '';
}

function renderRows(answer, changedName) {
  const container = $('#rows');
  container.replaceChildren();
  for (const row of answer.rows || []) {
    const version = [row.modelName, row.modelVersion].filter(Boolean).join(' ');
    const section = el('section', {class: 'row' + (row.name === changedName ? ' changed' : ''), 'data-row': row.name,
          'data-source': row.source, 'data-computed-at': row.computedAt},
        el('h3', null, rowLabel(row)),
        el('p', {class: 'meta'},
            el('span', {class: 'source', 'data-source': row.source}, row.source),
            ' · ', version || 'no model',
            ' · ', el('span', {class: 'age'}, row.computedAt > 0 ? seconds(row.ageMs) + ' old' : 'age unknown')),
        titleList(row.titles.slice(0, ROW_TITLES), row.scores, {class: 'titles strip'}));
    container.append(section);
  }
  if (!container.childElementCount) {
    container.append(el('p', {class: 'status'}, 'No rows.'));
  }
}

function rowsStatus(answer) {
  const count = (answer.rows || []).length;
  const parts = [answer.member + ': ' + count + (count === 1 ? ' row' : ' rows') + ', answered in '
      + (answer.elapsedMicros / 1000).toFixed(1) + ' ms' + (answer.nearCache ? ' from the near cache' : '')];
  if (answer.fallback) {
    parts.push('fallback: ' + (answer.reason || 'no rows'));
  }
  if (answer.filtered && answer.filtered.length) {
    parts.push('left out while watching: ' + answer.filtered.map(nameOf).join(', '));
  }
  return parts.join(' · ');
}

/** Asks for the rows every POLL_MS while the member is shown, whatever one answer did. */
async function pollRows() {
  const generation = state.generation;
  try {
    await updateRows(generation);
  } catch (e) {
    setText('#rows-status', 'could not show the rows: ' + e.message);
  }
  if (generation === state.generation) {
    state.pollTimer = setTimeout(pollRows, POLL_MS);
  }
}

async function updateRows(generation) {
  const member = state.member;
  const answer = await api('/v1/members/' + encodeURIComponent(member) + '/rows?limit=' + ROW_TITLES
      + '&device=web&country=' + encodeURIComponent(country()));
  if (generation !== state.generation) {
    return;
  }
  if (answer.status !== 200) {
    setText('#rows-status', 'rows of ' + member + ': ' + errorOf(answer));
  } else {
    const rows = answer.body;
    await describe(rows.rows.flatMap(row => anchorOf(row) ? [anchorOf(row), ...row.titles] : row.titles));
    if (generation !== state.generation) {
      return;
    }
    const before = state.rows;
    const changed = before === null || state.drawnWith !== state.described
        || JSON.stringify(before.rows.map(signature)) !== JSON.stringify(rows.rows.map(signature));
    const picksChanged = state.pending && signature(topPicks(rows)) !== state.pending.before;
    state.rows = rows;
    if (picksChanged) {
      const ms = Math.round(performance.now() - state.pending.clickedAt);
      const latency = $('#play-latency');
      latency.textContent = 'Top picks changed ' + seconds(ms) + ' after the click on ' + nameOf(state.pending.title) + '.';
      latency.setAttribute('data-ms', String(ms));
      latency.setAttribute('data-title', state.pending.title);
      state.pending = null;
      refreshGalleries();
    } else if (state.pending && performance.now() - state.pending.clickedAt > CHANGE_WAIT_MS) {
      setText('#play-latency', 'Top picks did not change within ' + seconds(CHANGE_WAIT_MS)
          + ' of the click: is NearlineJob running?');
      state.pending = null;
    }
    if (changed) {
      renderRows(rows, picksChanged ? 'top-picks' : null);
      state.drawnWith = state.described;
    } else {
      // Same rows: only their ages moved on.
      rows.rows.forEach((row, i) => {
        const age = $('#rows').children[i] && $('#rows').children[i].querySelector('.age');
        if (age && row.computedAt > 0) {
          age.textContent = seconds(row.ageMs) + ' old';
        }
      });
    }
    setText('#rows-status', rowsStatus(rows));
  }
}

function showMember(member) {
  member = member.trim();
  if (!ID.test(member)) {
    setText('#rows-status', 'A member id is 1 to 128 letters, digits or _.:@- starting with a letter or digit.');
    return;
  }
  clearTimeout(state.pollTimer);
  state.generation++;
  state.member = member;
  state.rows = null;
  state.pending = null;
  $('#member-input').value = member;
  $('#rows').replaceChildren();
  setText('#rows-status', 'loading the rows of ' + member + '…');
  setText('#play-status', '');
  setText('#play-latency', '');
  $('#play-latency').removeAttribute('data-ms');
  remember(member);
  updateAddress();
  pollRows();
  refreshGalleries();
}

// --- play -------------------------------------------------------------------------------------------------

function country() {
  return $('#country-select').value;
}

/** A play as the job counts one: started, then completed. */
async function play(title) {
  if (!state.member) {
    setText('#play-status', 'Pick a member first.');
    return;
  }
  const now = Date.now();
  const context = {deviceType: 'WEB', country: country(), appVersion: 'console', sessionId: state.session};
  const event = (offset, payload) => ({eventId: newId(), memberId: state.member, profileId: state.member,
    eventTime: now + offset, context, payload});
  const events = [
    event(0, {type: 'PlayStarted', titleId: title, positionSeconds: 0}),
    // The console has no player: the play completes at once, and its length is not known (0).
    event(1, {type: 'PlayCompleted', titleId: title, durationSeconds: 0}),
  ];
  state.pending = {title, clickedAt: performance.now(), before: signature(topPicks(state.rows))};
  setText('#play-latency', '');
  $('#play-latency').removeAttribute('data-ms');
  setText('#play-status', 'Sending a play of ' + nameOf(title) + '…');
  const answer = await api('/v1/events', {method: 'POST', headers: {'Content-Type': 'application/json'},
    body: JSON.stringify(events)});
  if (answer.status === 202) {
    const accepted = answer.body && Array.isArray(answer.body.accepted) ? answer.body.accepted.length : events.length;
    setText('#play-status', 'Played ' + nameOf(title) + ' (' + accepted + ' events accepted); waiting for the top picks to change…');
  } else {
    state.pending = null;
    setText('#play-status', 'The play of ' + nameOf(title) + ' was refused: ' + errorOf(answer));
  }
}

// --- Trending Now, more like this, galleries ----------------------------------------------------------------

async function refreshTrending() {
  const region = country();
  const answer = await api('/v1/trending?limit=10&country=' + encodeURIComponent(region));
  if (region !== country()) {
    return;
  }
  if (answer.status !== 200) {
    setText('#trending-status', errorOf(answer));
    $('#trending').replaceChildren();
    return;
  }
  const trending = answer.body;
  trending.titles = trending.titles || [];
  await describe(trending.titles);
  setText('#trending-heading', 'Trending Now in ' + (trending.country || region));
  setText('#trending-status', 'source: ' + trending.source);
  $('#trending').setAttribute('data-source', trending.source);
  $('#trending').replaceChildren(...trending.titles.map(id => tile(id)));
}

async function showSimilar(title) {
  setText('#similar-heading', 'More like ' + nameOf(title));
  setText('#similar-status', 'loading…');
  const answer = await api('/v1/titles/' + encodeURIComponent(title) + '/similar?limit=10');
  const list = $('#similar');
  list.setAttribute('data-title', title);
  if (answer.status !== 200) {
    setText('#similar-status', errorOf(answer));
    list.replaceChildren();
    return;
  }
  const similar = answer.body;
  similar.titles = similar.titles || [];
  similar.scores = similar.scores || [];
  await describe(similar.titles);
  setText('#similar-status', similar.algorithm + ' ' + similar.version);
  list.replaceChildren(...similar.titles.map((id, i) => tile(id, similar.scores[i])));
}

async function loadFacets() {
  const answer = await api('/v1/facets');
  if (answer.status !== 200 || !answer.body || !Array.isArray(answer.body.facets)) {
    setText('#galleries-status', 'facets: ' + errorOf(answer));
    return;
  }
  state.facets = answer.body.facets;
  const kinds = [...new Set(state.facets.map(f => f.slice(0, f.indexOf(':'))).filter(Boolean))];
  const select = $('#facet-kind');
  select.replaceChildren(...kinds.map(kind => el('option', {value: kind}, kind)));
  if (kinds.includes('genre')) {
    select.value = 'genre';
  }
  refreshGalleries();
}

async function refreshGalleries() {
  const generation = state.generation;
  const member = state.member;
  const kind = $('#facet-kind').value;
  if (!member || !kind) {
    return;
  }
  const facets = state.facets.filter(f => f.startsWith(kind + ':')).slice(0, MAX_GALLERIES);
  const answers = await Promise.all(facets.map(facet => api('/v1/members/' + encodeURIComponent(member)
      + '/gallery?limit=' + GALLERY_TITLES + '&device=web&facet=' + encodeURIComponent(facet)
      + '&country=' + encodeURIComponent(country()))));
  await describe(answers.flatMap(a => a.status === 200 && a.body && a.body.titles ? a.body.titles : []));
  if (generation !== state.generation || kind !== $('#facet-kind').value) {
    return;
  }
  const galleries = answers.map((answer, i) => {
    if (answer.status !== 200) {
      return el('section', {class: 'gallery', 'data-facet': facets[i]},
          el('h3', null, facets[i]), el('p', {class: 'status'}, errorOf(answer)));
    }
    const gallery = answer.body;
    return el('section', {class: 'gallery', 'data-facet': gallery.facet, 'data-source': gallery.source},
        el('h3', null, gallery.facet.slice(gallery.facet.indexOf(':') + 1)),
        el('p', {class: 'meta'}, el('span', {class: 'source', 'data-source': gallery.source}, gallery.source),
            gallery.modelVersion ? ' · ' + gallery.modelVersion : '',
            ' · ' + (gallery.tookMicros / 1000).toFixed(1) + ' ms',
            gallery.reason ? ' · ' + gallery.reason : ''),
        titleList(gallery.titles || [], gallery.scores, {class: 'titles strip'}));
  });
  $('#galleries').replaceChildren(...galleries);
  setText('#galleries-status', facets.length ? '' : 'No ' + kind + ' facets.');
}

// --- the page ---------------------------------------------------------------------------------------------

function recentMembers() {
  try {
    const recent = JSON.parse(localStorage.getItem('nearline.members') || '[]');
    return Array.isArray(recent) ? recent.filter(m => typeof m === 'string' && ID.test(m)) : [];
  } catch (e) {
    return [];
  }
}

function remember(member) {
  const recent = [member, ...recentMembers().filter(m => m !== member)].slice(0, 8);
  try {
    localStorage.setItem('nearline.members', JSON.stringify(recent));
  } catch (e) {
    // storage off: suggestions are only this page's
  }
  suggest(recent);
}

function suggest(recent) {
  const options = [...new Set([...recent, ...SUGGESTED])];
  $('#member-suggestions').replaceChildren(...options.map(m => el('option', {value: m})));
}

function updateAddress() {
  const params = new URLSearchParams();
  if (state.member) {
    params.set('member', state.member);
  }
  params.set('country', country());
  history.replaceState(null, '', '?' + params.toString());
}

function start() {
  const params = new URLSearchParams(location.search);
  const region = params.get('country');
  if (region && [...$('#country-select').options].some(o => o.value === region)) {
    $('#country-select').value = region;
  }
  $('#member-form').addEventListener('submit', event => {
    event.preventDefault();
    showMember($('#member-input').value);
  });
  $('#country-select').addEventListener('change', () => {
    updateAddress();
    refreshTrending();
    refreshGalleries();
  });
  $('#facet-kind').addEventListener('change', refreshGalleries);
  document.addEventListener('click', event => {
    const target = event.target instanceof Element ? event.target : null;
    const playButton = target && target.closest('[data-play]');
    if (playButton) {
      play(playButton.getAttribute('data-play'));
      return;
    }
    const similarButton = target && target.closest('[data-similar]');
    if (similarButton) {
      showSimilar(similarButton.getAttribute('data-similar'));
    }
  });
  suggest(recentMembers());
  refreshTrending();
  setInterval(refreshTrending, SIDE_REFRESH_MS);
  loadFacets();
  if (params.get('member')) {
    showMember(params.get('member'));
  }
}

start();
