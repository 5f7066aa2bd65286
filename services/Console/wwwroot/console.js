// The CloudBus HA console: reads the services through this server's proxy (/api/SERVICE/...) every
// two seconds with the operator's own token, and draws the fleet, the incidents with the selected
// one's timeline on a time axis, the restarts and the rings. Every value from the services goes
// into the page as text, never as markup.
'use strict';

const POLL_MS = 2000;
const TOKEN_KEY = 'cloudbus.token';
const SVG = 'http://www.w3.org/2000/svg';
let selectedIncident = null;

// The token comes in the URL's fragment (never sent to a server) or the form; it is kept for this tab only.
function takeTokenFromFragment() {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (!match) return;
  sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
  history.replaceState(null, '', location.pathname + location.search);
}

const token = () => sessionStorage.getItem(TOKEN_KEY);

class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function get(service, path) {
  const response = await fetch(`api/${service}/${path}`, {
    headers: { Authorization: `Bearer ${token()}`, Accept: 'application/json' }, cache: 'no-store',
  });
  if (!response.ok) {
    let what = `${response.status} ${response.statusText}`;
    try { const problem = await response.json(); what = `${problem.title}: ${problem.detail ?? ''}`; } catch { /* not problem details */ }
    throw new ApiError(response.status, `${service}: ${what}`);
  }
  return response.json();
}

function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'class') element.className = value;
    else if (name.startsWith('data-') || name === 'title') element.setAttribute(name, value);
    else element[name] = value;
  }
  element.append(...children.filter(child => child !== null && child !== undefined));
  return element;
}

function svg(tag, attributes = {}, text) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  if (text !== undefined) element.textContent = text;
  return element;
}

const seconds = (from, to) => ((new Date(to) - new Date(from)) / 1000);
const clock = at => (at ? new Date(at).toLocaleTimeString() : '-');
const byKey = key => (a, b) => String(a[key]).localeCompare(String(b[key]), undefined, { numeric: true });
const count = (items, key) => Object.entries(items.reduce((c, i) => ({ ...c, [i[key]]: (c[i[key]] ?? 0) + 1 }), {}))
  .map(([state, n]) => `${n} ${state}`).join(', ');

function renderFleet(hosts, vms) {
  const live = vms.filter(vm => vm.state !== 'Destroyed');
  document.getElementById('fleet').replaceChildren(...[...hosts].sort(byKey('hostId')).map(host => {
    const status = host.inMaintenance ? 'Maintenance' : host.status;
    const onHost = live.filter(vm => vm.hostId === host.hostId).sort(byKey('name'));
    return el('div', { class: `host status-${status.toLowerCase()}`, 'data-testid': `host-${host.hostId}`, 'data-status': status },
      el('div', { class: 'host-name' }, host.hostId),
      el('div', { class: 'host-status' }, status),
      el('div', { class: 'host-use' }, `${host.cpuUsed}/${host.cpuCores} cores · ${host.memoryUsed}/${host.memoryMib} MiB`),
      el('ul', { class: 'vms' }, ...onHost.map(vm =>
        el('li', { class: `vm state-${vm.state.toLowerCase()}`, 'data-vm': vm.name, 'data-state': vm.state, title: vm.stateReason },
          el('span', {}, vm.haLevel === 'None' ? vm.name : `${vm.name} ★`), el('span', { class: 'vm-state' }, vm.state)))));
  }));
  const unplaced = live.filter(vm => !vm.hostId);
  document.getElementById('unplaced').textContent =
    unplaced.length ? `Not on a host: ${unplaced.map(vm => `${vm.name} (${vm.state})`).join(', ')}` : '';
}

function renderIncidents(incidents) {
  document.getElementById('incidents').replaceChildren(...incidents.map(incident => {
    const row = el('tr', { 'data-testid': `incident-${incident.hostId}`, 'data-incident': incident.incidentId, 'data-status': incident.status },
      el('td', {}, incident.hostId), el('td', { class: `status-${incident.status}` }, incident.status), el('td', {}, incident.verdict ?? '-'),
      el('td', {}, clock(incident.suspectedAt)),
      el('td', {}, incident.closedAt ? `${seconds(incident.suspectedAt, incident.closedAt).toFixed(1)} s` : 'open'));
    if (incident.incidentId === selectedIncident) row.classList.add('selected');
    row.addEventListener('click', () => { selectedIncident = incident.incidentId; refresh(); });
    return row;
  }));
}

// The incident's steps on a time axis from the suspicion (0 s) to its last step, labels staggered
// on four rows so that steps close in time stay readable; the full text is listed below it.
function renderTimeline(incident) {
  const box = document.getElementById('timeline');
  if (!incident) { box.replaceChildren(el('p', {}, 'No incident yet: cut a host\'s power (cloudbus sim power-off HOST) to see one.')); return; }
  const steps = incident.timeline;
  const total = Math.max(1, ...steps.map(step => seconds(incident.suspectedAt, step.at)));
  const [left, right, axisY] = [20, 980, 100];
  const x = at => left + (seconds(incident.suspectedAt, at) / total) * (right - left);
  const chart = svg('svg', { viewBox: '0 0 1000 120', 'data-testid': 'timeline-axis' });
  chart.append(svg('line', { class: 'axis', x1: left, x2: right, y1: axisY, y2: axisY }));
  for (let i = 0; i <= 4; i++) {
    const t = (total * i) / 4;
    chart.append(svg('text', { class: 'tick', x: left + (i / 4) * (right - left), y: axisY + 15, 'text-anchor': 'middle' }, `+${t.toFixed(1)} s`));
  }
  steps.forEach((step, i) => {
    const kind = /Fenced|Down/.test(step.step) ? 'bad' : /Running|Recovered/.test(step.step) ? 'good' : '';
    const y = 18 + (i % 4) * 20;
    chart.append(svg('line', { class: 'axis', x1: x(step.at), x2: x(step.at), y1: y + 3, y2: axisY, 'stroke-width': 1 }));
    chart.append(svg('circle', { class: `marker ${kind}`, cx: x(step.at), cy: axisY, r: 5 }));
    chart.append(svg('text', { class: 'label', x: x(step.at) + 3, y }, step.step));
  });
  const heading = el('p', {},
    el('strong', {}, `${incident.hostId}: ${incident.status}`),
    ` · suspected ${clock(incident.suspectedAt)} · ${steps.length ? `+${total.toFixed(1)} s to the last step` : 'no step yet'}`);
  const list = el('ol', { 'data-testid': 'timeline-steps' }, ...steps.map(step => el('li', { 'data-step': step.step },
    `+${seconds(incident.suspectedAt, step.at).toFixed(1)} s `, el('strong', {}, step.step), `: ${step.detail}`,
    ...step.evidence.map(line => el('div', { class: 'evidence' }, line)))));
  box.replaceChildren(heading, chart, list);
}

function renderRestarts(restarts, vms) {
  const names = Object.fromEntries(vms.map(vm => [vm.vmId, vm.name]));
  // In progress first, then the most recent.
  const shown = [...restarts].sort((a, b) => (['Pending', 'Starting', 'Retrying'].includes(a.status) ? -1 : 0) -
    (['Pending', 'Starting', 'Retrying'].includes(b.status) ? -1 : 0) || new Date(b.requestedAt) - new Date(a.requestedAt)).slice(0, 20);
  document.getElementById('restarts').replaceChildren(...shown.map(restart =>
    el('tr', { 'data-testid': `restart-${names[restart.vmId] ?? restart.vmId}`, 'data-status': restart.status },
      el('td', {}, names[restart.vmId] ?? restart.vmId), el('td', {}, restart.hostId),
      el('td', { class: `status-${restart.status}` }, restart.status), el('td', {}, restart.restartedOn ?? '-'),
      el('td', {}, String(restart.attempts)), el('td', {}, restart.lastError ?? ''))));
}

function renderRings(rings) {
  document.getElementById('rings').replaceChildren(...[...rings].sort(byKey('service')).map(ring =>
    el('div', { class: 'ring', 'data-testid': `ring-${ring.service}`, 'data-members': ring.members.length },
      el('strong', {}, ring.service), ` · epoch ${ring.epoch} · `,
      ...ring.members.map(member => el('span', { class: 'member' }, member)))));
}

function show(part) {
  for (const id of ['token-panel', 'console']) document.getElementById(id).hidden = id !== part;
}

function showError(message) {
  const box = document.getElementById('error');
  box.hidden = !message;
  box.textContent = message ?? '';
}

async function refresh() {
  if (!token()) {
    document.getElementById('token-reason').textContent = 'No token yet.';
    show('token-panel');
    return;
  }
  try {
    const [hosts, vms, incidents, restarts, rings] = await Promise.all([
      get('vm-lifecycle', 'hosts'), get('vm-lifecycle', 'vms'), get('ha-orchestrator', 'incidents?limit=20'),
      get('ha-orchestrator', 'restarts'), get('node-registry', 'rings')]);
    const chosen = incidents.some(i => i.incidentId === selectedIncident) ? selectedIncident : incidents[0]?.incidentId;
    const incident = chosen ? await get('ha-orchestrator', `incidents/${chosen}`) : null;
    selectedIncident = chosen ?? null;
    renderFleet(hosts, vms);
    renderIncidents(incidents);
    renderTimeline(incident);
    renderRestarts(restarts, vms);
    renderRings(rings);
    document.getElementById('summary').textContent =
      `${hosts.length} hosts (${count(hosts, 'status')}) · ${vms.length} VMs · ${incidents.filter(i => !i.closedAt).length} open incidents`;
    document.getElementById('updated').textContent = `live · updated ${new Date().toLocaleTimeString()}`;
    showError(null);
    show('console');
  } catch (error) {
    if (error.status === 401 || error.status === 403) {
      document.getElementById('token-reason').textContent = `The services refused this token (${error.message}).`;
      show('token-panel');
    } else {
      // A service down for a while: keep the last picture and say so; the next poll tries again.
      showError(`${error.message} (retrying every ${POLL_MS / 1000} s)`);
    }
  }
}

document.getElementById('token-form').addEventListener('submit', event => {
  event.preventDefault();
  const value = document.getElementById('token-input').value.trim();
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  refresh();
});

takeTokenFromFragment();
(async function poll() {
  await refresh();
  setTimeout(poll, POLL_MS);
})();
