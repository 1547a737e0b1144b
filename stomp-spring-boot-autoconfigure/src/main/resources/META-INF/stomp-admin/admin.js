// The STOMP broker's admin page: polls api/overview (relative to this page) and draws it.
// Every value from the broker goes into the page as text (textContent), never as HTML.
(function () {
  'use strict';

  var HISTORY_MILLIS = 5 * 60 * 1000;
  var refreshMillis = 2000;
  var samples = []; // {t, published, delivered, acknowledged} totals since the broker started
  var timer = null;
  // Absolute and without user:password@: a page opened as http://user:pw@host/... would
  // otherwise resolve relative URLs with the credentials in them, which fetch() refuses.
  var base = location.origin + location.pathname.replace(/[^/]*$/, '');

  function $(id) { return document.getElementById(id); }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (className) { node.className = className; }
    return node;
  }

  function sum(byKind) {
    var total = 0;
    Object.keys(byKind || {}).forEach(function (kind) { total += byKind[kind]; });
    return total;
  }

  function number(n) { return Number(n).toLocaleString('en-GB'); }

  function bytes(n) {
    if (n < 1024) { return n + ' B'; }
    if (n < 1024 * 1024) { return (n / 1024).toFixed(1) + ' KiB'; }
    return (n / 1024 / 1024).toFixed(1) + ' MiB';
  }

  function setState(state, text) {
    $('status').setAttribute('data-state', state);
    $('status').textContent = text;
  }

  function notice(text, isError) {
    var box = $('notice');
    box.textContent = text;
    box.className = isError ? 'error' : '';
    box.hidden = false;
    clearTimeout(notice.timer);
    notice.timer = setTimeout(function () { box.hidden = true; }, 6000);
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(poll, refreshMillis);
  }

  function poll() {
    fetch(base + 'api/overview', { credentials: 'same-origin', cache: 'no-store' })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (!response.ok) {
            setState('refused', response.status === 401 ? 'log in needed' : 'refused');
            $('problem').textContent = body.error || ('The broker answered ' + response.status + '.');
            $('problem').hidden = false;
            return;
          }
          $('problem').hidden = true;
          render(body);
          setState('live', 'live');
        });
      })
      .catch(function () { setState('offline', 'offline'); })
      .then(schedule);
  }

  function render(data) {
    if (data.refreshMillis) { refreshMillis = data.refreshMillis; }
    $('who').textContent = 'signed in as ' + data.user;
    $('access-note').textContent = data.secured
      ? 'Broker security is on: only users with the admin permission of the access rules may use this page.'
      : 'Broker security is off: this page answers requests from this machine (loopback addresses) only.';
    var broker = data.broker;
    var totals = broker.totals;
    var open = totals.openConnections || {};
    var connections = broker.connections.length;
    $('total-connections').textContent = number(connections);
    $('by-transport').textContent = Object.keys(open).map(function (t) { return t + ' ' + open[t]; }).join(' · ');
    var queues = broker.destinations.filter(function (d) { return d.kind === 'queue'; });
    $('total-destinations').textContent = number(broker.destinations.length);
    var topics = broker.destinations.length - queues.length;
    $('by-kind').textContent = queues.length + (queues.length === 1 ? ' queue · ' : ' queues · ') + topics
      + (topics === 1 ? ' topic' : ' topics');
    var depth = 0;
    var unacked = 0;
    broker.destinations.forEach(function (d) { depth += d.depth; unacked += d.inFlight; });
    $('total-depth').textContent = number(depth);
    $('total-unacked').textContent = number(unacked) + ' delivered, not acked';
    var messages = totals.messages;
    $('total-published').textContent = number(sum(messages.published)) + ' in total';
    $('total-delivered').textContent = number(sum(messages.delivered)) + ' in total';
    $('total-dead').textContent = number(sum(messages['dead-lettered']));
    $('total-errors').textContent = number(sum(totals.errorsSent)) + ' ERROR frames sent';
    record(messages);
    drawRates();
    renderDestinations(broker.destinations);
    renderConnections(broker.connections);
  }

  function record(messages) {
    var now = Date.now();
    samples.push({ t: now, published: sum(messages.published), delivered: sum(messages.delivered),
      acknowledged: sum(messages.acknowledged) });
    while (samples.length > 2 && samples[0].t < now - HISTORY_MILLIS - refreshMillis) { samples.shift(); }
  }

  // Each point is the rate over the last RATE_WINDOW_MILLIS (at least one poll), so a burst
  // between two polls reads as a rate, not as a spike next to a zero.
  var RATE_WINDOW_MILLIS = 2000;

  function rates(series) {
    var points = [];
    var from = 0;
    for (var i = 1; i < samples.length; i++) {
      while (from < i - 1 && samples[i].t - samples[from + 1].t >= RATE_WINDOW_MILLIS) { from++; }
      var seconds = (samples[i].t - samples[from].t) / 1000;
      points.push({ t: samples[i].t, v: seconds > 0 ? Math.max(0, samples[i][series] - samples[from][series]) / seconds : 0 });
    }
    return points;
  }

  function drawRates() {
    var published = rates('published');
    var delivered = rates('delivered');
    var acknowledged = rates('acknowledged');
    var last = function (points) { return points.length ? points[points.length - 1].v : 0; };
    $('rate-published').textContent = last(published).toFixed(1);
    $('rate-delivered').textContent = last(delivered).toFixed(1);
    var canvas = $('rates');
    var ctx = canvas.getContext('2d');
    var w = canvas.width;
    var h = canvas.height;
    ctx.clearRect(0, 0, w, h);
    var max = 1;
    [published, delivered, acknowledged].forEach(function (points) {
      points.forEach(function (p) { max = Math.max(max, p.v); });
    });
    var left = 46;
    var bottom = h - 18;
    ctx.strokeStyle = '#e4e7ec';
    ctx.fillStyle = '#667085';
    ctx.font = '11px system-ui, sans-serif';
    for (var g = 0; g <= 4; g++) {
      var y = bottom - (bottom - 10) * g / 4;
      ctx.beginPath(); ctx.moveTo(left, y); ctx.lineTo(w - 8, y); ctx.stroke();
      ctx.fillText((max * g / 4).toFixed(max < 8 ? 1 : 0), 4, y + 4);
    }
    var now = Date.now();
    // The last 5 minutes once there are; until then the time the page has been watching, at least 20 s.
    var span = Math.min(HISTORY_MILLIS, Math.max(10000, samples.length ? now - samples[0].t : 0));
    ctx.fillText(span >= 60000 ? '-' + Math.round(span / 60000) + ' min' : '-' + Math.round(span / 1000) + ' s', left, h - 4);
    ctx.fillText('now', w - 30, h - 4);
    var x = function (t) { return left + (w - 8 - left) * (1 - (now - t) / span); };
    // published drawn wide underneath: when every message is delivered at once the lines coincide
    [[published, '#2f6fde', 5], [delivered, '#12805c', 2], [acknowledged, '#b54708', 2]].forEach(function (line) {
      ctx.strokeStyle = line[1];
      ctx.lineWidth = line[2];
      ctx.beginPath();
      line[0].forEach(function (p, i) {
        var px = Math.max(left, x(p.t));
        var py = bottom - (bottom - 10) * p.v / max;
        if (i === 0) { ctx.moveTo(px, py); } else { ctx.lineTo(px, py); }
      });
      ctx.stroke();
    });
  }

  function button(label, action, danger) {
    var b = el('button', label, danger ? 'danger' : '');
    b.type = 'button';
    b.setAttribute('data-action', action);
    return b;
  }

  function renderDestinations(destinations) {
    var body = $('destinations').tBodies[0];
    var rows = [];
    var deepest = 1;
    destinations.forEach(function (d) { deepest = Math.max(deepest, d.depth); });
    destinations.forEach(function (d) {
      var tr = el('tr');
      tr.setAttribute('data-destination', d.name);
      tr.appendChild(el('td', d.name, 'name'));
      tr.appendChild(el('td', d.kind));
      tr.appendChild(el('td', number(d.depth), 'num depth'));
      var barCell = el('td', null, 'barcell');
      if (d.kind === 'queue' && d.depth > 0) {
        var bar = el('div', null, 'bar');
        bar.style.width = Math.max(1, Math.round(100 * d.depth / deepest)) + '%';
        barCell.appendChild(bar);
      }
      tr.appendChild(barCell);
      tr.appendChild(el('td', number(d.consumers), 'num'));
      tr.appendChild(el('td', number(d.inFlight), 'num'));
      tr.appendChild(el('td', number(d.enqueued), 'num'));
      tr.appendChild(el('td', number(d.dequeued), 'num'));
      var actions = el('td');
      if (d.kind === 'queue') {
        actions.appendChild(button('browse', 'browse'));
        actions.appendChild(button('purge', 'purge', true));
        if (/(^|[/.])DLQ\./.test(d.name)) { actions.appendChild(button('move back', 'move-dead-letters')); }
      }
      actions.appendChild(button('delete', 'delete', true));
      tr.appendChild(actions);
      tr.addEventListener('click', function (event) {
        var action = event.target.getAttribute && event.target.getAttribute('data-action');
        if (action) { destinationAction(action, d); }
      });
      rows.push(tr);
    });
    if (!rows.length) {
      var empty = el('tr');
      var td = el('td', 'No destination yet.', 'empty');
      td.colSpan = 9;
      empty.appendChild(td);
      rows.push(empty);
    }
    body.replaceChildren.apply(body, rows);
  }

  function renderConnections(connections) {
    var body = $('connections').tBodies[0];
    var rows = connections.map(function (c) {
      var tr = el('tr');
      tr.setAttribute('data-connection', c.id);
      tr.appendChild(el('td', c.id, 'name'));
      tr.appendChild(el('td', c.transport, 'transport'));
      tr.appendChild(el('td', c.remoteAddress, 'name'));
      tr.appendChild(el('td', c.user || '(anonymous)'));
      tr.appendChild(el('td', c.version));
      tr.appendChild(el('td', c.heartbeatSendMillis + ' / ' + c.heartbeatReceiveMillis + ' ms'));
      var subs = el('td', null, 'subs');
      c.subscriptions.forEach(function (s) {
        subs.appendChild(el('div', s.id + ' → ' + s.destination + ' (' + s.ack + ')'));
      });
      tr.appendChild(subs);
      tr.appendChild(el('td', number(c.unacked), 'num'));
      tr.appendChild(el('td', new Date(c.connectedSince).toLocaleTimeString('en-GB')));
      tr.appendChild(el('td', bytes(c.bytesReceived), 'num'));
      tr.appendChild(el('td', bytes(c.bytesSent), 'num'));
      var actions = el('td');
      if (c.transport !== 'internal') {
        var close = button('close', 'close', true);
        close.addEventListener('click', function () { closeConnection(c); });
        actions.appendChild(close);
      }
      tr.appendChild(actions);
      return tr;
    });
    if (!rows.length) {
      var empty = el('tr');
      var td = el('td', 'No client is connected.', 'empty');
      td.colSpan = 12;
      empty.appendChild(td);
      rows.push(empty);
    }
    body.replaceChildren.apply(body, rows);
  }

  function post(action, params) {
    return fetch(base + 'api/' + action, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'X-Stomp-Admin': '1', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString()
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) { throw new Error(body.error || ('The broker answered ' + response.status)); }
        return body;
      });
    });
  }

  function destinationAction(action, d) {
    if (action === 'browse') { browse(d.name); return; }
    var question = {
      purge: 'Purge the ' + d.depth + ' message(s) waiting in ' + d.name + '? They cannot be brought back.',
      delete: 'Delete ' + d.name + (d.kind === 'queue' ? ' and the ' + d.depth + ' message(s) waiting in it' : '') + '?',
      'move-dead-letters': 'Send the ' + d.depth + ' message(s) of ' + d.name + ' back to their original destinations?'
    }[action];
    if (!window.confirm(question)) { return; }
    post(action, { destination: d.name }).then(function (body) {
      var done = {
        purge: 'Purged ' + body.purged + ' message(s) from ' + d.name + '.',
        delete: 'Deleted ' + d.name + '.',
        'move-dead-letters': 'Moved ' + body.moved + ' message(s) back from ' + d.name + '.'
      }[action];
      notice(done, false);
      poll();
    }, function (error) { notice(error.message, true); });
  }

  function closeConnection(c) {
    var reason = window.prompt('Close connection ' + c.id + ' (' + c.remoteAddress + ')? The client gets an ERROR with this reason:',
      'Closed by the broker\'s operator');
    if (reason === null) { return; }
    post('close', { connection: c.id, reason: reason }).then(function () {
      notice('Closed connection ' + c.id + '.', false);
      poll();
    }, function (error) { notice(error.message, true); });
  }

  function browse(name) {
    fetch(base + 'api/messages?max=20&destination=' + encodeURIComponent(name), { credentials: 'same-origin', cache: 'no-store' })
      .then(function (response) { return response.json(); })
      .then(function (messages) {
        if (!Array.isArray(messages)) { notice(messages.error || 'Cannot browse ' + name, true); return; }
        $('browse-name').textContent = name;
        var body = $('messages').tBodies[0];
        var rows = messages.map(function (m) {
          var tr = el('tr');
          tr.appendChild(el('td', m.messageId, 'name'));
          var headers = el('td');
          headers.appendChild(el('pre', Object.keys(m.headers).map(function (h) { return h + ':' + m.headers[h]; }).join('\n')));
          tr.appendChild(headers);
          var bodyCell = el('td');
          bodyCell.appendChild(el('pre', m.body));
          tr.appendChild(bodyCell);
          tr.appendChild(el('td', number(m.bodyBytes), 'num'));
          tr.appendChild(el('td', number(m.redeliveries), 'num'));
          return tr;
        });
        if (!rows.length) {
          var empty = el('tr');
          var td = el('td', 'The queue is empty.', 'empty');
          td.colSpan = 5;
          empty.appendChild(td);
          rows.push(empty);
        }
        body.replaceChildren.apply(body, rows);
        $('browser').hidden = false;
      }, function () { notice('Cannot browse ' + name, true); });
  }

  $('browse-close').addEventListener('click', function () { $('browser').hidden = true; });

  poll();
}());
