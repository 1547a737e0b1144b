/*
 * The chat page: stomp.js over SockJS to the /stomp endpoint.
 *
 *   SUBSCRIBE /topic/chat.{room}        a room's messages (the same topic telnet and PHP use)
 *   SUBSCRIBE /app/history.{room}       once: the room's recent messages
 *   SUBSCRIBE /user/queue/private       private messages to me (and copies of mine)
 *   SUBSCRIBE /user/queue/errors        what the server refused, and why
 *   SUBSCRIBE /topic/presence, /app/presence, /topic/rooms, /app/rooms
 *   SEND /app/chat.{room}   {"text": "..."}
 *   SEND /app/private       {"to": "bob", "text": "..."}
 *
 * Everything a person typed is put on the page with textContent, never innerHTML: a message
 * "<script>...</script>" shows as those characters and never runs.
 * Add ?debug to the URL to see every STOMP frame in the browser console, and
 * ?transport=xhr-streaming (any sockjs-client transport name, or several separated by commas)
 * to make SockJS use only those: what a browser behind a proxy that blocks WebSocket gets.
 * Once connected, #status carries the transport in use in its data-transport attribute.
 */
'use strict';

(function () {

    const ROOM_NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;
    const MAX_KEPT = 500;                            // messages kept per conversation in the page
    const RECONNECT_DELAYS = [1, 2, 4, 8, 15];        // seconds, then 15 s for ever

    const $ = (id) => document.getElementById(id);

    const state = {
        client: null,
        nickname: null,
        headers: null,             // the CONNECT headers, kept to reconnect
        wanted: false,             // the person wants to be connected: reconnect when dropped
        everConnected: false,      // since they pressed Join
        attempt: 0,
        retryTimer: null,
        countdownTimer: null,
        conversations: new Map(),  // 'room:general' or 'dm:bob' -> conversation
        joinedRooms: new Set(),
        roomSubscriptions: new Map(),
        current: null,
        rooms: [],
        online: [],
        presenceVersion: -1,
        roomsVersion: -1
    };

    // ---- connection ---------------------------------------------------------------------------

    function connect() {
        setStatus(state.attempt === 0 ? 'connecting' : 'reconnecting', state.attempt === 0 ? 'Connecting…' : 'Reconnecting…');
        const transports = new URLSearchParams(location.search).get('transport');
        const socket = new SockJS('stomp', null, transports ? { transports: transports.split(',') } : {});
        const client = Stomp.over(socket);
        client.heartbeat.outgoing = 10000;   // we send a heart-beat every 10 s ...
        client.heartbeat.incoming = 10000;   // ... and want one from the server as often
        client.debug = new URLSearchParams(location.search).has('debug') ? (line) => console.log(line) : null;
        state.client = client;
        let connected = false;
        client.connect(Object.assign({}, state.headers), function () {
            connected = true;
            state.everConnected = true;
            state.attempt = 0;
            setStatus('connected', 'Connected');
            $('status').dataset.transport = socket.transport;
            onConnected(client);
        }, function (error) {
            if (state.client !== client) {
                return;                       // an old connection that we already replaced
            }
            if (typeof error === 'string') {  // the socket closed: network, server restart, ...
                if (state.wanted) {
                    scheduleReconnect();
                }
                return;
            }
            // an ERROR frame: the broker or the app refused something; the socket closes next
            const message = (error.headers && error.headers.message) || 'The server closed the session';
            if (!connected && !state.everConnected) {
                leave();                      // refused at the first CONNECT: bad nickname, bad login, ...
                showJoinError(message);
            }
            else {
                toast(message);               // e.g. the broker restarting: we reconnect when the socket closes
            }
        });
    }

    function onConnected(client) {
        enableComposer(true);
        state.presenceVersion = -1;           // the server may have restarted: its count too
        state.roomsVersion = -1;
        client.subscribe('/topic/presence', (frame) => showPresence(JSON.parse(frame.body)));
        client.subscribe('/app/presence', (frame) => showPresence(JSON.parse(frame.body)));
        client.subscribe('/topic/rooms', (frame) => showRooms(JSON.parse(frame.body)));
        client.subscribe('/app/rooms', (frame) => showRooms(JSON.parse(frame.body)));
        client.subscribe('/user/queue/private', (frame) => receivePrivate(JSON.parse(frame.body)));
        client.subscribe('/user/queue/errors', (frame) => toast(JSON.parse(frame.body).message));
        state.roomSubscriptions.clear();
        state.joinedRooms.forEach((room) => subscribeRoom(room));
    }

    function scheduleReconnect() {
        enableComposer(false);
        const delay = RECONNECT_DELAYS[Math.min(state.attempt, RECONNECT_DELAYS.length - 1)];
        state.attempt++;
        let left = delay;
        const tick = () => setStatus('reconnecting', 'Connection lost, reconnecting in ' + left + ' s…');
        tick();
        state.countdownTimer = setInterval(() => { left--; if (left > 0) { tick(); } }, 1000);
        state.retryTimer = setTimeout(() => {
            clearInterval(state.countdownTimer);
            connect();
        }, delay * 1000);
    }

    function leave() {
        state.wanted = false;
        clearTimeout(state.retryTimer);
        clearInterval(state.countdownTimer);
        const client = state.client;
        state.client = null;
        if (client) {
            if (client.connected) {
                client.disconnect();
            }
            else {
                client.ws.onclose = null;
                client.ws.close();
            }
        }
        setStatus('offline', 'Offline');
        enableComposer(false);
        $('chat').hidden = true;
        $('join').hidden = false;
        $('me').hidden = true;
        $('leave').hidden = true;
        $('join-button').disabled = false;
    }

    // ---- rooms and messages -------------------------------------------------------------------

    function joinRoom(room) {
        if (!ROOM_NAME.test(room)) {
            toast('A room name is 1 to 32 lower case letters, digits or dashes');
            return;
        }
        if (!state.joinedRooms.has(room)) {
            state.joinedRooms.add(room);
            conversation('room:' + room);
            if (state.client && state.client.connected) {
                subscribeRoom(room);
            }
        }
        show('room:' + room);
    }

    function subscribeRoom(room) {
        const client = state.client;
        // live messages first, then the history: nothing said in between is missed
        state.roomSubscriptions.set(room, client.subscribe('/topic/chat.' + room, (frame) => {
            add('room:' + room, fromFrame(frame, room));
        }));
        client.subscribe('/app/history.' + room, (frame) => {
            JSON.parse(frame.body).forEach((message) => add('room:' + room, fromServer(message), true));
        });
    }

    /**
     * A room message as it arrived on the topic: JSON from the app ({"nickname", "text", ...}),
     * or whatever a telnet or PHP client sent: JSON with "text", or plain text, whose sender is
     * its "nickname" header, or "telnet".
     */
    function fromFrame(frame, room) {
        let data = null;
        try {
            data = JSON.parse(frame.body);
        }
        catch (e) {
            // not JSON: plain text from a TCP client
        }
        const headerName = frame.headers.nickname;
        if (data && typeof data === 'object' && typeof data.text === 'string') {
            if (data.id && data.timestamp) {
                return fromServer(data);
            }
            return external(room, text(data.nickname) || headerName || 'telnet', data.text);
        }
        return external(room, headerName || 'telnet', frame.body);
    }

    function fromServer(data) {
        return {
            id: data.id,
            type: data.type,
            nickname: data.nickname,
            to: data.to,
            text: data.text,
            time: new Date(data.timestamp).getTime(),
            external: false
        };
    }

    function external(room, nickname, body) {
        return {
            id: null,
            type: 'chat',
            nickname: String(nickname),
            text: String(body).replace(/\s+$/, ''),
            time: Date.now(),
            external: true
        };
    }

    function text(value) {
        return typeof value === 'string' ? value : null;
    }

    function receivePrivate(data) {
        const message = fromServer(data);
        const other = message.nickname === state.nickname ? message.to : message.nickname;
        add('dm:' + other, message);
    }

    function add(key, message, fromHistory) {
        const c = conversation(key);
        if (message.id) {
            if (c.ids.has(message.id)) {
                return;
            }
            c.ids.add(message.id);
        }
        let appendable = c.messages.length === 0 || c.messages[c.messages.length - 1].time <= message.time;
        c.messages.push(message);
        if (!appendable) {
            c.messages.sort((a, b) => a.time - b.time);
        }
        if (c.messages.length > MAX_KEPT) {
            c.messages.splice(0, c.messages.length - MAX_KEPT);
            appendable = false;
        }
        if (key === state.current) {
            if (appendable) {
                appendMessage(message);
            }
            else {
                renderMessages();
            }
        }
        else if (!fromHistory && message.type !== 'system') {
            c.unread++;
            renderSidebar();
        }
    }

    function conversation(key) {
        let c = state.conversations.get(key);
        if (!c) {
            const [kind, name] = key.split(/:(.*)/s);
            c = { key, kind, name, messages: [], ids: new Set(), unread: 0 };
            state.conversations.set(key, c);
            renderSidebar();
        }
        return c;
    }

    function show(key) {
        state.current = key;
        const c = conversation(key);
        c.unread = 0;
        $('conversation-title').textContent = (c.kind === 'room' ? '# ' : '@ ') + c.name;
        $('message-input').placeholder = c.kind === 'room' ? 'Message #' + c.name : 'Private message to ' + c.name;
        renderMessages();
        renderSidebar();
        renderPeople();
        $('message-input').focus();
    }

    function send(textToSend) {
        const c = conversation(state.current);
        if (c.kind === 'room') {
            state.client.send('/app/chat.' + c.name, { 'content-type': 'application/json' },
                JSON.stringify({ text: textToSend }));
        }
        else {
            state.client.send('/app/private', { 'content-type': 'application/json' },
                JSON.stringify({ to: c.name, text: textToSend }));
        }
    }

    // ---- presence -----------------------------------------------------------------------------

    function showPresence(presence) {
        if (presence.version < state.presenceVersion) {
            return;                           // an older snapshot that arrived late
        }
        state.presenceVersion = presence.version;
        state.online = presence.online;
        if (presence.joined && presence.joined !== state.nickname) {
            note(presence.joined + ' joined');
        }
        if (presence.left) {
            note(presence.left + ' left');
        }
        renderSidebar();
        renderPeople();
    }

    function showRooms(list) {
        if (list.version < state.roomsVersion) {
            return;
        }
        state.roomsVersion = list.version;
        state.rooms = list.rooms;
        renderSidebar();
        renderPeople();
    }

    function note(textToShow) {
        if (state.current) {
            add(state.current, { id: null, type: 'system', nickname: '', text: textToShow, time: Date.now() });
        }
    }

    // ---- rendering: textContent only ----------------------------------------------------------

    function renderMessages() {
        const list = $('messages');
        list.replaceChildren();
        const c = state.conversations.get(state.current);
        if (c) {
            c.messages.forEach((message) => list.appendChild(messageElement(message)));
        }
        list.scrollTop = list.scrollHeight;
    }

    function appendMessage(message) {
        const list = $('messages');
        const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
        list.appendChild(messageElement(message));
        if (atBottom || message.nickname === state.nickname) {
            list.scrollTop = list.scrollHeight;
        }
    }

    function messageElement(message) {
        const item = document.createElement('li');
        item.className = 'msg ' + message.type;
        if (message.nickname === state.nickname) {
            item.classList.add('own');
        }
        const time = document.createElement('time');
        const date = new Date(message.time);
        time.dateTime = date.toISOString();
        time.title = date.toLocaleString();
        time.textContent = String(date.getHours()).padStart(2, '0') + ':' + String(date.getMinutes()).padStart(2, '0');
        item.appendChild(time);
        if (message.type !== 'system') {
            item.dataset.from = message.nickname;
            const who = document.createElement('span');
            who.className = 'nick';
            who.textContent = message.nickname;
            who.style.color = colour(message.nickname);
            item.appendChild(who);
            if (message.external) {
                const via = document.createElement('span');
                via.className = 'via';
                via.textContent = 'via TCP';
                via.title = 'Sent by a STOMP client straight to the topic: the name is what it claims';
                item.appendChild(via);
            }
        }
        const body = document.createElement('span');
        body.className = 'text';
        body.textContent = message.text;
        item.appendChild(body);
        return item;
    }

    function renderSidebar() {
        const rooms = $('room-list');
        rooms.replaceChildren();
        const names = state.rooms.map((room) => room.name);
        state.joinedRooms.forEach((room) => { if (!names.includes(room)) { names.push(room); } });
        names.forEach((name) => {
            const room = state.rooms.find((r) => r.name === name);
            rooms.appendChild(entry('room:' + name, '# ' + name, room ? room.people.length : 0, () => joinRoom(name)));
        });

        const dms = $('dm-list');
        const open = [...state.conversations.values()].filter((c) => c.kind === 'dm');
        if (open.length) {
            dms.replaceChildren();
            open.forEach((c) => {
                const li = entry(c.key, '@ ' + c.name, null, () => show(c.key));
                if (!state.online.includes(c.name)) {
                    li.classList.add('away');
                }
                dms.appendChild(li);
            });
        }

        const users = $('user-list');
        users.replaceChildren();
        state.online.forEach((name) => {
            const li = document.createElement('li');
            li.dataset.user = name;
            const dot = document.createElement('span');
            dot.className = 'dot';
            li.appendChild(dot);
            const label = document.createElement('span');
            label.textContent = name;
            label.style.color = colour(name);
            li.appendChild(label);
            if (name === state.nickname) {
                const you = document.createElement('span');
                you.className = 'you';
                you.textContent = '(you)';
                li.appendChild(you);
            }
            else {
                li.title = 'Send ' + name + ' a private message';
                li.addEventListener('click', () => show('dm:' + name));
            }
            users.appendChild(li);
        });
        $('online-count').textContent = state.online.length ? String(state.online.length) : '';

        const unread = [...state.conversations.values()].reduce((sum, c) => sum + c.unread, 0);
        document.title = (unread ? '(' + unread + ') ' : '') + 'STOMP chat';
    }

    function entry(key, label, people, onClick) {
        const li = document.createElement('li');
        li.dataset.conversation = key;
        if (key === state.current) {
            li.classList.add('current');
        }
        const name = document.createElement('span');
        name.className = 'name';
        name.textContent = label;
        li.appendChild(name);
        if (people) {
            const count = document.createElement('span');
            count.className = 'count';
            count.title = people + (people === 1 ? ' person' : ' people') + ' here';
            count.textContent = String(people);
            li.appendChild(count);
        }
        const c = state.conversations.get(key);
        if (c && c.unread) {
            const badge = document.createElement('span');
            badge.className = 'badge';
            badge.textContent = String(c.unread);
            li.appendChild(badge);
        }
        li.addEventListener('click', onClick);
        return li;
    }

    function renderPeople() {
        const c = state.current && state.conversations.get(state.current);
        let people = '';
        if (c && c.kind === 'room') {
            const room = state.rooms.find((r) => r.name === c.name);
            people = room && room.people.length ? 'here: ' + room.people.join(', ') : '';
        }
        else if (c) {
            people = state.online.includes(c.name) ? 'private, only the two of you see this' : c.name + ' is offline';
        }
        $('conversation-people').textContent = people;
    }

    function setStatus(stateName, label) {
        const status = $('status');
        status.dataset.state = stateName;
        status.textContent = label;
    }

    function enableComposer(enabled) {
        $('message-input').disabled = !enabled;
        $('send').disabled = !enabled;
    }

    function showJoinError(message) {
        const error = $('join-error');
        error.textContent = message;
        error.hidden = false;
        if (/passcode|access refused/.test(message)) {
            $('credentials').open = true;     // the broker wants a (right) passcode: show where it goes
        }
    }

    function toast(message) {
        const item = document.createElement('div');
        item.className = 'toast';
        item.textContent = message;
        $('toasts').appendChild(item);
        setTimeout(() => item.remove(), 6000);
    }

    /** The same nickname gets the same colour on every page. */
    function colour(name) {
        let hash = 0;
        for (const ch of String(name)) {
            hash = (hash * 31 + ch.codePointAt(0)) | 0;
        }
        return 'hsl(' + (Math.abs(hash) % 360) + ', 55%, 38%)';
    }

    // ---- wiring -------------------------------------------------------------------------------

    $('join-form').addEventListener('submit', (event) => {
        event.preventDefault();
        const nickname = $('nickname').value.trim();
        if (!nickname) {
            return;
        }
        const headers = { nickname };
        // A passcode without a login is the passcode of the nickname: the broker checks it.
        const passcode = $('passcode').value;
        const login = $('login').value.trim() || (passcode ? nickname : '');
        if (login) {
            headers.login = login;
            headers.passcode = passcode;
        }
        localStorage.setItem('chat.nickname', nickname);
        $('join-error').hidden = true;
        $('join-button').disabled = true;
        state.nickname = nickname;
        state.headers = headers;
        state.wanted = true;
        state.everConnected = false;
        state.attempt = 0;
        $('me').textContent = nickname;
        $('me').style.color = colour(nickname);
        $('me').hidden = false;
        $('leave').hidden = false;
        $('join').hidden = true;
        $('chat').hidden = false;
        const room = new URLSearchParams(location.search).get('room');
        joinRoom(room && ROOM_NAME.test(room) ? room : 'general');
        connect();
    });

    $('leave').addEventListener('click', () => leave());

    $('composer').addEventListener('submit', (event) => {
        event.preventDefault();
        const input = $('message-input');
        const value = input.value.trim();
        if (value && state.client && state.client.connected) {
            send(value);
            input.value = '';
        }
    });

    $('new-room-form').addEventListener('submit', (event) => {
        event.preventDefault();
        const input = $('new-room');
        const room = input.value.trim().toLowerCase();
        if (room) {
            joinRoom(room);
            input.value = '';
        }
    });

    $('nickname').value = localStorage.getItem('chat.nickname') || '';

})();
